import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { appRouter } from '../routers/index.js';
import { buildOpenApiDocument, operationIdOf } from './openapi.js';
import { restOperations } from './restOperations.js';

type Operation = { operationId?: string; tags?: string[]; summary?: string };
type Document = ReturnType<typeof buildOpenApiDocument>;

const configPath = fileURLToPath(new URL('./redocly.yaml', import.meta.url));
const operations = restOperations(appRouter);
const document = buildOpenApiDocument(operations, { version: pkg.version });

/** Redocly's findings on a document, one line each (`warn operation-operationId: … at #/paths/…`). */
async function lint(doc: unknown): Promise<string[]> {
  const config = await loadConfig({ configPath });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
}

const operationsOf = (doc: Document): Operation[] =>
  Object.values(doc.paths).flatMap((methods) => Object.values(methods) as Operation[]);

describe('the OpenAPI document', () => {
  it("has no error and no warning under Redocly's recommended rules", async () => {
    expect(await lint(document)).toEqual([]);
  });

  it('names each operation after its procedure, uniquely, as an identifier', () => {
    const ids = operationsOf(document).map((op) => op.operationId);
    // Paths group their methods, so the document's order is not the router's.
    expect([...ids].sort()).toEqual(operations.map((op) => operationIdOf(op.procedure)).sort());
    expect(ids).toContain('integrations_list');
    expect(ids).toContain('health_setWebhook');
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('declares, with a description, every tag an operation uses', () => {
    const declared = new Map(document.tags.map((tag) => [tag.name, tag.description]));
    for (const op of operationsOf(document)) {
      for (const tag of op.tags ?? []) expect(declared.get(tag)).toBeTruthy();
    }
  });

  it('is checked for real: an operation without an operationId or summary is reported', async () => {
    const broken = structuredClone(document);
    const [first] = operationsOf(broken);
    delete first?.operationId;
    delete first?.summary;
    const findings = await lint(broken);
    expect(findings.some((f) => f.startsWith('warn operation-operationId:'))).toBe(true);
    expect(findings.some((f) => f.startsWith('error operation-summary:'))).toBe(true);
  });
});
