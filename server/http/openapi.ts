import { z } from 'zod';
import { apiErrorSchema } from '../../shared/errors.js';
import { restTagDescriptions } from '../trpc/meta.js';
import { inputJsonSchema, pathParams, type RestOperation } from './restOperations.js';

type JsonSchema = Record<string, unknown>;

const outputSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  return rest;
};

/** The operationId: the procedure's path as an identifier (`integrations.list` → `integrations_list`). */
export const operationIdOf = (procedure: string): string => procedure.replace(/\./g, '_');

function inputParts(route: RestOperation) {
  const params = pathParams(route.path);
  const schema = route.input ? inputJsonSchema(route.input) : undefined;
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  const parameters = params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: properties[name] ?? { type: 'string' },
  }));
  if (route.method === 'GET' || route.method === 'DELETE') {
    for (const [name, prop] of Object.entries(properties)) {
      if (!params.includes(name)) parameters.push({ name, in: 'query', required: required.has(name), schema: prop });
    }
    return { parameters };
  }
  if (!schema) return { parameters };
  const bodyProperties = Object.fromEntries(Object.entries(properties).filter(([name]) => !params.includes(name)));
  const body = { ...schema, properties: bodyProperties, required: [...required].filter((n) => !params.includes(n)) };
  return { parameters, requestBody: { required: true, content: { 'application/json': { schema: body } } } };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * The OpenAPI 3.1 document of the REST API, generated from the procedures' REST operations and
 * their zod schemas. Linted with Redocly's recommended rules in openapi.test.ts.
 */
export function buildOpenApiDocument(routes: RestOperation[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [String(route.successStatus ?? 200)]: {
        description: 'OK',
        content: { 'application/json': { schema: outputSchema(route.output) } },
      },
      400: errorResponse('Invalid input, with per-field messages in error.fields'),
      429: errorResponse('Rate limited; see the Retry-After header'),
    };
    if (!route.public) {
      responses[401] = errorResponse('Missing, invalid or expired token');
      responses[403] = errorResponse('The role does not allow this');
      responses[404] = errorResponse('Unknown key, or nothing of this partner');
      responses[409] = errorResponse('Version conflict; error.details holds the current state');
    }
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = {
      operationId: operationIdOf(route.procedure),
      summary: route.summary,
      tags: [route.tag],
      ...(route.public ? { security: [] } : { security: [{ bearerAuth: [] }] }),
      ...inputParts(route),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Integration Center API',
      version: info.version,
      description:
        'Partner-scoped integration catalog. The partner comes from the bearer token only. ' +
        'Errors are `{ "error": { "code", "message", "fields"? } }`.',
    },
    servers: [{ url: '/' }],
    tags: Object.entries(restTagDescriptions).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: outputSchema(apiErrorSchema) },
    },
    security: [{ bearerAuth: [] }],
    paths,
  };
}
