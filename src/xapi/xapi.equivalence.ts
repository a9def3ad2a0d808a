// Statement immutability (Communication 2.1.1/2.1.2, Data 2.3.1 in 2.0): a statement re-sent with
// the same id is "the same" when it differs only in what the LRS may set or reformat: id, authority,
// stored, timestamp, version, attachments, key order, the case of language-map keys, a single
// context activity sent as an array, and default objectTypes spelt out.
import { isPlainObject } from './xapi.formats.js';
import type { Json } from './xapi.validate.js';

const IGNORED_TOP_LEVEL = ['id', 'authority', 'stored', 'timestamp', 'version', 'attachments'];
const LANGUAGE_MAP_KEYS = new Set(['display', 'name', 'description']);

/** Context activities as arrays (Data 2.4.6.2: the LRS stores arrays); `{}` stays `{}`. */
export function normalizeContextActivities(ctx: unknown): void {
  if (!isPlainObject(ctx) || !isPlainObject(ctx.contextActivities)) return;
  const ca = ctx.contextActivities;
  for (const k of Object.keys(ca)) if (!Array.isArray(ca[k])) ca[k] = [ca[k]];
}

function canonical(v: unknown, key: string | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => canonical(x, undefined));
  if (!isPlainObject(v)) return v;
  const isLanguageMap = key !== undefined && LANGUAGE_MAP_KEYS.has(key);
  const out: Json = {};
  for (const k of Object.keys(v).sort()) {
    const name = isLanguageMap ? k.toLowerCase() : k;
    let value = v[k];
    if (k === 'contextActivities' && isPlainObject(value)) {
      const arrays: Json = {};
      for (const [ck, cv] of Object.entries(value)) arrays[ck] = Array.isArray(cv) ? cv : [cv];
      value = arrays;
    }
    out[name] = canonical(value, k);
  }
  if (key === 'object' && out.objectType === undefined && typeof out.id === 'string')
    out.objectType = 'Activity';
  if ((key === 'actor' || key === 'instructor') && out.objectType === undefined) out.objectType = 'Agent';
  return out;
}

/** A comparable text for a statement: equal texts mean equivalent statements. */
export function equivalenceKey(statement: Json): string {
  const body: Json = {};
  for (const [k, v] of Object.entries(statement)) if (!IGNORED_TOP_LEVEL.includes(k)) body[k] = v;
  return stableStringify(canonical(body, '$'));
}

export function sameStatement(a: Json, b: Json): boolean {
  return equivalenceKey(a) === equivalenceKey(b);
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
