import { randomBytes } from 'node:crypto';
import { emailSchema, roleSchema } from '../../../shared/auth.js';
import { hashPassword } from '../../auth/passwords.js';
import { withSystem } from '../../db/pool.js';
import { insertUser } from '../../db/users.js';
import { parseCliArgs, requireOption } from '../args.js';
import { UsageError, type Command } from '../command.js';

export const createUserCommand: Command = {
  name: 'create-user',
  usage: 'create-user --partner <id> --email <email> --role <partner_admin|partner_user> [--name <name>] [--password <password>]',
  summary: 'create a user; without --password one is generated and printed once',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, {
      partner: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
    });
    const partnerId = Number(requireOption(values.partner, 'partner'));
    if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new UsageError('--partner must be a partner id');
    const email = emailSchema.safeParse(requireOption(values.email, 'email'));
    if (!email.success) throw new UsageError('--email is not an email address');
    const role = roleSchema.safeParse(requireOption(values.role, 'role'));
    if (!role.success) throw new UsageError('--role must be partner_admin or partner_user');
    const password = values.password ?? randomBytes(12).toString('base64url');
    if (password.length < 8) throw new UsageError('--password must be at least 8 characters');

    const { deps } = await runtime();
    const passwordHash = await hashPassword(password);
    const exists = await deps.db.pool.query('SELECT 1 FROM partners WHERE id = $1', [partnerId]);
    if (exists.rowCount === 0) {
      io.err(`No partner ${partnerId}`);
      return 1;
    }
    const id = await withSystem(deps.db, (tx) =>
      insertUser(tx, { partnerId, email: email.data, displayName: values.name ?? '', passwordHash, role: role.data }),
    ).catch((error: { code?: string }) => {
      if (error.code === '23505') return undefined; // unique email
      throw error;
    });
    if (id === undefined) {
      io.err(`A user with email ${email.data} already exists`);
      return 1;
    }
    io.out(JSON.stringify({ id, email: email.data, role: role.data, partnerId, password }));
    return 0;
  },
};
