import { catalogEntrySchema, type Capability, type CatalogEntry } from '../../shared/integrations/catalog.js';
import { settingsSchema } from '../../shared/integrations/fields.js';
import type { Config } from '../config.js';
import type { ConfigMirror } from '../services/integrations/configMirror.js';
import { huntressPlugin } from './huntress/index.js';
import { levelPlugin } from './levelio/index.js';
import { msp360Plugin } from './msp360/index.js';
import { ninjaonePlugin } from './ninjaone/index.js';
import { syncroPlugin } from './syncro/index.js';
import { tacticalPlugin } from './tacticalrmm/index.js';
import { teamsPlugin } from './teams/index.js';
import { microsoft365Plugin } from './microsoft365/index.js';
import { checkLogoSvg } from './logoSvg.js';
import { z } from 'zod';
import { actionIdSchema } from '../../shared/actions.js';
import type { RegisteredAction, RegisteredIntegration } from './registeredIntegration.js';
import type { IntegrationPlugin, PluginCapability } from './types.js';

/**
 * The integrations this server ships: one import and one line per plugin folder. Listed by hand
 * (never discovered at run time) so the type checker and the start-up check see every entry.
 */
export const shippedPlugins: readonly IntegrationPlugin[] = [syncroPlugin, msp360Plugin, huntressPlugin, tacticalPlugin, levelPlugin, ninjaonePlugin, teamsPlugin, microsoft365Plugin];

/**
 * Catalog links whose targets the deployment chooses, by integration key: MSP360's entry links
 * to the MSPBackups page (MSPBACKUPS_PAGE_URL), which the desktop opens in the system browser.
 */
export function configuredLinks(config: Pick<Config, 'mspbackupsPageUrl'>): Record<string, CatalogEntry['links']> {
  return { msp360: [{ label: 'Open MSPBackups', url: config.mspbackupsPageUrl }] };
}

// Declared in its own module (no import circle with the config mirror); services name it from here.
export type { RegisteredIntegration };

export interface Registry {
  /** Every entry, in registry order. */
  list(): readonly RegisteredIntegration[];
  get(key: string): RegisteredIntegration | undefined;
  /** The second store an integration's writes are mirrored into, if it has one (see ConfigMirror). */
  mirror?(key: string): ConfigMirror | undefined;
}

export interface RegistryOptions {
  /** Links added to an entry's own, by integration key (checked like the plugin's). */
  links?: Record<string, CatalogEntry['links']>;
  /** Mirrors by integration key; a key the registry lacks is ignored. */
  mirrors?: Record<string, ConfigMirror>;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

function specProblems(entry: CatalogEntry): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const field of entry.fields) {
    if (seen.has(field.key)) problems.push(`field "${field.key}" appears twice`);
    seen.add(field.key);
    if ('pattern' in field && field.pattern) {
      try {
        new RegExp(field.pattern.regex);
      } catch {
        problems.push(`field "${field.key}" has a pattern that is not a regular expression`);
      }
    }
    if (field.kind === 'Select' && new Set(field.options.map((o) => o.value)).size !== field.options.length) {
      problems.push(`field "${field.key}" repeats an option value`);
    }
  }
  return problems;
}

/** The optional capabilities a plugin declares, read from its members once at start-up. */
function capabilitiesOf(plugin: IntegrationPlugin): ReadonlySet<PluginCapability> {
  const capabilities = new Set<PluginCapability>();
  if (typeof plugin.listOrganizations === 'function') capabilities.add('listOrganizations');
  if (plugin.actions?.length) capabilities.add('actions');
  if (plugin.auth) capabilities.add('oauth');
  return capabilities;
}

const isZodSchema = (value: unknown): value is z.ZodType => value instanceof z.ZodType;

/**
 * Checks a plugin's actions (ids `<key>.noun.verb`, unique, schemas present, `run` a function,
 * booleans where booleans belong) and precomputes each one's JSON Schemas, once: the listing
 * sends them on every call. Problems are collected, not thrown.
 */
