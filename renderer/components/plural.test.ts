import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('says one without an s, and every other count with the plural form', () => {
    expect(plural(1, 'hour')).toBe('1 hour');
    expect(plural(0, 'check')).toBe('0 checks');
    expect(plural(24, 'hour')).toBe('24 hours');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('groups the thousands of a count', () => {
    expect(plural(1_500, 'organization')).toBe('1,500 organizations');
    expect(plural(1_000_000, 'row')).toBe('1,000,000 rows');
  });
});
