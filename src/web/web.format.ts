// Small display helpers shared by pages: dates in the reader's words, badges, counts.
import { html, SafeHtml } from './web.html.js';

/** "2026-03-05 06:50 UTC" plus a machine-readable <time>. */
export function when(iso: string | null | undefined, timeZone = 'UTC'): SafeHtml {
  if (!iso) return html`<span class="hint">never</span>`;
  const d = new Date(iso);
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
  return html`<time datetime="${d.toISOString()}">${text}</time>`;
}

export function badge(text: string, tone: 'ok' | 'warn' | 'bad'): SafeHtml {
  return html`<span class="status ${tone}">${text}</span>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The line above search results: how many, and how they were ranked when the matches were many. */
export function searchSummary(r: {
  total: number;
  approximate: boolean;
  rankedAmong: number | null;
}): string {
  const count = r.approximate
    ? `${r.total.toLocaleString('en')}+ courses (refine the search for an exact count)`
    : plural(r.total, 'course');
  if (r.rankedAmong === null) return count;
  return `${count} · best matches first among the first ${r.rankedAmong.toLocaleString('en')} (course names before descriptions): add words to narrow it`;
}

/** JSON for a <script type="application/json"> island: `<` escaped so it cannot close the tag. */
export function jsonIsland(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return html`<script type="application/json" id="${id}">
    ${new SafeHtml(json)}
  </script>`;
}
