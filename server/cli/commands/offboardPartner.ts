import { offboardPartner } from '../../services/partners/offboard.js';
import { parseCliArgs, requireOption } from '../args.js';
import { UsageError, type Command } from '../command.js';

export const offboardPartnerCommand: Command = {
  name: 'offboard-partner',
  usage: 'offboard-partner --partner <id> [--confirm]',
  summary: "delete a partner's data key and all its rows, then move everyone else to the newest key (without --confirm: only show what would go)",
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { partner: { type: 'string' }, confirm: { type: 'boolean' } });
    const text = requireOption(values.partner, 'partner');
    const partnerId = Number(text);
    // Capped to PostgreSQL's bigint-safe range the ids are kept in.
    if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(partnerId) || partnerId < 1) throw new UsageError('--partner must be a partner id (a whole number from 1)');
    const { deps } = await runtime();
    const outcome = await offboardPartner(deps, partnerId, { confirm: values.confirm === true });
    if ('refused' in outcome) {
      io.err(outcome.message);
      return 1;
    }
    io.out(JSON.stringify(outcome));
    const { plan } = outcome;
    const total = Object.values(plan.rows).reduce((a, b) => a + b, 0);
    if (!outcome.done) {
      if (outcome.blocked) io.err(`With --confirm this would be refused now: ${outcome.blocked}`);
      io.err(`Would delete partner ${plan.partner.id} (${plan.partner.name}): ${total} row(s) in ${Object.keys(plan.rows).length} table(s), and its data key. Nothing changed; add --confirm to do it.`);
      return 0;
    }
    io.err(`Deleted partner ${plan.partner.id} (${plan.partner.name}): ${total} row(s) and its data key. ${outcome.dataKeysRewrapped} data key(s) rewrapped under "${outcome.keyId}".`);
    io.err(
      `Now finish the shredding: set ENCRYPTION_KEYS to only the newest key ("${outcome.keyId}") on every instance, restart them, and destroy ` +
        `${outcome.retireKeyIds.map((k) => `"${k}"`).join(', ')} wherever it is kept: until then, a database copy taken before now still holds this partner's secrets readable with it.`,
    );
    return 0;
  },
};
