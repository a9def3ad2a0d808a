// GET /statements parameters (Communication 2.1.3), parsed strictly: unknown parameters, malformed
// values and single-statement lookups mixed with filters are 400s.
import { isAbsoluteIri, isPlainObject, isTimestampWithZone, isUuid, toUtcIso } from './xapi.formats.js';
import { agentKey } from './xapi.statement.js';
import { validateStatement } from './xapi.validate.js';
import type { ReadFormat } from './xapi.service.js';
import type { StatementQuery } from './xapi.repository.js';

export const MAX_LIMIT = 500;

const KNOWN = new Set([
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'cursor',
]);
const SINGLE_OK = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);

export type ParsedQuery =
  | { kind: 'one'; id: string; voided: boolean; format: ReadFormat; attachments: boolean }
  | {
      kind: 'list';
      query: Omit<StatementQuery, 'ceiling'> & { ceiling?: number };
      format: ReadFormat;
      attachments: boolean;
    };

export type QueryProblem = { problem: string };

function bool(v: string | undefined, name: string): boolean {
  if (v === undefined) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`${name} must be true or false`);
}

export function parseStatementQuery(params: Record<string, string>): ParsedQuery | QueryProblem {
  try {
    for (const k of Object.keys(params)) if (!KNOWN.has(k)) throw new Error(`unknown parameter ${k}`);
    const format = (params.format ?? 'exact') as ReadFormat;
    if (!['exact', 'ids', 'canonical'].includes(format))
      throw new Error('format must be exact, ids or canonical');
    const attachments = bool(params.attachments, 'attachments');
    const single = params.statementId ?? params.voidedStatementId;
    if (params.statementId !== undefined && params.voidedStatementId !== undefined)
      throw new Error('use statementId or voidedStatementId, not both');
    if (single !== undefined) {
      for (const k of Object.keys(params))
        if (!SINGLE_OK.has(k)) throw new Error(`${k} cannot be combined with a statement id`);
      if (!isUuid(single)) throw new Error('the statement id must be a UUID');
      return { kind: 'one', id: single, voided: params.voidedStatementId !== undefined, format, attachments };
    }
    const query: ParsedQuery & { kind: 'list' } = {
      kind: 'list',
      format,
      attachments,
      query: {
        relatedActivities: bool(params.related_activities, 'related_activities'),
        relatedAgents: bool(params.related_agents, 'related_agents'),
        ascending: bool(params.ascending, 'ascending'),
        limit: MAX_LIMIT,
      },
    };
    const q = query.query;
    if (params.agent !== undefined) {
      let agent: unknown;
      try {
        agent = JSON.parse(params.agent);
      } catch {
        throw new Error('agent must be JSON');
      }
      const issues = isPlainObject(agent)
        ? validateStatement({ actor: agent, verb: { id: 'urn:x:v' }, object: { id: 'urn:x:o' } }, '2.0')
        : [];
      const key = agentKey(agent);
      if (!isPlainObject(agent) || issues.length || key === undefined)
        throw new Error('agent must be an identified Agent or Group');
      q.agent = key;
    }
    if (params.verb !== undefined) {
      if (!isAbsoluteIri(params.verb)) throw new Error('verb must be an IRI');
      q.verb = params.verb;
    }
    if (params.activity !== undefined) {
      if (!isAbsoluteIri(params.activity)) throw new Error('activity must be an IRI');
      q.activity = params.activity;
    }
    if (params.registration !== undefined) {
      if (!isUuid(params.registration)) throw new Error('registration must be a UUID');
      q.registration = params.registration;
    }
    for (const k of ['since', 'until'] as const) {
      const v = params[k];
      if (v === undefined) continue;
      if (!isTimestampWithZone(v)) throw new Error(`${k} must be a timestamp with a time zone`);
      q[k] = toUtcIso(v);
    }
    if (params.limit !== undefined) {
      if (!/^\d+$/.test(params.limit)) throw new Error('limit must be a non-negative integer');
      const n = Number(params.limit);
      q.limit = n === 0 ? MAX_LIMIT : Math.min(n, MAX_LIMIT);
    }
    if (params.cursor !== undefined) {
      const m = /^(\d+)\.(\d+)$/.exec(params.cursor);
      if (!m) throw new Error('cursor is malformed');
      q.after = Number(m[1]);
      q.ceiling = Number(m[2]);
    }
    return query;
  } catch (err) {
    return { problem: (err as Error).message };
  }
}
