// Statement rows. The caller owns the transaction (a batch is one transaction: all or nothing).
import { CompiledQuery, sql } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { PreparedStatement } from './xapi.statement.js';

export type StoredRow = {
  seq: number;
  id: string;
  statement: string;
  voided: 0 | 1;
  voids_id: string | null;
  stored: string;
};

// Keep each PostgreSQL INSERT under its bound-parameter limit (65,535).
const STATEMENT_CHUNK = 400;
const REF_CHUNK = 2000;

/** Inserts what is new; returns the seq of each inserted id (ids already stored are left out). */
export async function insertStatements(
  db: Db,
  engine: Engine,
  integrationId: string,
  items: PreparedStatement[],
  stored: string,
): Promise<Map<string, number>> {
  const inserted = await insertStatementRows(
    db,
    engine,
    items.map((prepared) => ({ integrationId, prepared, stored })),
  );
  const byId = new Map<string, number>();
  for (const [key, seq] of inserted) byId.set(key.slice(key.indexOf(KEY_SEPARATOR) + 1), seq);
  return byId;
}

export type StatementRow = { integrationId: string; prepared: PreparedStatement; stored: string };

const KEY_SEPARATOR = '\u0000';
/** The key of a statement in `insertStatementRows`' answer: ids are unique per integration only. */
export const rowKey = (integrationId: string, id: string): string => `${integrationId}${KEY_SEPARATOR}${id}`;

// Statement inserts skip Kysely's builder, which cost more per row than the database's own insert:
// the SQL is compiled once per engine and row count (from a template row, so Kysely still writes
// it), then run with fresh parameters in the same column order. On PostgreSQL a request is a few
// multi-row INSERTs; on SQLite, in process, one prepared single-row INSERT per row is cheaper than a
// large VALUES list. The group commit's write (xapi.group.repository.ts) runs the same SQLite SQL
// on the driver itself.
export const STATEMENT_COLUMNS = [
  'id',
  'integration_id',
  'statement',
  'verb_id',
  'activity_id',
  'registration',
  'timestamp',
  'stored',
  'voided',
  'voids_id',
] as const;
const REF_COLUMNS = ['statement_seq', 'kind', 'key', 'related'] as const;
const compiledSql = new Map<string, string>();

function sqlFor(key: string, expected: number, compile: () => CompiledQuery): string {
  let text = compiledSql.get(key);
  if (text === undefined) {
    const compiled = compile();
    // Every value must be a parameter, in column order, or the cached text would misplace them.
    if (compiled.parameters.length !== expected) throw new Error(`${key}: unexpected parameters`);
    compiledSql.set(key, (text = compiled.sql));
  }
  return text;
}

export function statementsInsertSql(db: Db, engine: Engine, n: number): string {
  const template = { ...Object.fromEntries(STATEMENT_COLUMNS.map((c) => [c, ''])), voided: 0 as const };
  return sqlFor(`${engine} statements ${n}`, n * STATEMENT_COLUMNS.length, () => {
    const insert = db
      .insertInto('xapi_statements')
      .values(Array.from({ length: n }, () => template as never))
      .onConflict((oc) => oc.columns(['integration_id', 'id']).doNothing());
    // SQLite answers one row at a time: the changes count and the new rowid say the same as RETURNING.
    return engine === 'sqlite'
      ? insert.compile()
      : insert.returning(['seq', 'id', 'integration_id']).compile();
  });
}

export function refsInsertSql(db: Db, engine: Engine, n: number): string {
  const template = { statement_seq: 0, kind: 'agent' as const, key: '', related: 0 as const };
  return sqlFor(`${engine} refs ${n}`, n * REF_COLUMNS.length, () =>
    db
      .insertInto('xapi_statement_refs')
      .values(Array.from({ length: n }, () => template))
      .compile(),
  );
}

