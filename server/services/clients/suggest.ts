import type { Suggestion } from '../../../shared/clients.js';

/**
 * Suggests which client each external organization is, by name. Pure and fast: names are
 * normalised once, exact matches come from a map and weaker ones from an inverted token index,
 * so 1,000 clients × 1,500 organizations is a few milliseconds, not 1.5 M string comparisons
 * (`npm run bench -- clients`).
 */

// Legal forms stripped from the end of a name ("Dataforth Corp." is Dataforth Corporation).
const legalSuffixes = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'gmbh', 'corp', 'corporation', 'pty', 'co', 'company',
  'plc', 'ag', 'sa', 'sarl', 'srl', 'bv', 'nv', 'ab', 'as', 'oy', 'kg', 'pc', 'pllc', 'lc',
]);
// Words that carry no identity ("Smith & Sons" is "Smith and Sons" is "The Smith Sons").
const fillerWords = new Set(['and', 'the', 'of']);

/** A name reduced to what identifies it: lower case, no accents, punctuation, suffixes or filler. */
export function nameTokens(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  // "L.L.C." and "G.m.b.H." arrive as single letters: join each run of them back into a word.
  const joined: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1) {
      run += w;
      continue;
    }
    if (run) joined.push(run);
    run = '';
    joined.push(w);
  }
  if (run) joined.push(run);
  // Strip legal forms from the end ("Acme Pty Ltd"), but never the whole name ("Co" stays Co).
  while (joined.length > 1 && legalSuffixes.has(joined[joined.length - 1] as string)) joined.pop();
  const meaningful = joined.filter((w) => !fillerWords.has(w));
  return meaningful.length > 0 ? meaningful : joined;
}

/** The normalised form of a name: equal forms are the same organization. */
export const normaliseName = (name: string): string => nameTokens(name).join(' ');

/** Inputs: the partner's clients, the integration's organizations and its existing mappings. */
export interface SuggestInput {
  clients: readonly { id: number; name: string }[];
  organizations: readonly { id: string; name: string; url?: string | undefined }[];
  mappings: readonly { clientId: number; externalOrgId: string }[];
  /** Weakest score still shown for review (default 0.5). */
  minScore?: number;
}

interface Prepared {
  tokens: ReadonlySet<string>;
  compact: string;
}

const prepare = (name: string): Prepared => {
  const tokens = nameTokens(name);
  return { tokens: new Set(tokens), compact: tokens.join('') };
};

/**
 * How much a shared word says: rare words identify ("Dataforth"), common ones barely do
 * ("Dental" in a list of dental practices). Inverse document frequency over every name in play,
 * clients and organizations alike, so the weights follow the partner's own vocabulary.
 */
type Weigh = (token: string) => number;

function weigher(names: readonly Prepared[]): Weigh {
  const frequency = new Map<string, number>();
  for (const n of names) for (const t of n.tokens) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const total = Math.max(names.length, 1);
  const weights = new Map<string, number>();
  for (const [t, count] of frequency) weights.set(t, Math.log(1 + total / count));
  return (t) => weights.get(t) ?? Math.log(1 + total);
}

/**
 * Weighted Dice similarity of two token sets: 1 when equal, 0 when disjoint, and a shared rare
 * word counts for more than a shared common one, so "Harbor Dental" and "Bayside Dental" do not
 * look alike just because both are dental practices.
 */
function tokenScore(a: ReadonlySet<string>, b: ReadonlySet<string>, weigh: Weigh): number {
  let shared = 0;
  let total = 0;
  for (const t of a) total += weigh(t);
  for (const t of b) {
    const w = weigh(t);
    total += w;
    if (a.has(t)) shared += w;
  }
  return total === 0 ? 0 : (2 * shared) / total;
}

type ClientEntry = Prepared & { id: number };

/** Appends to the list under `key`, creating it. */
function addTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The first label of a URL's host without "www" ("https://www.dataforth.com" → dataforth). */
function urlLabel(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.includes('://') ? url : `https://${url}`).hostname.replace(/^www\./, '').split('.')[0];
  } catch {
    return undefined;
  }
}

/**
 * Scored client ↔ organization pairs, best first. Equal normalised names (or the same letters
 * without spaces) score 1 and are `preselect` when the organization matches only one client;
 * token overlap (weighted: rare words count more) or a website named like the client is
 * `review` (score < 1). Clients and
 * organizations that already have a mapping of this integration are never suggested.
 */
export function suggestMappings(input: SuggestInput): Suggestion[] {
  const minScore = input.minScore ?? 0.5;
  const mappedClients = new Set(input.mappings.map((m) => m.clientId));
  const mappedOrgs = new Set(input.mappings.map((m) => m.externalOrgId));
  const clients: ClientEntry[] = input.clients.filter((c) => !mappedClients.has(c.id)).map((c) => ({ id: c.id, ...prepare(c.name) }));

  const byCompact = new Map<string, number[]>();
  const byToken = new Map<string, number[]>();
  clients.forEach((c, index) => {
    addTo(byCompact, c.compact, index);
    for (const t of c.tokens) addTo(byToken, t, index);
  });

  const orgs = input.organizations.filter((o) => !mappedOrgs.has(o.id)).map((o) => ({ org: o, ...prepare(o.name) }));
  const weigh = weigher([...clients, ...orgs]);

  const out: Suggestion[] = [];
  for (const o of orgs) {
    const { org } = o;
    const exact = byCompact.get(o.compact) ?? [];
    if (exact.length > 0) {
      // One organization maps to one client: two equally good clients are for a person to pick.
      const kind = exact.length === 1 ? 'preselect' : 'review';
      for (const index of exact) out.push({ clientId: (clients[index] as ClientEntry).id, externalOrgId: org.id, score: 1, kind });
      continue;
    }
    const scores = new Map<number, number>();
    for (const t of o.tokens) {
      for (const index of byToken.get(t) ?? []) {
        if (!scores.has(index)) scores.set(index, tokenScore((clients[index] as Prepared).tokens, o.tokens, weigh));
      }
    }
    const label = urlLabel(org.url);
    for (const index of label ? (byCompact.get(label) ?? []) : []) scores.set(index, Math.max(scores.get(index) ?? 0, 0.9));
    for (const [index, score] of scores) {
      // Never 1 without equal names: a partial match is always for review.
      if (score >= minScore) out.push({ clientId: (clients[index] as ClientEntry).id, externalOrgId: org.id, score: Math.min(score, 0.95), kind: 'review' });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.clientId - b.clientId || a.externalOrgId.localeCompare(b.externalOrgId));
}
