import { featureFlagNames, isFeatureFlag, clearFeatureFlag, describeFeatureFlag, setFeatureFlag, type FeatureFlag } from '../../services/featureFlags.js';
import { partnerExists } from '../../db/partners.js';
import { withSystem } from '../../db/pool.js';
import { parseCliArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

const onOff: Record<string, boolean> = { on: true, off: false, true: true, false: false };

function flagName(value: string | undefined): FeatureFlag {
  if (!value || !isFeatureFlag(value)) throw new UsageError(`the flag must be one of: ${featureFlagNames.join(', ')}`);
  return value;
}

export const flagCommand: Command = {
  name: 'flag',
  usage: 'flag set|clear|show <flag> [on|off] [--partner <id>]',
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
    const values = parseCliArgs(options, action === 'show' ? {} : { partner: { type: 'string' } });
    const partnerId = values.partner === undefined ? undefined : Number(values.partner);
    if (partnerId !== undefined && (!Number.isSafeInteger(partnerId) || partnerId <= 0)) throw new UsageError('--partner must be a partner id');

    const { deps } = await runtime();
    if (partnerId !== undefined && !(await withSystem(deps.db, (tx) => partnerExists(tx, partnerId)))) {
      io.err(`No partner ${partnerId}`);
      return 1;
    }
    if (enabled !== undefined) await setFeatureFlag(deps.db, { flag, enabled, partnerId });
    else if (action === 'clear') await clearFeatureFlag(deps.db, { flag, partnerId });
    io.out(JSON.stringify(await describeFeatureFlag(deps.db, deps.config, flag)));
    return 0;
  },
};
