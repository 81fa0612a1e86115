import ms from 'ms';
import { findPrincipal, findUserIdByRef } from '../../db/users.js';
import { parseCliArgs, requireOption } from '../args.js';
import { UsageError, type Command } from '../command.js';

export const tokenCommand: Command = {
  name: 'token',
  usage: 'token --user <id|email> [--ttl 1h]',
  summary: 'mint a JWT for a user (needs an HS256 secret: JWT_SECRET or the embedded default)',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { user: { type: 'string' }, ttl: { type: 'string' } });
    const ref = requireOption(values.user, 'user');
    const ttlMs = values.ttl === undefined ? undefined : ms(values.ttl as ms.StringValue);
    if (values.ttl !== undefined && !(typeof ttlMs === 'number' && ttlMs > 0)) {
      throw new UsageError(`--ttl "${values.ttl}" is not a duration such as 1h`);
    }
    const { deps } = await runtime();
    if (!deps.tokens.canSign) {
      io.err('This server verifies tokens from JWT_JWKS_URL and cannot mint them; set JWT_SECRET to use this command.');
      return 1;
    }
    const max = deps.config.jwt.maxLifetimeMs;
    if (ttlMs !== undefined && max > 0 && ttlMs > max) throw new UsageError(`--ttl "${values.ttl}" is longer than JWT_MAX_LIFETIME allows`);
    const userId = await findUserIdByRef(deps.db.pool, ref);
    const user = userId === undefined ? undefined : await findPrincipal(deps.db.pool, userId);
    if (!user) {
      io.err(`No user ${ref}`);
      return 1;
    }
    const { token, expiresAt } = await deps.tokens.sign({ userId: user.id, partnerId: user.partnerId, role: user.role }, ttlMs);
    io.out(token);
    io.err(`token for ${user.email} (${user.role}, partner ${user.partnerId}) expires ${expiresAt.toISOString()}`);
    return 0;
  },
};
