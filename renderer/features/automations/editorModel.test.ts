import { describe, expect, it } from 'vitest';
import type { ActionDescriptor } from '../../../shared/actions.js';
import { completeTemplate, isDisconnected, openTemplate, placeErrors, schemaPaths, stepFormOf, stepOf, suggestionsFor, templatePaths, triggerSummary } from './editorModel.js';

const action = (over: Partial<ActionDescriptor> = {}): ActionDescriptor => ({
  id: 'desk.tickets.comment',
  integrationKey: 'desk',
  label: 'Comment',
  description: '',
  sideEffectful: true,
  clientScoped: false,
  available: true,
  inputSchema: {
    type: 'object',
    properties: { ticketId: { type: 'string' }, count: { type: 'integer' }, hidden: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['ticketId'],
  },
  outputSchema: { type: 'object', properties: { ticket: { type: 'object', properties: { id: { type: 'string' } } }, items: { type: 'array', items: { type: 'object', properties: { id: { type: 'number' } } } } } },
  ...over,
});

describe('the automation editor model', () => {
  it('gives literals their field type and leaves templates as text, round-tripping a step', () => {
    const step = { name: 'post', actionId: 'desk.tickets.comment', input: { ticketId: '{{steps.read.output.ticket.id}}', count: 3, hidden: true, tags: ['a', 'b'] }, onFailure: { mode: 'retry' as const, times: 2, backoffSeconds: 30 } };
    const form = stepFormOf(step);
    expect(form.values).toEqual({ ticketId: '{{steps.read.output.ticket.id}}', count: '3', hidden: 'true', tags: '["a","b"]' });
    expect(stepOf(form, action())).toEqual(step);
    // A literal that does not convert is sent as written: the server's check names it.
    expect(stepOf({ ...form, values: { ticketId: '7', count: 'many' } }, action()).input).toEqual({ ticketId: '7', count: 'many' });
    expect(stepOf({ ...form, values: { ticketId: '', tags: 'x, y' }, condition: '  ' }, action())).toEqual({ name: 'post', actionId: 'desk.tickets.comment', input: { tags: ['x', 'y'] }, onFailure: step.onFailure });
  });

  it('completes an open template from the trigger and earlier steps only', () => {
    const trigger = { kind: 'manual' as const, inputs: [{ name: 'note', type: 'string' as const, required: true }] };
    const read = stepFormOf({ name: 'read', actionId: 'desk.tickets.comment', input: {}, onFailure: { mode: 'stop' } });
    const later = stepFormOf({ name: 'later', actionId: 'desk.tickets.comment', input: {}, onFailure: { mode: 'stop' } });
    const paths = templatePaths(trigger, [read, later], 1, new Map([['desk.tickets.comment', action()]]));
    expect(paths).toEqual(['trigger.userId', 'trigger.input.note', 'steps.read.status', 'steps.read.output.ticket', 'steps.read.output.ticket.id', 'steps.read.output.items', 'steps.read.output.items[0]', 'steps.read.output.items[0].id']);
    expect(paths.some((p) => p.startsWith('steps.later'))).toBe(false);
    expect(openTemplate('Hi {{trigger.in')).toBe('trigger.in');
    expect(openTemplate('Hi {{trigger.input.note}}')).toBeNull();
    expect(suggestionsFor('ticket.i', paths)).toEqual(['steps.read.output.ticket.id']);
    expect(completeTemplate('Hi {{trigger.in', 'trigger.input.note')).toBe('Hi {{trigger.input.note}}');
    expect(schemaPaths({ anyOf: [{ type: 'object', properties: { a: {} } }, { type: 'null' }] }, 'x')).toEqual(['x.a']);
  });

  it('places the server\'s messages on the step and field they name', () => {
    const placed = placeErrors(
      {
        'steps.1.input.body': ['Step post, input.body: refers to step later'],
        'steps.0.actionId': ['Step read: there is no action x'],
        'trigger.cron': ['Cron does not parse'],
        name: ['Name is required'],
        input: ['too large'],
      },
      2,
    );
    expect(placed.steps[1]?.input).toEqual({ body: 'Step post, input.body: refers to step later' });
    expect(placed.steps[0]?.actionId).toBe('Step read: there is no action x');
    expect([placed.trigger, placed.name, placed.other]).toEqual([{ cron: 'Cron does not parse' }, 'Name is required', ['too large']]);
  });

  it('marks a step disconnected only for integration-wide reasons, and sums up triggers', () => {
    expect(isDisconnected(action({ available: false, unavailable: { code: 'not_configured', message: 'Desk is not configured' } }))).toBe(true);
    expect(isDisconnected(action({ available: false, unavailable: { code: 'missing_mapping', message: 'map it' } }))).toBe(false);
    expect(isDisconnected(action())).toBe(false);
    const names = new Map([['msp360', 'MSP360']]);
    expect(triggerSummary({ kind: 'health', integrationKey: 'msp360', on: ['degraded', 'error'] }, names)).toBe('When MSP360 turns Degraded or turns Error');
    expect(triggerSummary({ kind: 'health', integrationKey: null, on: ['recovered'] }, names)).toBe('When any integration recovers');
  });
});
