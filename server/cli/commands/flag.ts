import { featureFlagNames, isFeatureFlag, clearFeatureFlag, describeFeatureFlag, setFeatureFlag, type FeatureFlag } from '../../services/featureFlags.js';
import { partnerExists } from '../../db/partners.js';
import { withSystem } from '../../db/pool.js';
import { checkMspBackupsParity } from '../../legacy/mspbackups/parity.js';
import { parseCliArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

const onOff: Record<string, boolean> = { on: true, off: false, true: true, false: false };

function flagName(value: string | undefined): FeatureFlag {
  if (!value || !isFeatureFlag(value)) throw new UsageError(`the flag must be one of: ${featureFlagNames.join(', ')}`);
  return value;
}

export const flagCommand: Command = {
  name: 'flag',
  usage: 'flag set|clear|show <flag> [on|off] [--partner <id>] [--force]',
  summary: `set, clear or show a feature flag, globally or for one partner (${featureFlagNames.join(', ')}); instances see a change within 5 s`,
  async run(args, runtime, io) {
    const [action, name, ...rest] = args;
    const flag = flagName(name);
    let enabled: boolean | undefined;
    let options = rest;
    if (action === 'set') {
      const value = onOff[rest[0] ?? ''];
      if (value === undefined) throw new UsageError('flag set takes on or off');
      enabled = value;
      options = rest.slice(1);
    } else if (action !== 'clear' && action !== 'show') {
      throw new UsageError('the action must be set, clear or show');
    }
    const values = parseCliArgs(options, action === 'show' ? {} : { partner: { type: 'string' }, force: { type: 'boolean' } });
    const partnerId = values.partner === undefined ? undefined : Number(values.partner);
    if (partnerId !== undefined && (!Number.isSafeInteger(partnerId) || partnerId <= 0)) throw new UsageError('--partner must be a partner id');

    const { deps } = await runtime();
    if (partnerId !== undefined && !(await withSystem(deps.db, (tx) => partnerExists(tx, partnerId)))) {
      io.err(`No partner ${partnerId}`);
      return 1;
    }
    if (flag === 'msp360.read_from_new' && enabled === true && values.force !== true) {
      // Reading from the catalog before a partner's settings got there would answer them 404:
      // parity first (legacy table dropped: nothing to compare).
      const report = await checkMspBackupsParity(deps);
      const blocking = report.differences.filter((d) => partnerId === undefined || d.partnerId === partnerId);
      if (blocking.length) {
        for (const d of blocking.slice(0, 20)) io.err(`partner ${d.partnerId}: ${d.fields.join(', ')}`);
        io.err(
          `Not set: ${blocking.length} partner(s) would read settings that differ from what they use today. ` +
            'Run `msp360-migrate`, check with `msp360-parity`, then set the flag (or add --force).',
        );
        return 1;
      }
    }
    if (enabled !== undefined) await setFeatureFlag(deps.db, { flag, enabled, partnerId });
    else if (action === 'clear') await clearFeatureFlag(deps.db, { flag, partnerId });
    io.out(JSON.stringify(await describeFeatureFlag(deps.db, deps.config, flag)));
    return 0;
  },
};
