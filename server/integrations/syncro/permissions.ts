/**
 * The Syncro API-token permissions this integration uses, spelled as Syncro's API reference
 * spells them ("Required permission: …" on each endpoint), so a health message names exactly the
 * box the partner has to tick under Admin › API Tokens.
 */
export const syncroPermissions = {
  customers: 'Customers - List/Search',
  tickets: 'Tickets - List/Search',
} as const;
