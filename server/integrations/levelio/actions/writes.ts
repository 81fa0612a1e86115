import { levelAlertsResolveInput, levelAlertsResolveOutput, levelAutomationsTriggerInput, levelAutomationsTriggerOutput } from '../../../../shared/actions/levelio.js';
import { AppError } from '../../../../shared/errors.js';
import { defineAction } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { webhookFor, webhookToken } from './automations.js';
import { alertView, clientDevices, guarded, levelFailure, maxAutomations, needsWriteAccess, openRun, type LevelActionDeps } from './call.js';

/**
 * The side-effectful actions. Level's write endpoints come from third-party sources only
 * (vendor-apis.md §6 [L: mindcloud-inc universal-api-reference, ALGA
 * levelIoWorkflowRuntimeSupport.ts]): *verify* both paths against Level before relying on them.
 * Both need a "Read & write" key (`needsWriteAccess`).
 */
export function levelWriteActions(deps: LevelActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'levelio.alerts.resolve',
      label: 'Resolve a Level alert',
      description: 'Marks the alert resolved in Level. Needs a key with "Read & write" access.',
      sideEffectful: true,
      clientScoped: false,
      input: levelAlertsResolveInput,
      output: levelAlertsResolveOutput,
      availability: needsWriteAccess,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        // *verify*: `POST /v2/alerts/{id}/resolve` [L]; its answer is unknown, read as an alert when it is one.
        const alert = await guarded({ doing: 'resolve the alert', write: true, notFound: `Level has no alert ${input.alertId}` }, () => api.resolveAlert(call, input.alertId));
        return { output: { alertId: input.alertId, resolved: true, alert: alert ? { ...alertView(alert), resolved: true } : null } };
      },
    }),

    defineAction({
      id: 'levelio.automations.trigger',
      label: 'Run a Level automation',
      description:
        "Starts the automation through its webhook trigger, optionally on chosen devices. With a client, only that client's devices (all of them when none are chosen). The automation needs a webhook trigger in Level, and the key \"Read & write\" access.",
      sideEffectful: true,
      clientScoped: false,
      input: levelAutomationsTriggerInput,
      output: levelAutomationsTriggerOutput,
      availability: needsWriteAccess,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const automations = await guarded({ doing: 'list automations', write: false }, () => api.automations(call, maxAutomations));
        const automation = automations.items.find((a) => a.id === input.automationId);
        if (!automation) throw new AppError('NOT_FOUND', `Level has no automation ${input.automationId}`);
        const name = automation.name?.trim() || `Automation ${automation.id}`;

        // *verify*: the webhook triggers are listed at `GET /v2/automations/webhooks` [L].
        const webhooks = await guarded({ doing: 'list webhook triggers', write: false }, () => api.webhooks(call, maxAutomations));
        const hook = webhookFor(webhooks.items, automation.id);
        if (!hook) {
          throw new AppError('CONFLICT', `The automation "${name}" has no webhook trigger, and Level's API can start an automation only through one: add a webhook trigger to this automation in Level first, then run this again. Nothing was started.`, {
            details: { automationId: automation.id, reason: 'no_webhook_trigger' },
          });
        }
        const token = webhookToken(hook);
        if (!token) {
          // Listed, but without a token we can put in a path: Level's answer, not the partner's setup.
          throw new AppError('VENDOR_ERROR', `Level listed the webhook trigger of "${name}" without a token this integration can use; nothing was started.`, {
            details: { automationId: automation.id, reason: 'webhook_token_unusable' },
          });
        }
        const authorization = typeof ctx.settings.webhook_authorization === 'string' && ctx.settings.webhook_authorization.trim() ? ctx.settings.webhook_authorization.trim() : undefined;
        if (hook.requires_authorization === true && !authorization) {
          throw new AppError('CONFLICT', `The webhook trigger of "${name}" requires an authorization header: enter its value under "Webhook authorization header" in the Level settings. Nothing was started.`, {
            details: { automationId: automation.id, reason: 'webhook_authorization_missing' },
          });
        }

        let deviceIds = input.deviceIds ? [...new Set(input.deviceIds)] : undefined;
        if (input.clientId !== undefined) {
          // A run meant for one client must never touch another client's machine because an id was mistyped.
          const { devices, clientName } = await clientDevices(ctx, api, call, input.clientId);
          const own = new Set(devices.map((d) => d.id));
          const foreign = (deviceIds ?? []).filter((id) => !own.has(id));
          if (foreign.length) {
            throw new AppError('CONFLICT', `Device${foreign.length > 1 ? 's' : ''} ${foreign.join(', ')} ${foreign.length > 1 ? 'are' : 'is'} not in a Level group mapped to ${clientName}; nothing was started.`, {
              details: { deviceIds: foreign },
            });
          }
          deviceIds ??= [...own];
          if (deviceIds.length === 0) throw new AppError('CONFLICT', `${clientName} has no devices in its mapped Level groups; nothing was started.`);
        }

        const sentAuthorization = hook.requires_authorization === true ? authorization : undefined;
        let started: { runId: string | null };
        try {
          started = await api.triggerWebhook(call, token, deviceIds, sentAuthorization);
        } catch (error) {
          if (sentAuthorization && error instanceof VendorError && error.kind === 'unauthorized') {
            throw new AppError('VENDOR_ERROR', `Level refused the authorization header of the webhook trigger of "${name}": check "Webhook authorization header" in the Level settings against the trigger in Level. Nothing was started.`, {
              details: { vendorStatus: 401 },
            });
          }
          throw levelFailure(error, { doing: `start the automation "${name}"`, write: true, notFound: `Level no longer knows the webhook trigger of "${name}"; list the automations again` });
        }
        return { output: { automationId: automation.id, automationName: name, deviceIds: deviceIds ?? [], runId: started.runId } };
      },
    }),
  ];
}
