import { ensurePartner } from '../../db/partners.js';
import { withSystem } from '../../db/pool.js';
import { parseCliArgs, requireOption } from '../args.js';
import type { Command } from '../command.js';

export const createPartnerCommand: Command = {
  name: 'create-partner',
  usage: 'create-partner --name <name> [--dev]',
  summary: 'create a partner (or show the one with that name); --dev marks the platform operator',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { name: { type: 'string' }, dev: { type: 'boolean' } });
    const name = requireOption(values.name, 'name');
    const { deps } = await runtime();
    const partner = await withSystem(deps.db, (tx) => ensurePartner(tx, name, values.dev === true));
    io.out(JSON.stringify(partner));
    return 0;
  },
};
