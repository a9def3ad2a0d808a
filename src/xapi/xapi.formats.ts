// Lexical checks shared by validation and query parsing (xAPI Data 4.x, RFC 3987, RFC 5646, ISO 8601).

/** An absolute IRI: a scheme, a colon, something after it, no white space (RFC 3987, loosely). */
export function isAbsoluteIri(v: unknown): v is string {
  return typeof v === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$/.test(v);
}

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

// RFC 5646 language tag: langtag | privateuse | grandfathered (irregular and regular).
const LANGTAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[0-9a-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn|zh-(?:guoyu|hakka|min|min-nan|xiang))$/i;

export function isLanguageTag(v: unknown): v is string {
  return typeof v === 'string' && LANGTAG.test(v);
}

// ISO 8601 date-time with a zone (Data 4.5). A negative zero offset ("-00:00") means "unknown zone"
// in RFC 3339 and is refused, as the conformance suite does.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

export function isTimestampWithZone(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = TIMESTAMP.exec(v);
  if (!m) return false;
  if (/^-00(?::?00)?$/.test(m[1] ?? '')) return false;
  return Number.isFinite(Date.parse(v.replace(',', '.')));
}

/** A timestamp in UTC with milliseconds, the form we store (2.0 converts rather than rejects). */
export function toUtcIso(v: string): string {
  return new Date(Date.parse(v.replace(',', '.'))).toISOString();
}

export function isMailtoIri(v: unknown): v is string {
  return typeof v === 'string' && /^mailto:[^\s@]+@[^\s@]+$/i.test(v);
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Interaction types and their component lists (Data 2.4.4.1, interaction activities). */
export const INTERACTION_TYPES = new Set([
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
]);
export const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
