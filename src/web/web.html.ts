// Server-rendered HTML with typed template literals: every interpolated value is escaped unless it
// is already `SafeHtml` (built by `html` itself, or by `trustedHtml` for markup sanitised upstream,
// such as course descriptions). No template language, no unescaped user data by accident.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup that was sanitised to an allow-list before it was stored (DESIGN.md rule 1). */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A list of items rendered with a function, for `${each(rows, (r) => html`…`)}`. */
export function each<T>(items: readonly T[], fn: (item: T, index: number) => SafeHtml): SafeHtml {
  return new SafeHtml(items.map((item, i) => fn(item, i).value).join(''));
}
