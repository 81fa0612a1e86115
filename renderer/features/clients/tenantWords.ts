import type { ClientTenant } from '../../../shared/localMicrosoft365.js';
import type { BadgeTone } from '../../components/Badge.js';

/** The consent state as a badge: consented, fixable by an administrator, or a problem of the app or tenant. */
export function consentBadge(tenant: Pick<ClientTenant, 'consent' | 'consentFixes'>): { tone: BadgeTone; label: string } {
  if (tenant.consent === 'consented') return { tone: 'ok', label: 'Consent given' };
  if (tenant.consentFixes) return { tone: 'warn', label: 'Consent missing' };
  if (tenant.consent === 'unreachable') return { tone: 'neutral', label: 'Not checked' };
  return { tone: 'danger', label: 'No token' };
}

/** "42 of 80 (53%)", or what is missing. */
export function secureScoreWords(score: { currentScore: number | null; maxScore: number | null; percent: number | null }): string {
  if (score.currentScore === null) return 'No score yet';
  const of = score.maxScore === null ? '' : ` of ${Math.round(score.maxScore)}`;
  const percent = score.percent === null ? '' : ` (${Math.round(score.percent)}%)`;
  return `${Math.round(score.currentScore)}${of}${percent}`;
}
