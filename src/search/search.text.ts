// Pure text helpers for search: HTML to plain text (the index never sees markup) and the user's
// query turned into engine syntax. Terms keep letters and digits only, so nothing the user types
// can inject FTS5 or tsquery operators.

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Plain text of an HTML fragment: tags become spaces, common entities are decoded. */
export function stripHtml(html: string | null | undefined): string {
  if (!html) return '';
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a query, lower-cased; at most 12 so a pasted paragraph cannot make a huge query. */
export function queryTerms(q: string | undefined): string[] {
  if (!q) return [];
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/**
 * FTS5 MATCH expression: every word must appear; the last one is a prefix when the query does not
 * end with a space (the user is still typing it). Undefined when there is nothing to search.
 */
export function fts5Match(q: string | undefined): string | undefined {
  const terms = queryTerms(q);
  if (terms.length === 0) return undefined;
  const prefixLast = !/\s$/.test(q ?? '');
  return terms.map((t, i) => `"${t}"${prefixLast && i === terms.length - 1 ? '*' : ''}`).join(' AND ');
}

/** PostgreSQL to_tsquery('simple', …) text with the same meaning as `fts5Match`. */
export function tsQuery(q: string | undefined): string | undefined {
  const terms = queryTerms(q);
  if (terms.length === 0) return undefined;
  const prefixLast = !/\s$/.test(q ?? '');
  return terms.map((t, i) => `'${t}'${prefixLast && i === terms.length - 1 ? ':*' : ''}`).join(' & ');
}
