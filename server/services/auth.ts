import type { LoginInput, LoginOutput } from '../../shared/auth.js';
import { verifyPassword } from '../auth/passwords.js';
import { clear, hit, peek } from '../auth/rateLimit.js';
import { findLoginByEmail } from '../db/users.js';
import type { AppDeps } from '../deps.js';
import { appError } from '../trpc/errors.js';

const wrongCredentials = 'Email or password is incorrect';

/**
 * Password login. Unknown email and wrong password take the same path (same message, a full
 * argon2 verification either way); attempts are throttled per client address and failures
 * per account, across every server instance.
 */
export async function login(deps: AppDeps, input: LoginInput, ip: string): Promise<LoginOutput> {
  if (!deps.tokens.canSign) {
    throw appError('NOT_FOUND', 'Password login is off: sign in through your identity provider');
  }
  const { db, loginLimits } = deps;
  const accountBucket = `login:account:${input.email}`;

  const perIp = await hit(db.pool, `login:ip:${ip}`, loginLimits.perIp);
  const perAccount = await peek(db.pool, accountBucket, loginLimits.perAccount);
  const limited = [perIp, perAccount].find((r) => !r.allowed);
  if (limited) {
    throw appError('RATE_LIMITED', `Too many sign-in attempts; try again in ${limited.retryAfterSeconds} s`, {
      retryAfterSeconds: limited.retryAfterSeconds,
    });
  }

  const user = await findLoginByEmail(db.pool, input.email);
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk) {
    await hit(db.pool, accountBucket, loginLimits.perAccount);
    throw appError('UNAUTHORIZED', wrongCredentials);
  }
  // Only someone who knows the password learns that the account is disabled.
  if (user.disabled) throw appError('UNAUTHORIZED', 'This account is disabled; ask your partner admin');

  await clear(db.pool, accountBucket);
  const { token, expiresAt } = await deps.tokens.sign({ userId: user.id, partnerId: user.partnerId, role: user.role });
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      partnerId: user.partnerId,
      partnerName: user.partnerName,
      isDev: user.isDev,
    },
  };
}
