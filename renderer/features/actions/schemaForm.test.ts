import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { syncroTicketsAddTimeInput, syncroTicketsAttachReportInput, syncroTicketsCommentInput, syncroTicketsFindInput } from '../../../shared/actions/syncro.js';
import { msp360BackupSummaryInput } from '../../../shared/actions/msp360.js';
import { buildInput, fieldErrorsByName, fieldsOf, humanize, initialValues, splitList } from './schemaForm.js';

// The schemas as the server lists them: zod → JSON Schema with io 'input' (registry.ts).
const listed = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

describe('fields from an input schema', () => {
  it('draws Syncro’s comment: required text, a long text area, checkboxes with their defaults', () => {
    const fields = fieldsOf(listed(syncroTicketsCommentInput), { clientScoped: true });
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['clientId', 'client', false],
      ['ticketId', 'text', true],
      ['subject', 'text', false],
      ['body', 'textarea', true],
      ['hidden', 'checkbox', false],
      ['doNotEmail', 'checkbox', false],
    ]);
    expect(initialValues(fields)).toEqual({ clientId: '', ticketId: '', subject: 'Update', body: '', hidden: false, doNotEmail: false });
    expect(fields.find((f) => f.name === 'doNotEmail')?.label).toBe('Do not email');
  });

  it('numbers keep their bounds; a client id is only a client picker for a client-scoped action', () => {
    const find = fieldsOf(listed(syncroTicketsFindInput), { clientScoped: true });
    expect(find.find((f) => f.name === 'limit')).toMatchObject({ kind: 'number', integer: true, min: 1, max: 100, defaultValue: 25 });
    expect(find.find((f) => f.name === 'clientId')).toMatchObject({ kind: 'client', required: true });
    expect(fieldsOf(listed(syncroTicketsFindInput)).find((f) => f.name === 'clientId')).toMatchObject({ kind: 'number', integer: true, min: 1 });
    expect(fieldsOf(listed(syncroTicketsFindInput)).find((f) => f.name === 'clientId')?.max).toBeUndefined();
  });

  it('a date-time is a date-time control; an object it cannot draw is a JSON text area; an enum array is a list', () => {
    expect(fieldsOf(listed(syncroTicketsAddTimeInput)).find((f) => f.name === 'startAt')?.kind).toBe('datetime');
    const attach = fieldsOf(listed(syncroTicketsAttachReportInput));
    expect(attach.find((f) => f.name === 'report')?.kind).toBe('json');
    expect(attach.find((f) => f.name === 'formats')).toMatchObject({ kind: 'list', itemType: 'string', options: ['csv', 'html'] });
  });

  it('MSP360’s backup summary: the client to pick and two optional dates', () => {
    const fields = fieldsOf(listed(msp360BackupSummaryInput), { clientScoped: true });
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['clientId', 'client', true],
      ['from', 'date', false],
      ['to', 'date', false],
    ]);
    expect(buildInput(fields, { clientId: '7', from: '2026-12-01', to: '' })).toEqual({ input: { clientId: 7, from: '2026-12-01' }, errors: {} });
    expect(buildInput(fields, initialValues(fields)).errors).toEqual({ clientId: 'Choose a client' });
  });

  it('enums, formats, nullable and primitive arrays from a hand-written schema', () => {
    const fields = fieldsOf({
      type: 'object',
      required: ['severity'],
      properties: {
        severity: { type: 'string', enum: ['low', 'high'] },
        contact: { type: 'string', format: 'email' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        ports: { type: 'array', items: { type: 'integer' } },
        tags: { type: 'array', items: { type: 'object' } },
        when: { type: 'string', format: 'date' },
      },
    });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['severity', 'select'],
      ['contact', 'text'],
      ['note', 'text'],
      ['ports', 'list'],
      ['tags', 'json'],
      ['when', 'date'],
    ]);
    expect(fields[0]).toMatchObject({ options: ['low', 'high'], required: true });
    expect(fields[1]?.inputType).toBe('email');
    expect(fieldsOf({ type: 'string' })).toEqual([]);
  });
});

describe('input from the form', () => {
  const fields = fieldsOf({
    type: 'object',
    required: ['ticketId', 'minutes'],
    properties: {
      ticketId: { type: 'string' },
      minutes: { type: 'integer', minimum: 1, maximum: 1440 },
      note: { type: 'string' },
      urgent: { type: 'boolean' },
      ports: { type: 'array', items: { type: 'integer' } },
      formats: { type: 'array', items: { type: 'string', enum: ['csv', 'html'] } },
      extra: { type: 'object' },
      startAt: { type: 'string', format: 'date-time' },
    },
  });

  it('types each value and leaves empty optional fields out', () => {
    const values = { ...initialValues(fields), ticketId: ' 42 ', minutes: '30', urgent: true, ports: '80, 443\n8080', formats: 'csv', extra: '{"a": 1}', startAt: '2026-12-06T09:30' };
    const built = buildInput(fields, values);
    expect(built.errors).toEqual({});
    expect(built.input).toEqual({ ticketId: ' 42 ', minutes: 30, urgent: true, ports: [80, 443, 8080], formats: ['csv'], extra: { a: 1 }, startAt: new Date('2026-12-06T09:30').toISOString() });
    expect('note' in built.input).toBe(false);
  });

  it('says what it cannot turn into input, field by field', () => {
    const built = buildInput(fields, { ...initialValues(fields), minutes: '2.5', ports: '80, x', formats: 'pdf', extra: '{a', startAt: 'soon' });
    expect(built.errors).toEqual({
      ticketId: 'Required',
      minutes: 'Enter a whole number',
      ports: 'Each item: enter a number',
      formats: '“pdf” is not one of csv, html',
      extra: 'Not valid JSON',
      startAt: 'Enter a date and time',
    });
    expect(buildInput(fields, { ...initialValues(fields), ticketId: '1', minutes: '2000' }).errors).toEqual({ minutes: 'At most 1440' });
  });

  it('an edited request starts from what it sent', () => {
    const values = initialValues(fields, { ticketId: '7', minutes: 15, ports: [1, 2], extra: { b: true } });
    expect(values).toMatchObject({ ticketId: '7', minutes: '15', ports: '1\n2', extra: '{\n  "b": true\n}', urgent: false });
  });

  it('puts the server’s messages beside their fields, the rest on top', () => {
    expect(fieldErrorsByName(fields, { 'input.ticketId': ['Ticket id is the number Syncro gives a ticket'], 'input.extra.a': ['Bad'], idempotencyKey: ['Missing'] })).toEqual({
      ticketId: 'Ticket id is the number Syncro gives a ticket',
      extra: 'Bad',
      '': 'Missing',
    });
  });

  it('names and lists', () => {
    expect(humanize('ticketId')).toBe('Ticket id');
    expect(humanize('api_token')).toBe('Api token');
    expect(splitList(' a, b ,\n\n c ')).toEqual(['a', 'b', 'c']);
  });
});