// The statistics drain's queue: every new statement but voiding ones (which make no statistic).
export function pendingInsertSql(db: Db, engine: Engine, n: number): string {
  return sqlFor(`${engine} pending ${n}`, n, () =>
    db
      .insertInto('xapi_stats_pending')
      .values(Array.from({ length: n }, () => ({ seq: 0 })))
      .compile(),
  );
}

export function statementParameters(
  out: unknown[],
  { integrationId, prepared: p, stored }: StatementRow,
): void {
  out.push(
    p.id,
    integrationId,
    JSON.stringify(p.statement),
    p.verbId,
    p.activityId,
    p.registration,
    p.timestamp,
    stored,
    0,
    p.voidsId,
  );
}

/**
 * Inserts what is new, for any number of integrations (the group commit writes several requests at
 * once): statements and their query index. Returns the seq of each inserted statement by `rowKey`
 * (statements already stored are left out).
 */
export async function insertStatementRows(
  db: Db,
  engine: Engine,
  items: StatementRow[],
): Promise<Map<string, number>> {
  const inserted = new Map<string, number>();
  if (engine === 'sqlite') {
    const statementSql = statementsInsertSql(db, engine, 1);
    const refSql = refsInsertSql(db, engine, 1);
    const pendingSql = pendingInsertSql(db, engine, 1);
    for (const item of items) {
      const parameters: unknown[] = [];
      statementParameters(parameters, item);
      const r = await db.executeQuery(CompiledQuery.raw(statementSql, parameters));
      if (!r.numAffectedRows || r.insertId === undefined) continue; // already stored
      const seq = Number(r.insertId);
      inserted.set(rowKey(item.integrationId, item.prepared.id), seq);
      for (const ref of item.prepared.refs)
        await db.executeQuery(CompiledQuery.raw(refSql, [seq, ref.kind, ref.key, ref.related]));
      if (item.prepared.voidsId === null) await db.executeQuery(CompiledQuery.raw(pendingSql, [seq]));
    }
    return inserted;
  }
  for (let i = 0; i < items.length; i += STATEMENT_CHUNK) {
    const chunk = items.slice(i, i + STATEMENT_CHUNK);
    const parameters: unknown[] = [];
    for (const item of chunk) statementParameters(parameters, item);
    const { rows } = await db.executeQuery<{ seq: number | string; id: string; integration_id: string }>(
      CompiledQuery.raw(statementsInsertSql(db, engine, chunk.length), parameters),
    );
    for (const r of rows) inserted.set(rowKey(r.integration_id, r.id), Number(r.seq));
  }
  const refs: unknown[] = [];
  const pending: number[] = [];
  for (const { integrationId, prepared: p } of items) {
    const seq = inserted.get(rowKey(integrationId, p.id));
    if (seq === undefined) continue;
    for (const r of p.refs) refs.push(seq, r.kind, r.key, r.related);
    if (p.voidsId === null) pending.push(seq);
  }
  const width = REF_COLUMNS.length;
  for (let i = 0; i < refs.length; i += REF_CHUNK * width) {
    const chunk = refs.slice(i, i + REF_CHUNK * width);
    await db.executeQuery(CompiledQuery.raw(refsInsertSql(db, engine, chunk.length / width), chunk));
  }
  for (let i = 0; i < pending.length; i += REF_CHUNK) {
    const chunk = pending.slice(i, i + REF_CHUNK);
    await db.executeQuery(CompiledQuery.raw(pendingInsertSql(db, engine, chunk.length), chunk));
  }
  return inserted;
}

export async function getStatementsByIds(db: Db, integrationId: string, ids: string[]): Promise<StoredRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('xapi_statements')
    .select(['seq', 'id', 'statement', 'voided', 'voids_id', 'stored'])
    .where('integration_id', '=', integrationId)
    .where('id', 'in', ids)
    .execute();
}

/** Marks targets voided, except voiding statements (which cannot be voided). */
export async function markVoided(db: Db, integrationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('xapi_statements')
    .set({ voided: 1 })
    .where('integration_id', '=', integrationId)
    .where('id', 'in', ids)
    .where('voids_id', 'is', null)
    .execute();
}

