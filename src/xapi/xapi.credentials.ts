// Who may post statements: an integration's webhook credentials (HTTP Basic) or a token we issued
// for them. Pure rules here; the I/O and caches are in xapi.auth.ts.
import type { Integration } from '../integrations/integrations.repository.js';

export type Scope = 'xapi:write' | 'xapi:read' | 'xapi:all';
export const KNOWN_SCOPES: readonly Scope[] = ['xapi:write', 'xapi:read', 'xapi:all'];
export const TOKEN_TTL_SECONDS = 3600;

/** Parses an OAuth `scope` (space-delimited); absent means `xapi:write`; undefined when unknown. */
export function parseScope(raw: unknown): Scope[] | undefined {
  if (raw === undefined || raw === null || raw === '') return ['xapi:write'];
  if (typeof raw !== 'string') return undefined;
  const parts = [...new Set(raw.split(' ').filter(Boolean))];
  if (parts.length === 0 || !parts.every((p) => (KNOWN_SCOPES as readonly string[]).includes(p)))
    return undefined;
  return parts as Scope[];
}

export const canWrite = (scopes: readonly Scope[]) =>
  scopes.includes('xapi:write') || scopes.includes('xapi:all');
export const canRead = (scopes: readonly Scope[]) =>
  scopes.includes('xapi:read') || scopes.includes('xapi:all');

/**
 * Whether an integration's credentials still work at `now`: while it is set up or active, and after
 * a deactivation only until `credentials_valid_until` (the grace period for completions in flight).
 */
export function credentialsUsable(
  row: Pick<Integration, 'status' | 'credentials_valid_until'>,
  now: Date,
): boolean {
  if (row.credentials_valid_until !== null && now.getTime() >= Date.parse(row.credentials_valid_until))
    return false;
  if (row.status === 'active' || row.status === 'setting-up') return true;
  return row.credentials_valid_until !== null;
}

/** Whether the previous secret (kept after a rotation) is still accepted at `now`. */
export function previousSecretUsable(
  row: Pick<Integration, 'previous_webhook_secret_sealed' | 'previous_secret_valid_until'>,
  now: Date,
): boolean {
  return (
    row.previous_webhook_secret_sealed !== null &&
    row.previous_secret_valid_until !== null &&
    now.getTime() < Date.parse(row.previous_secret_valid_until)
  );
}

/** `Authorization: Basic` → id and secret (RFC 6749 §2.3.1: each form-urlencoded first). */
export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header?.match(/^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}
