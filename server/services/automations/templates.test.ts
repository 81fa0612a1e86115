import { describe, expect, it } from 'vitest';
import { compile, conditionHolds, renderInput, renderValue, sandboxData, TemplateError, templateLimits } from './templates.js';

/**
 * Templates are JSONata, sandboxed (issue 23 §1): they read only the run's data, and an
 * expression that runs long, nests deep or builds something huge is stopped with words a user
 * reads, well before it could hold the server up. Timings are loose bounds for a busy 2-core CI.
 */
const data = sandboxData({ trigger: { client: { id: 7, name: 'Dataforth' } }, steps: { find: { status: 'succeeded', output: { tickets: [{ id: '101' }] } } } });

describe('templates', () => {
  it('keep the type of a whole-value template and render text around parts', async () => {
    expect(await renderValue('{{trigger.client.id}}', data)).toBe(7);
    expect(await renderValue('{{steps.find.output.tickets[0].id}}', data)).toBe('101');
    expect(await renderValue('Client {{trigger.client.name}} (#{{trigger.client.id}})', data)).toBe('Client Dataforth (#7)');
    expect(await renderInput({ a: '{{trigger.nothing}}', b: 3 }, data)).toEqual({ value: { b: 3 }, errors: {} });
    expect(await conditionHolds('steps.find.status = "succeeded"', data)).toBe(true);
    expect(await conditionHolds('{{trigger.client.id > 10}}', data)).toBe(false);
  });

  it('see nothing of the server: no functions or prototypes in the data', async () => {
    expect(sandboxData({ f: () => 1, d: new Date(0) })).toEqual({ d: '1970-01-01T00:00:00.000Z' });
    expect(await renderValue('{{$string($$.constructor)}}', data)).toBeUndefined();
    expect(await renderValue('{{$keys($)}}', data)).toEqual(['trigger', 'steps']);
  });

  it.each([
    ['an endless recursion', '{{($f := function($n){ $f($n + 1) }; $f(0))}}', /nests too deeply|longer than 200 ms/],
    ['a long loop', '{{($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))}}', /nests too deeply|longer than 200 ms/],
    ['a huge range', '{{$count([1..10000000])}}', /longer than 100,000 items/],
    ['a huge pad', '{{$pad("x", 100000000)}}', /larger than 64 KB/],
    ['a replace that multiplies', '{{($s := $join([1..1000].$string(), ""); $replace($replace($s, "1", $s), "2", $s))}}', /larger than 64 KB/],
    ['a large result', '{{$join([1..9000].("abcdefghij"), ",")}}', /larger than 64 KB|longer than 200 ms/],
  ])('stop %s quickly, with a reason', async (_name, template, message) => {
    const started = performance.now();
    await expect(renderValue(template, data)).rejects.toThrow(message);
    expect(performance.now() - started).toBeLessThan(templateLimits.timeMs * 10);
  });

  it('refuse regular expressions, which no time limit interrupts, and keep the plain-text functions', async () => {
    const webhookText = { trigger: { text: `${'a'.repeat(30)}!` }, steps: {} };
    const started = performance.now();
    for (const template of ['{{$match(trigger.text, /(a+)+$/)}}', '{{($r := /(a|a)+$/; $contains(trigger.text, $r))}}', '{{$replace(trigger.text, /a/, "b")}}']) {
      await expect(renderValue(template, webhookText)).rejects.toThrow(/cannot use regular expressions/);
    }
    expect(performance.now() - started).toBeLessThan(templateLimits.timeMs * 10);
    expect(() => compile('$split(trigger.text, /a/)')).toThrow(TemplateError);
    expect(await renderValue('{{$contains(trigger.text, "aa!")}}', webhookText)).toBe(true);
    expect(await renderValue('{{$replace("a-b", "-", "+")}}', webhookText)).toBe('a+b');
  });

  it('refuse run data past the size cap', () => {
    expect(() => sandboxData({ blob: 'x'.repeat(templateLimits.inputBytes) })).toThrow(/too large/);
  });
});
