import { randomUUID } from 'node:crypto';
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { idempotencyKeySchema, type ActionDescriptor, type ActionRunResult } from '../../shared/actions.js';
import { AppError } from '../../shared/errors.js';
import { insertAuditLog } from '../db/auditLogs.js';
import { withPartner } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { listActions } from '../services/actions/list.js';
import { runAction } from '../services/actions/run.js';
import type { Principal } from '../services/principal.js';

/**
 * The tools of an MCP caller are exactly the actions available to its token now (issue 25,
 * docs/mcp.md): the action framework's listing (availability, role, the token's mode and allowed
 * actions) filtered to `available`, described from the action's own declaration. A call goes
 * through `runAction`, the desktop's path: the same checks, interaction log and exactly-once runs.
 */

/** Where a client that can set request metadata passes the idempotency key of a side-effectful call. */
export const idempotencyMetaKey = 'io.integrationcenter/idempotencyKey';
/** The argument a model passes it as (most assistants cannot set `_meta`). */
export const idempotencyArgument = 'idempotencyKey';

// The key's JSON Schema from the one zod declaration the REST API checks it with.
const keyJsonSchema = plain(z.toJSONSchema(idempotencyKeySchema) as Record<string, unknown>);

/** JSON Schema as MCP carries it: no `$schema` (clients validate with their own draft). */
function plain(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

function inputSchemaOf(action: ActionDescriptor): Tool['inputSchema'] {
  const schema = plain(action.inputSchema) as Tool['inputSchema'] & { properties?: Record<string, unknown> };
  if (!action.sideEffectful) return schema;
  return {
    ...schema,
    type: 'object',
    properties: {
      ...(schema.properties ?? {}),
      [idempotencyArgument]: { ...keyJsonSchema, description: 'One key per intent; send the same key when retrying the same request so it runs once. Without one, every call is a new request.' },
    },
  };
}

function describeAction(action: ActionDescriptor, vendor: string): string {
  if (!action.sideEffectful) return `${action.description} (Reads ${vendor}; changes nothing.)`;
  return (
    `${action.description} Changes data at ${vendor}. Runs exactly once per idempotency key: pass "${idempotencyArgument}" ` +
    `(or _meta["${idempotencyMetaKey}"]) and send the same key when you retry the same request; without a key every call is a new request and runs again.`
  );
}

export async function availableActions(deps: AppDeps, principal: Principal): Promise<ActionDescriptor[]> {
  return (await listActions(deps, principal, {})).filter((a) => a.available);
}

export async function listTools(deps: AppDeps, principal: Principal): Promise<Tool[]> {
  const actions = await availableActions(deps, principal);
  return actions.map((action): Tool => {
    const vendor = deps.registry.get(action.integrationKey)?.entry.name ?? action.integrationKey;
    const output = plain(action.outputSchema);
    return {
      name: action.id,
      title: action.label,
      description: describeAction(action, vendor),
      inputSchema: inputSchemaOf(action),
      // MCP requires an object at the top of an output schema; every shipped action's output is one.
      ...(output.type === 'object' ? { outputSchema: output as Tool['outputSchema'] } : {}),
      annotations: { title: action.label, readOnlyHint: !action.sideEffectful, destructiveHint: action.sideEffectful, idempotentHint: !action.sideEffectful, openWorldHint: true },
    };
  });
}

/** An action's refusal as an MCP tool error: its own actionable words, field names first; never a stack or a credential. */
export function toolError(deps: AppDeps, error: unknown, actionId: string): CallToolResult {
  if (error instanceof AppError) {
    const fields = Object.entries(error.fields ?? {}).map(([field, messages]) => `${field.replace(/^input\./, '')}: ${messages.join('; ')}`);
    const text = fields.length > 0 ? `${error.message}. ${fields.join(' · ')}` : error.message;
    return { isError: true, content: [{ type: 'text', text }], _meta: { code: error.code, ...(error.fields ? { fields: error.fields } : {}) } };
  }
  deps.log.error({ actionId, errorType: error instanceof Error ? error.name : typeof error }, 'mcp tool call failed unexpectedly');
  return { isError: true, content: [{ type: 'text', text: 'The server could not run this tool; try again later' }] };
}

/** The audit row of a side-effectful call through an assistant: on the integration, naming the user and the token. */
async function auditAssistantRun(deps: AppDeps, principal: Principal, actionId: string, run: Pick<ActionRunResult, 'runId' | 'status' | 'error'>) {
  const token = principal.accessToken;
  if (!token) return;
  const outcome = run.status === 'succeeded' ? 'ran' : `failed (${run.error?.message ?? 'no message'})`;
  const message = `${actionId} ${outcome}, run ${run.runId ?? '–'}, through the AI assistant token "${token.name}" (#${token.id})`.slice(0, 500);
  await withPartner(deps.db, principal.partnerId, (tx) =>
    insertAuditLog(tx, principal.partnerId, { integrationKey: actionId.split('.')[0] as string, action: 'assistant_action', userId: principal.userId, actor: principal.email, details: { message } }),
  );
}

const isRunResult = (value: unknown): value is ActionRunResult => typeof value === 'object' && value !== null && 'runId' in value && 'replayed' in value;

export async function callTool(deps: AppDeps, principal: Principal, params: { name: string; arguments?: Record<string, unknown> | undefined; _meta?: Record<string, unknown> | undefined }): Promise<CallToolResult> {
  const actionId = params.name;
  const integration = deps.registry.get(actionId.split('.')[0] as string);
  const action = integration?.actions.get(actionId);
  if (!integration || !action) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${actionId.slice(0, 130)}`);
  const args: Record<string, unknown> = { ...(params.arguments ?? {}) };
  let key: unknown;
  if (action.definition.sideEffectful) {
    key = params._meta?.[idempotencyMetaKey] ?? args[idempotencyArgument];
    delete args[idempotencyArgument];
    if (key !== undefined) {
      const parsed = idempotencyKeySchema.safeParse(key);
      if (!parsed.success) return toolError(deps, new AppError('VALIDATION_FAILED', 'The idempotency key is not valid', { fields: { [idempotencyArgument]: parsed.error.issues.map((i) => i.message) } }), actionId);
    }
    // Documented: without a key the call is a new request (a fresh key), so it runs.
    key ??= `mcp:${randomUUID()}`;
  }
  // The run happened whatever the audit write does: its failure is logged, never the tool's answer
  // (an error here would make the assistant retry something that already ran).
  const audit = (run: Pick<ActionRunResult, 'runId' | 'status' | 'error'>) =>
    auditAssistantRun(deps, principal, actionId, run).catch((e: unknown) => deps.log.warn({ actionId, errorType: e instanceof Error ? e.name : typeof e }, 'assistant audit row not written'));
  let result: ActionRunResult;
  try {
    result = await runAction(deps, principal, { actionId, input: args, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
  } catch (error) {
    if (action.definition.sideEffectful && error instanceof AppError && isRunResult(error.details) && !error.details.replayed && error.details.runId !== null) {
      await audit(error.details);
    }
    return toolError(deps, error, actionId);
  }
  if (action.definition.sideEffectful && !result.replayed) await audit(result);
  const output = result.output ?? null;
  const structured = typeof output === 'object' && output !== null && !Array.isArray(output) ? (output as Record<string, unknown>) : undefined;
  return {
    content: [{ type: 'text', text: JSON.stringify(output) }],
    ...(structured ? { structuredContent: structured } : {}),
    _meta: { runId: result.runId, replayed: result.replayed, ...(typeof key === 'string' ? { [idempotencyMetaKey]: key } : {}) },
  };
}
