// What the LRS adds to and derives from a valid statement (pure): id, stored, authority, version,
// default timestamp; context activities as arrays; the keys we index for queries; the `ids` and
// `canonical` formats of the GET resource.
import crypto from 'node:crypto';
import { isPlainObject, toUtcIso } from './xapi.formats.js';
import { normalizeContextActivities } from './xapi.equivalence.js';
import { VOIDED_VERB, type Json, type XapiVersion } from './xapi.validate.js';

export type PreparedStatement = {
  id: string;
  statement: Json;
  verbId: string;
  /** The object's id when it is an Activity. */
  activityId: string | null;
  registration: string | null;
  timestamp: string;
  /** The StatementRef target when this is a voiding statement. */
  voidsId: string | null;
  /** Agent keys and activity ids for the `agent`/`activity` filters, direct or related (not the authority). */
  refs: Array<{ kind: 'agent' | 'activity'; key: string; related: 0 | 1 }>;
};

/** A stable key for an Agent or Group by its IFI, or undefined for an anonymous Group. */
export function agentKey(a: unknown): string | undefined {
  if (!isPlainObject(a)) return undefined;
  if (typeof a.mbox === 'string') return `mbox:${a.mbox.toLowerCase()}`;
  if (typeof a.mbox_sha1sum === 'string') return `sha1:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `openid:${a.openid}`;
  if (isPlainObject(a.account)) return `account:${String(a.account.homePage)}|${String(a.account.name)}`;
  return undefined;
}

/**
 * The statement as stored. The input is not changed: the statement object is new (in the order of
 * Data 2.2's table, one fixed layout: copying the sender's object and adding properties to it made
 * this and the JSON.stringify after it several times slower), and so is a context whose activities
 * become arrays; the rest is shared with the input. Validation has allowed no other properties.
 */
export function prepareStatement(
  input: Json,
  options: { stored: string; authority: Json; version: XapiVersion },
): PreparedStatement {
  const id = (typeof input.id === 'string' ? input.id : crypto.randomUUID()).toLowerCase();
  const s: Json = { id, actor: input.actor, verb: input.verb, object: input.object };
  if (input.result !== undefined) s.result = input.result;
  if (input.context !== undefined) s.context = withArrayContextActivities(input.context);
  s.timestamp =
    options.version === '2.0' && typeof input.timestamp === 'string'
      ? toUtcIso(input.timestamp)
      : (input.timestamp ?? options.stored);
  s.stored = options.stored;
  s.authority = options.authority;
  s.version = input.version ?? (options.version === '2.0' ? '2.0.0' : '1.0.0');
  if (input.attachments !== undefined) s.attachments = input.attachments;
  let object = s.object as Json;
  if (object.objectType === 'SubStatement' && object.context !== undefined)
    s.object = object = { ...object, context: withArrayContextActivities(object.context) };
  const verbId = String((s.verb as Json).id);
  const isActivity = object.objectType === undefined || object.objectType === 'Activity';
  const context = isPlainObject(s.context) ? s.context : undefined;
  // The authority is not indexed: it is this integration's own agent on every one of its
  // statements (a ref per statement cost more to write than all the others); the query for it
  // (related_agents) reads it from the statement (xapi.repository.ts, `queryStatements`).
  const refs = new Map<string, Ref>();
  visitRefs(refs, s, true);
  return {
    id,
    statement: s,
    verbId,
    activityId: isActivity ? String(object.id) : null,
    registration: typeof context?.registration === 'string' ? context.registration.toLowerCase() : null,
    timestamp: toUtcIso(String(s.timestamp)),
    voidsId:
      verbId === VOIDED_VERB && object.objectType === 'StatementRef' ? String(object.id).toLowerCase() : null,
    refs: [...refs.values()],
  };
}

/** A copy of a context with its activities as arrays, or the context itself when nothing changes. */
function withArrayContextActivities(context: unknown): unknown {
  if (!isPlainObject(context) || !isPlainObject(context.contextActivities)) return context;
  if (Object.values(context.contextActivities).every(Array.isArray)) return context;
  const copy = { ...context, contextActivities: { ...context.contextActivities } };
  normalizeContextActivities(copy);
  return copy;
}

// The refs collectors are module functions, not closures made per statement: tsx names every
// closure it creates (esbuild's keepNames), which showed in the statements POST profile.
type Ref = PreparedStatement['refs'][number];

function addRef(refs: Map<string, Ref>, kind: 'agent' | 'activity', key: string | undefined, related: 0 | 1) {
  if (key === undefined) return;
  const k = `${kind} ${key}`;
  const prev = refs.get(k);
  if (!prev || (prev.related === 1 && related === 0)) refs.set(k, { kind, key, related });
}

function addActorRefs(refs: Map<string, Ref>, a: unknown, related: 0 | 1) {
  addRef(refs, 'agent', agentKey(a), related);
  // Group members count as related agents (Communication 2.1.3, related_agents).
  if (isPlainObject(a) && Array.isArray(a.member))
    for (const m of a.member) addRef(refs, 'agent', agentKey(m), 1);
}

function visitRefs(refs: Map<string, Ref>, st: Json, direct: boolean) {
  const rel = direct ? 0 : 1;
  addActorRefs(refs, st.actor, rel);
  const o = isPlainObject(st.object) ? st.object : {};
  if (o.objectType === 'Agent' || o.objectType === 'Group') addActorRefs(refs, o, rel);
  else if (o.objectType === undefined || o.objectType === 'Activity')
    addRef(refs, 'activity', String(o.id), rel);
  else if (o.objectType === 'SubStatement') visitRefs(refs, o, false);
  const ctx = isPlainObject(st.context) ? st.context : undefined;
  if (!ctx) return;
  addActorRefs(refs, ctx.instructor, 1);
  addActorRefs(refs, ctx.team, 1);
  for (const ca of Object.values(isPlainObject(ctx.contextActivities) ? ctx.contextActivities : {}))
    for (const a of Array.isArray(ca) ? ca : [ca])
      if (isPlainObject(a)) addRef(refs, 'activity', String(a.id), 1);
  for (const ca of Array.isArray(ctx.contextAgents) ? ctx.contextAgents : [])
    if (isPlainObject(ca)) addActorRefs(refs, ca.agent, 1);
  for (const cg of Array.isArray(ctx.contextGroups) ? ctx.contextGroups : [])
    if (isPlainObject(cg)) addActorRefs(refs, cg.group, 1);
}

/** The `ids` format (Communication 2.1.3): agents, activities and verbs reduced to their identifiers. */
export function formatIds(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => formatIds(x, key));
  if (!isPlainObject(v)) return v;
  const isAgentLike =
    ['actor', 'authority', 'instructor', 'team', 'member', 'agent', 'group'].includes(key ?? '') ||
    (key === 'object' && (v.objectType === 'Agent' || v.objectType === 'Group'));
  if (isAgentLike) {
    const out: Json = {};
    if (v.objectType !== undefined) out.objectType = v.objectType;
    for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (v[k] !== undefined) out[k] = v[k];
    if (v.objectType === 'Group' && agentKey(v) === undefined && Array.isArray(v.member))
      out.member = formatIds(v.member, 'member');
    return out;
  }
  if (key === 'verb') return { id: v.id };
  const isActivity =
    (key === 'object' && (v.objectType === undefined || v.objectType === 'Activity')) || key === 'activity';
  if (isActivity) return v.objectType ? { objectType: v.objectType, id: v.id } : { id: v.id };
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'contextActivities' && isPlainObject(x)) {
      const ca: Json = {};
      for (const [ck, list] of Object.entries(x))
        ca[ck] = (Array.isArray(list) ? list : [list]).map((a) => formatIds(a, 'activity'));
      out[k] = ca;
    } else out[k] = formatIds(x, k);
  }
  return out;
}

/** The `canonical` format: every language map reduced to the one language the reader prefers. */
export function formatCanonical(v: unknown, languages: string[], key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => formatCanonical(x, languages));
  if (!isPlainObject(v)) return v;
  if (key !== undefined && ['display', 'name', 'description'].includes(key)) {
    const tags = Object.keys(v);
    const pick =
      languages
        .map((l) => tags.find((t) => t.toLowerCase() === l.toLowerCase()))
        .find((t) => t !== undefined) ??
      languages
        .map((l) => tags.find((t) => t.toLowerCase().split('-')[0] === l.toLowerCase().split('-')[0]))
        .find((t) => t !== undefined) ??
      tags[0];
    return pick === undefined ? {} : { [pick]: v[pick] };
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = formatCanonical(x, languages, k);
  return out;
}