export async function insertAttachments(
  db: Db,
  integrationId: string,
  parts: Array<{ sha2: string; contentType: string; content: Buffer }>,
  now: string,
): Promise<void> {
  for (const p of parts)
    await db
      .insertInto('xapi_attachments')
      .values({
        integration_id: integrationId,
        sha2: p.sha2,
        content_type: p.contentType,
        length: p.content.length,
        content_base64: p.content.toString('base64'),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['integration_id', 'sha2']).doNothing())
      .execute();
}

export async function getAttachments(db: Db, integrationId: string, hashes: string[]) {
  if (hashes.length === 0) return [];
  return db
    .selectFrom('xapi_attachments')
    .select(['sha2', 'content_type', 'content_base64'])
    .where('integration_id', '=', integrationId)
    .where('sha2', 'in', hashes)
    .execute();
}

export type StatementQuery = {
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedActivities: boolean;
  relatedAgents: boolean;
  since?: string;
  until?: string;
  ascending: boolean;
  limit: number;
  /** Paging: continue after (or before, descending) this seq, never past `ceiling`. */
  after?: number;
  ceiling: number;
  /**
   * With `agent` and `relatedAgents`: the agent may be the statements' authority (an account named
   * like the integration's webhook client), which has no ref: match it in the statement itself.
   */
  authority?: { homePage: string; name: string };
};

export async function queryStatements(
  db: Db,
  engine: Engine,
  integrationId: string,
  q: StatementQuery,
): Promise<StoredRow[]> {
  let query = db
    .selectFrom('xapi_statements as s')
    .select(['s.seq', 's.id', 's.statement', 's.voided', 's.voids_id', 's.stored'])
    .where('s.integration_id', '=', integrationId)
    .where('s.voided', '=', 0)
    .where('s.seq', '<=', q.ceiling);
  if (q.verb) query = query.where('s.verb_id', '=', q.verb);
  if (q.registration) query = query.where('s.registration', '=', q.registration.toLowerCase());
  if (q.since) query = query.where('s.stored', '>', q.since);
  if (q.until) query = query.where('s.stored', '<=', q.until);
  if (q.after !== undefined) query = query.where('s.seq', q.ascending ? '>' : '<', q.after);
  for (const [kind, key, related] of [
    ['agent', q.agent, q.relatedAgents],
    ['activity', q.activity, q.relatedActivities],
  ] as const) {
    if (key === undefined) continue;
    const authority = kind === 'agent' && related ? q.authority : undefined;
    query = query.where((eb) => {
      const referenced = eb.exists(
        eb
          .selectFrom('xapi_statement_refs as r')
          .select(sql.lit(1).as('one'))
          .whereRef('r.statement_seq', '=', 's.seq')
          .where('r.kind', '=', kind)
          .where('r.key', '=', key)
          .$if(!related, (b) => b.where('r.related', '=', 0)),
      );
      if (!authority) return referenced;
      // Statements stored before authorities went unindexed have a ref too: either matches.
      return eb.or([
        referenced,
        eb.and([
          eb(jsonText(engine, 'authority.account.homePage'), '=', authority.homePage),
          eb(jsonText(engine, 'authority.account.name'), '=', authority.name),
        ]),
      ]);
    });
  }
  return query
    .orderBy('s.seq', q.ascending ? 'asc' : 'desc')
    .limit(q.limit + 1)
    .execute();
}

/** A text value inside the stored statement (`path` is dotted property names). */
function jsonText(engine: Engine, path: string) {
  return engine === 'postgres'
    ? sql<string>`(s.statement::json #>> ${`{${path.split('.').join(',')}}`})`
    : sql<string>`json_extract(s.statement, ${`$.${path}`})`;
}

export async function maxSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('xapi_statements')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirst();
  return Number(row?.m ?? 0);
}

export async function countStatements(db: Db, integrationId?: string): Promise<number> {
  const row = await db
    .selectFrom('xapi_statements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$if(integrationId !== undefined, (b) => b.where('integration_id', '=', integrationId ?? ''))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
