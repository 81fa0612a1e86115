import { clientNameSchema } from '../../../shared/clients.js';
import { AppError } from '../../../shared/errors.js';
import { createClient } from '../../services/clients/clients.js';
import { parseCliArgs, requireOption } from '../args.js';
import { UsageError, type Command } from '../command.js';

/** The audit row of a client made here names the command line, not a user. */
const cliActor = { userId: null, actor: 'cli' };

export const createClientCommand: Command = {
  name: 'create-client',
  usage: 'create-client --partner <id> --name <name>',
  summary: "add a client to a partner (the same rules and audit row as POST /api/clients)",
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { partner: { type: 'string' }, name: { type: 'string' } });
    const partnerId = Number(requireOption(values.partner, 'partner'));
    if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new UsageError('--partner must be a partner id');
    const name = clientNameSchema.safeParse(requireOption(values.name, 'name'));
    if (!name.success) throw new UsageError(`--name: ${name.error.issues[0]?.message ?? 'invalid'}`);

    const { deps } = await runtime();
    const exists = await deps.db.pool.query('SELECT 1 FROM partners WHERE id = $1', [partnerId]);
    if (exists.rowCount === 0) {
      io.err(`No partner ${partnerId}`);
      return 1;
    }
    try {
      const client = await createClient(deps.db, partnerId, cliActor, name.data);
      io.out(JSON.stringify({ ...client, partnerId }));
      return 0;
    } catch (error) {
      // A taken name is the API's 409 message; anything else is a real failure.
      if (error instanceof AppError && error.code === 'CONFLICT') {
        io.err(error.message);
        return 1;
      }
      throw error;
    }
  },
};
