import type { FastifyInstance } from 'fastify';
import { inboundBodyLimitBytes } from '../../shared/integrations/inboundWebhooks.js';
import type { AppDeps } from '../deps.js';
import { acceptInboundDelivery } from '../services/inboundWebhooks/ingest.js';

/**
 * `POST /api/inbound/:endpointId` (issue 18 §5): the public route senders post webhooks to. No
 * JWT: the endpoint's signature is the credential (services/inboundWebhooks/ingest.ts). The
 * signature covers the body's exact characters, so this route, alone in its own scope, takes any
 * content type as the raw text instead of parsed JSON; over the cap is a 413 before the handler.
 */
export function registerInboundRoute(app: FastifyInstance, deps: AppDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: inboundBodyLimitBytes }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { endpointId: string } }>('/api/inbound/:endpointId', { bodyLimit: inboundBodyLimitBytes }, async (req, reply) => {
      const answer = await acceptInboundDelivery(deps, {
        endpointId: req.params.endpointId,
        headers: req.headers,
        body: typeof req.body === 'string' ? req.body : '',
        ip: req.ip,
      });
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      return reply.code(answer.status).send(answer.body);
    });
  });
}
