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

// The hot path skips Kysely's builder, which cost more per row than the database's own insert: the
// SQL is compiled once per engine and row count (from a template row, so Kysely still writes it),
// then run with fresh parameters in the same column order. On PostgreSQL a group is a few multi-row
// INSERTs (round trips are what costs); on SQLite, in process, one prepared single-row INSERT per
// row is cheaper than a large VALUES list, and needs one prepared statement instead of one per size.
const STATEMENT_COLUMNS = [
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

function statementsInsertSql(db: Db, engine: Engine, n: number): string {
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

function refsInsertSql(db: Db, engine: Engine, n: number): string {
  const template = { statement_seq: 0, kind: 'agent' as const, key: '', related: 0 as const };
  return sqlFor(`${engine} refs ${n}`, n * REF_COLUMNS.length, () =>
    db
      .insertInto('xapi_statement_refs')
      .values(Array.from({ length: n }, () => template))
      .compile(),
  );
}

// The statistics drain's queue: every new statement but voiding ones (which make no statistic).
function pendingInsertSql(db: Db, engine: Engine, n: number): string {
  return sqlFor(`${engine} pending ${n}`, n, () =>
    db
      .insertInto('xapi_stats_pending')
      .values(Array.from({ length: n }, () => ({ seq: 0 })))
      .compile(),
  );
}

function statementParameters(out: unknown[], { integrationId, prepared: p, stored }: StatementRow): void {
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

/** Thrown by `insertNewStatementRows` when a statement was already stored: nothing was written. */
export class StatementAlreadyStored extends Error {}

const PG_MAX_PARAMETERS = 65_535;

/**
 * The group commit's write: every statement is new, or nothing is written (the caller then writes
 * each request on its own). Committed when it resolves. On PostgreSQL it is ONE statement in one
 * round trip (statements, queue and refs in a data-modifying CTE, autocommitted, and aborted whole by the
 * unique index on a resend); elsewhere, or for a group too large for one statement, a transaction.
 */
export async function insertNewStatementRows(
  db: Db,
  engine: Engine,
  items: StatementRow[],
): Promise<Map<string, number>> {
  const refCount = items.reduce((n, i) => n + i.prepared.refs.length, 0);
  if (engine === 'postgres' && items.length * STATEMENT_COLUMNS.length + refCount * 5 <= PG_MAX_PARAMETERS) {
    const parameters: unknown[] = [];
    for (const item of items) statementParameters(parameters, item);
    for (const { integrationId, prepared: p } of items)
      for (const r of p.refs) parameters.push(integrationId, p.id, r.kind, r.key, r.related);
    let rows: Array<{ seq: number | string; id: string; integration_id: string }>;
    try {
      ({ rows } = await db.executeQuery<(typeof rows)[number]>(
        CompiledQuery.raw(pgGroupSql(items.length, refCount), parameters),
      ));
    } catch (err) {
      if ((err as { code?: unknown }).code === '23505') throw new StatementAlreadyStored();
      throw err;
    }
    const inserted = new Map<string, number>();
    for (const r of rows) inserted.set(rowKey(r.integration_id, r.id), Number(r.seq));
    return inserted;
  }
  return db.transaction().execute(async (trx) => {
    const inserted = await insertStatementRows(trx, engine, items);
    if (inserted.size < items.length) throw new StatementAlreadyStored();
    return inserted;
  });
}

// PostgreSQL group INSERT: statements, their place in the statistics queue, then refs joined to the
// seqs the statements got. No ON CONFLICT: a statement already stored fails the whole statement, so
// nothing of the group is kept.
const pgGroupSqls = new Map<string, string>();
function pgGroupSql(n: number, m: number): string {
  const key = `${n} ${m}`;
  let text = pgGroupSqls.get(key);
  if (text !== undefined) return text;
  const width = STATEMENT_COLUMNS.length;
  const $ = (i: number) => `$${i}`;
  const values = Array.from(
    { length: n },
    (_, r) => `(${STATEMENT_COLUMNS.map((_c, c) => $(r * width + c + 1)).join(', ')})`,
  );
  const refs = Array.from({ length: m }, (_, r) => {
    const b = n * width + r * 5;
    return `(${$(b + 1)}::text, ${$(b + 2)}::text, ${$(b + 3)}::text, ${$(b + 4)}::text, ${$(b + 5)}::integer)`;
  });
  text =
    `with ins as (insert into xapi_statements (${STATEMENT_COLUMNS.join(', ')}) values ${values.join(', ')}` +
    ' returning seq, id, integration_id, voids_id)' +
    ', queued as (insert into xapi_stats_pending (seq) select seq from ins where voids_id is null)' +
    (m === 0
      ? ''
      : `, refs (integration_id, id, kind, key, related) as (values ${refs.join(', ')})` +
        ', r as (insert into xapi_statement_refs (statement_seq, kind, key, related)' +
        ' select ins.seq, refs.kind, refs.key, refs.related from refs' +
        ' join ins on ins.integration_id = refs.integration_id and ins.id = refs.id)') +
    ' select seq, id, integration_id from ins';
  if (pgGroupSqls.size > 1000) pgGroupSqls.clear();
  pgGroupSqls.set(key, text);
  return text;
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
};

export async function queryStatements(
  db: Db,
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
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('xapi_statement_refs as r')
          .select(sql.lit(1).as('one'))
          .whereRef('r.statement_seq', '=', 's.seq')
          .where('r.kind', '=', kind)
          .where('r.key', '=', key)
          .$if(!related, (b) => b.where('r.related', '=', 0)),
      ),
    );
  }
  return query
    .orderBy('s.seq', q.ascending ? 'asc' : 'desc')
    .limit(q.limit + 1)
    .execute();
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
