import { describe, expect, it } from 'vitest';
import { canonicalJson, inputHash } from './canonical.js';

describe('canonical input hash', () => {
  it('ignores key order and undefined members at every depth, and nothing else', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(inputHash({ ticketId: '1', body: 'x' })).toBe(inputHash({ body: 'x', ticketId: '1', hidden: undefined }));
    expect(inputHash({ ticketId: '1', body: 'x' })).not.toBe(inputHash({ ticketId: '1', body: 'x ' }));
    expect(inputHash({ a: [1, 2] })).not.toBe(inputHash({ a: [2, 1] }));
    expect(inputHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
