import { ninjaAlertsListInput, ninjaAlertsListOutput } from '../../../../shared/actions/ninjaone.js';
import { defineAction } from '../../actions.js';
import { epochText, guarded, idText, openRun, type NinjaActionDeps } from './call.js';

export function ninjaAlertActions(deps: NinjaActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'ninjaone.alerts.list',
      label: 'List active NinjaOne alerts',
      description: 'Active alerts (triggered conditions), newest first, optionally of one device or one source type.',
      sideEffectful: false,
      clientScoped: false,
      input: ninjaAlertsListInput,
      output: ninjaAlertsListOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        // `GET /v2/alerts` returns every active alert in one bare array [H: NJ-OAS getAlerts]. The
        // device filter `df` syntax is not described in the spec; `id = N` is sent and the answer
        // is filtered here as well, so a filter NinjaOne reads otherwise cannot widen the result.
        const alerts = await guarded(call, { doing: 'list active alerts' }, () => api.alerts(call, { df: input.deviceId ? `id = ${input.deviceId}` : undefined, sourceType: input.sourceType }));
        const mine = alerts
          .filter((a) => input.deviceId === undefined || String(a.deviceId) === input.deviceId)
          .filter((a) => input.sourceType === undefined || a.sourceType === input.sourceType)
          .sort((a, b) => (b.createTime ?? 0) - (a.createTime ?? 0));
        return {
          output: {
            alerts: mine.slice(0, input.limit).map((a) => ({
              uid: a.uid,
              deviceId: idText(a.deviceId),
              subject: a.subject ?? null,
              message: a.message ?? null,
              sourceType: a.sourceType ?? null,
              sourceName: a.sourceName ?? null,
              createdAt: epochText(a.createTime),
              updatedAt: epochText(a.updateTime),
            })),
            truncated: mine.length > input.limit,
          },
        };
      },
    }),
  ];
}