function checkActions(plugin: IntegrationPlugin, key: string, label: string, problems: string[]): Map<string, RegisteredAction> {
  const out = new Map<string, RegisteredAction>();
  if (plugin.actions === undefined) return out;
  if (!Array.isArray(plugin.actions)) {
    problems.push(`${label}: actions, when declared, must be a list`);
    return out;
  }
  for (const action of plugin.actions) {
    const id = String(action?.id);
    const where = `${label}: action "${id}"`;
    const before = problems.length;
    if (!actionIdSchema.safeParse(action?.id).success || !id.startsWith(`${key}.`)) problems.push(`${where}: id must be ${key}.noun.verb`);
    if (out.has(id)) problems.push(`${where}: id appears twice`);
    if (typeof action?.label !== 'string' || !action.label.trim() || typeof action.description !== 'string') problems.push(`${where}: label and description must be text`);
    if (typeof action?.sideEffectful !== 'boolean' || typeof action.clientScoped !== 'boolean') problems.push(`${where}: sideEffectful and clientScoped must be true or false`);
    if (!isZodSchema(action?.input) || !isZodSchema(action.output)) problems.push(`${where}: input and output must be zod schemas`);
    if (typeof action?.run !== 'function') problems.push(`${where}: run must be a function`);
    if (action?.availability !== undefined && typeof action.availability !== 'function') problems.push(`${where}: availability, when declared, must be a function`);
    if (problems.length > before) continue;
    try {
      out.set(id, {
        definition: action,
        inputJsonSchema: z.toJSONSchema(action.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
        outputJsonSchema: z.toJSONSchema(action.output, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
      });
    } catch (error) {
      problems.push(`${where}: its schemas cannot be expressed as JSON Schema (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return out;
}

/**
 * Checks the plugins (unique keys, metadata and field specs that parse, patterns that compile,
 * no repeated field or option, a logo SVG with nothing active in it) and indexes them. Throws RegistryError listing every problem, so a
 * bad plugin stops the server at start-up instead of failing a partner's request later.
 */
export function createRegistry(plugins: readonly IntegrationPlugin[], options: RegistryOptions = {}): Registry {
  const problems: string[] = [];
  const byKey = new Map<string, RegisteredIntegration>();
  plugins.forEach((plugin, index) => {
    const label = `plugin ${index + 1} (${String(plugin.meta?.key)})`;
    if (typeof plugin.validate !== 'function' || typeof plugin.healthCheck !== 'function') {
      problems.push(`${label}: validate and healthCheck must be functions`);
    }
    if (plugin.listOrganizations !== undefined && typeof plugin.listOrganizations !== 'function') {
      problems.push(`${label}: listOrganizations, when declared, must be a function`);
    }
    const links = [...(plugin.meta?.links ?? []), ...(options.links?.[String(plugin.meta?.key)] ?? [])];
    const logo = plugin.logoSvg === undefined ? null : checkLogoSvg(plugin.logoSvg);
    if (logo && !logo.ok) problems.push(...logo.problems.map((p) => `${label}: logo: ${p}`));
    const parsed = catalogEntrySchema.safeParse({ ...plugin.meta, links, capabilities: catalogCapabilities(plugin), logo: logo?.ok ? logo.dataUri : null });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label}: ${issue.path.join('.') || 'meta'}: ${issue.message}`);
      return;
    }
    const entry = parsed.data;
    const actions = checkActions(plugin, entry.key, label, problems);
    if (byKey.has(entry.key)) problems.push(`${label}: key "${entry.key}" is already registered`);
    const specs = specProblems(entry);
    problems.push(...specs.map((p) => `${label}: ${p}`));
    if (specs.length || byKey.has(entry.key) || (logo && !logo.ok)) return;
    byKey.set(entry.key, {
      plugin,
      entry,
      schemas: { create: settingsSchema(entry.fields, 'create'), update: settingsSchema(entry.fields, 'update') },
      secretFields: new Set(entry.fields.filter((f) => f.kind === 'Secret').map((f) => f.key)),
      searchText: `${entry.name}\n${entry.provider}\n${entry.description}`.toLowerCase(),
      capabilities: capabilitiesOf(plugin),
      actions,
    });
  });
  if (problems.length) throw new RegistryError(`The integration registry is not valid:\n  ${problems.join('\n  ')}`);
  const list = [...byKey.values()];
  const mirrors = new Map(Object.entries(options.mirrors ?? {}).filter(([key]) => byKey.has(key)));
  return { list: () => list, get: (key) => byKey.get(key), mirror: (key) => mirrors.get(key) };
}

/** What the catalog says an integration can do: a health check always, then what the plugin implements. */
function catalogCapabilities(plugin: IntegrationPlugin): Capability[] {
  const out: Capability[] = ['health'];
  if (typeof plugin.listOrganizations === 'function') out.push('organizations');
  if (plugin.actions?.length) out.push('actions');
  if (plugin.auth) out.push('oauth');
  return out;
}
