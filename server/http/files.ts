import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';

/**
 * `GET /files/:token`: the public, unauthenticated route vendors fetch published files from
 * (Syncro's attach_file_url). The token is the only credential: signed (a forged one is 404
 * without a database read), single use and 15 minutes long (a second fetch or a late one is 410).
 * The file is always a download, never rendered in our origin: attachment, nosniff, a CSP that
 * allows nothing, no caching anywhere.
 */
export function registerFileRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { token: string } }>('/files/:token', async (req, reply) => {
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    const fetched = deps.files ? await deps.files.fetchOnce(req.params.token) : ({ refused: 'forged' } as const);
    if ('refused' in fetched) {
      const [status, text] = fetched.refused === 'gone' ? [410, 'This link has expired or was already used.\n'] : [404, 'Not found.\n'];
      return reply.code(status).type('text/plain; charset=utf-8').send(text);
    }
    const { file } = fetched;
    return reply
      .code(200)
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.body);
  });
}
