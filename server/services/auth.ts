import { AppError } from '../../shared/errors.js';
import type { LoginInput, LoginOutput } from '../../shared/auth.js';
import { verifyPassword } from '../auth/passwords.js';
import { clear, hit, refund } from '../auth/rateLimit.js';
import { findLoginByEmail } from '../db/users.js';
import type { AppDeps } from '../deps.js';

const wrongCredentials = 'Email or password is incorrect';

const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', `Too many sign-in attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

/**
 * Password login. Unknown email and wrong password take the same path (same message, a full
 * argon2 verification either way); attempts are throttled per client address and failures
 * per account from that address, across every server instance. A guesser spread over many
 * addresses gets `perAccountAddress.limit` tries from each: argon2id's cost bounds that, and
 * deployments that need more use their identity provider (JWT_JWKS_URL).
 */
export async function login(deps: AppDeps, input: LoginInput, ip: string): Promise<LoginOutput> {
  if (!deps.tokens.canSign) {
    throw new AppError('NOT_FOUND', 'Password login is off: sign in through your identity provider');
  }
  const { db, loginLimits } = deps;
  // Failures count per account AND address: a stranger's guesses lock only the stranger out.
  const accountBucket = `login:account:${input.email}:ip:${ip}`;

  // Both counters are taken BEFORE the password check, each in one atomic statement: a
  // guess reserves its attempt up front, so parallel guesses cannot all slip past a count read
  // while argon2 runs. The account counter counts failures; a success clears it and an attempt
  // that turns out not to be a failure gives its reservation back.
  const perIp = await hit(db.pool, `login:ip:${ip}`, loginLimits.perIp);
  if (!perIp.allowed) throw rateLimited(perIp.retryAfterSeconds);
  const perAccount = await hit(db.pool, accountBucket, loginLimits.perAccountAddress);
  if (!perAccount.allowed) throw rateLimited(perAccount.retryAfterSeconds);

  const user = await findLoginByEmail(db.pool, input.email);
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  // A wrong guess keeps its reservation: that is the failure being counted.
  if (!user || !passwordOk) throw new AppError('UNAUTHORIZED', wrongCredentials);
  // Only someone who knows the password learns that the account is disabled.
  if (user.disabled) {
    await refund(db.pool, accountBucket);
    throw new AppError('UNAUTHORIZED', 'This account is disabled; ask your partner admin');
  }

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
