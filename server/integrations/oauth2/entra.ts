/**
 * Microsoft Entra (identity platform) app registrations, as partners type them: the rules every
 * Microsoft plugin (Teams, Microsoft 365) holds its tenant, application id and client secret to.
 * Each plugin words its own "required" and "not a tenant" messages; the shapes live here once.
 */

const guid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** A GUID, or a domain of at least two labels (contoso.onmicrosoft.com, contoso.com): "{tenant} is a GUID or a domain name". */
export const tenantRegex = `^(?:${guid}|(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63})$`;
export const guidRegex = `^${guid}$`;
export const tenantRe = new RegExp(tenantRegex);
export const guidRe = new RegExp(guidRegex);
/** Client secrets are printable words (Entra generates 40 characters of letters, digits and `~._-`). */
export const clientSecretRegex = '^[\\x21-\\x7e]+$';
const clientSecretRe = new RegExp(clientSecretRegex);

/** Entra's multi-tenant aliases: names of audiences, never the tenant an app signs in at. */
export const entraAliases: readonly string[] = ['common', 'organizations', 'consumers'];

/** Never echoes the secret. */
export function clientSecretProblem(value: unknown): string | null {
  const t = typeof value === 'string' ? value.trim() : '';
  if (t === '') return 'Client secret is required';
  if (t.length > 256) return 'The client secret is at most 256 characters';
  if (!clientSecretRe.test(t)) return 'The client secret is a single word without spaces';
  // A Secret ID is a GUID; Entra's secret values are not: the partner copied the wrong column.
  if (guidRe.test(t)) return "This looks like the secret's Secret ID: paste its Value instead (shown once when the secret is created)";
  return null;
}
