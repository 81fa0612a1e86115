import { describe, expect, it } from 'vitest';
import { unavailableSentence } from './actionWords.js';

describe('unavailableSentence', () => {
  const refusal = { code: 'not_permitted' as const, message: "Huntress's account API key is read-only: resolving needs a user-based key." };

  it('tells a technician and the platform operator their role, whatever the reason behind it', () => {
    expect(unavailableSentence(refusal, 'Huntress')).toBe('Partner admins only.');
    expect(unavailableSentence(refusal, 'Huntress', { isDev: true, isAdmin: true })).toBe('The platform operator reads partners but runs no actions.');
  });

  it("tells a partner admin the plugin's own refusal (a read-only key), not a role they already have", () => {
    expect(unavailableSentence(refusal, 'Huntress', { isAdmin: true })).toBe("Huntress's account API key is read-only: resolving needs a user-based key.");
    expect(unavailableSentence({ code: 'not_permitted', message: '' }, 'Level', { isAdmin: true })).toBe('Not permitted with these settings.');
  });
});
