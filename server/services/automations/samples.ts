import type { HealthTriggerData, Trigger } from '../../../shared/automations.js';

/**
 * Sample values with the types the trigger and each action's output produce, for the save-time
 * type check: every template is evaluated against them and the result checked with the next
 * action's zod input schema. A sample is one representative value per JSON Schema node
 * (text, 1, true, one array element, every property), so a path that exists has the right type.
 */

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; enum?: unknown[]; const?: unknown; format?: string; default?: unknown };

/** The marker an "any" value (e.g. an inbound payload) carries, so its fields are not type-checked. */
export const anyValue = '\u0000any';

export function sampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 12) return anyValue;
  if ('const' in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const present = union.find((s) => s.type !== 'null') ?? union[0];
    return sampleOf(present, depth + 1);
  }
  if (schema.allOf?.[0]) return sampleOf(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? '2026-01-01T00:00:00.000Z' : 'text';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [sampleOf(schema.items, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) out[key] = sampleOf(child, depth + 1);
      return out;
    }
    default:
      return anyValue;
  }
}

/** What each trigger kind gives a run as `trigger` (the run's data has these fields, filled in). */
export function triggerSample(trigger: Trigger): Record<string, unknown> {
  switch (trigger.kind) {
    case 'health':
      return { kind: 'health', integrationKey: trigger.integrationKey ?? 'text', change: 'error', health: 'error', status: 'Error', message: 'text', at: '2026-01-01T00:00:00.000Z' } satisfies HealthTriggerData;
    case 'inbound':
      return { kind: 'inbound', integrationKey: trigger.integrationKey, deliveryId: 'text', receivedAt: '2026-01-01T00:00:00.000Z', payload: anyValue };
    case 'schedule':
      return { kind: 'schedule', scheduledFor: '2026-01-01T00:00:00.000Z', timeZone: trigger.timeZone };
    case 'manual':
      return {
        kind: 'manual',
        userId: 1,
        input: Object.fromEntries(trigger.inputs.map((i) => [i.name, i.type === 'string' ? 'text' : i.type === 'number' ? 1 : true])),
      };
  }
}

/**
 * Further shapes a trigger's data takes, each checked like the sample: a step must type-check
 * with every one. A health trigger that fires on recovery gets `message: null` (shared
 * healthTriggerDataSchema), so `{{trigger.message}}` alone cannot fill a required text input.
 */
export function triggerVariants(trigger: Trigger): { when: string; data: Record<string, unknown> }[] {
  if (trigger.kind !== 'health' || !trigger.on.includes('recovered')) return [];
  const data: HealthTriggerData = { kind: 'health', integrationKey: trigger.integrationKey ?? 'text', change: 'recovered', health: 'ok', status: 'Active', message: null, at: '2026-01-01T00:00:00.000Z' };
  return [{ when: 'on recovery trigger.message is null', data }];
}

/** Whether a rendered value came (wholly or partly) from an "any" value. */
export const touchesAny = (value: unknown): boolean => JSON.stringify(value ?? null).includes('\\u0000any');
