// The group commit's write (xapi.writer.ts): every statement of the group is new, or nothing is
// written and the caller writes each request on its own. It is the hot path of statement POSTs, so
// it runs on the driver's own prepared statements rather than through Kysely, whose per-query
// machinery (promises, connection hand-over, result shaping) cost more than SQLite's inserts:
// - SQLite: one synchronous better-sqlite3 transaction of prepared single-row INSERTs, while
//   holding Kysely's one connection (nothing else can run on it meanwhile).
// - PostgreSQL: ONE statement in one round trip, statements, queue and refs in a data-modifying
//   CTE fed by column arrays (`unnest`), so its text is the same for any group size and it is
//   parsed and planned once per connection (a named prepared statement), not once per group;
//   autocommitted, no ON CONFLICT: a resend fails it whole (unique index), so nothing is kept.
// The SQL of the rows is the one Kysely compiles for the other write path (xapi.repository.ts).
import type SQLite from 'better-sqlite3';
import { rawDriverOf, type Db, type Engine } from '../db/db.js';
import {
  insertStatementRows,
  pendingInsertSql,
  refsInsertSql,
  rowKey,
  STATEMENT_COLUMNS,
  statementParameters,
  statementsInsertSql,
  type StatementRow,
} from './xapi.repository.js';

/** Thrown by `insertNewStatementRows` when a statement was already stored: nothing was written. */
export class StatementAlreadyStored extends Error {}

/** Inserts the group, committed when it resolves; returns the seq of each statement by `rowKey`. */
export async function insertNewStatementRows(
  db: Db,
  engine: Engine,
  items: StatementRow[],
): Promise<Map<string, number>> {
  const raw = rawDriverOf(db);
  if (raw?.engine === 'sqlite') {
    const write = sqliteGroupWriter(db, raw.sqlite);
    return db.connection().execute(async () => write(items));
  }
  if (raw?.engine === 'postgres') {
    let rows: Array<{ seq: number | string; id: string; integration_id: string }>;
    try {
      ({ rows } = await raw.pool.query<(typeof rows)[number]>({
        name: 'xapi_group_insert',
        text: PG_GROUP_SQL,
        values: pgGroupParameters(items),
      }));
    } catch (err) {
      if ((err as { code?: unknown }).code === '23505') throw new StatementAlreadyStored();
      throw err;
    }
    const inserted = new Map<string, number>();
    for (const r of rows) inserted.set(rowKey(r.integration_id, r.id), Number(r.seq));
    return inserted;
  }
  // A database handle without its driver at hand (none in the app): the portable path.
  return db.transaction().execute(async (trx) => {
    const inserted = await insertStatementRows(trx, engine, items);
    if (inserted.size < items.length) throw new StatementAlreadyStored();
    return inserted;
  });
}

type GroupWriter = (items: StatementRow[]) => Map<string, number>;
const sqliteWriters = new WeakMap<SQLite.Database, GroupWriter>();

function sqliteGroupWriter(db: Db, sqlite: SQLite.Database): GroupWriter {
  let writer = sqliteWriters.get(sqlite);
  if (writer) return writer;
  const insertStatement = sqlite.prepare(statementsInsertSql(db, 'sqlite', 1));
  const insertRef = sqlite.prepare(refsInsertSql(db, 'sqlite', 1));
  const insertPending = sqlite.prepare(pendingInsertSql(db, 'sqlite', 1));
  // better-sqlite3's transaction: BEGIN, the function, COMMIT; ROLLBACK if it throws.
  const transaction = sqlite.transaction((items: StatementRow[]) => {
    const inserted = new Map<string, number>();
    const parameters: unknown[] = [];
    for (const item of items) {
      parameters.length = 0;
      statementParameters(parameters, item);
      const r = insertStatement.run(parameters);
      if (r.changes === 0) throw new StatementAlreadyStored(); // ON CONFLICT DO NOTHING: a resend
      const seq = Number(r.lastInsertRowid);
      inserted.set(rowKey(item.integrationId, item.prepared.id), seq);
      for (const ref of item.prepared.refs) insertRef.run(seq, ref.kind, ref.key, ref.related);
      if (item.prepared.voidsId === null) insertPending.run(seq);
    }
    return inserted;
  });
  // Inside a transaction already, better-sqlite3 would make this a savepoint of it, committed (or
  // not) with it: never on the group's answer. Kysely's transactions hold the connection, so only a
  // bare BEGIN run as a plain query could leave one open; the caller then writes each request alone.
  writer = (items) => {
    if (sqlite.inTransaction) throw new Error('the SQLite connection is inside a transaction');
    return transaction(items);
  };
  sqliteWriters.set(sqlite, writer);
  return writer;
}

// Column arrays, in STATEMENT_COLUMNS order, then the refs' (integration, statement id, kind, key,
// related), joined to the seqs the statements got; each sent as an array literal written here
// (`arrayLiteral`), not by pg, which escaped every element with two regex passes and measured the
// byte length of the concatenated literal: ~15 % of a batch POST's CPU on PostgreSQL. The JSON texts
// travel as ONE text joined by U+001E, which JSON.stringify never leaves raw (it escapes every
// control character), split by string_to_array: they are long and full of quotes to escape.
const SEPARATOR = '\u001e';
const columnType = (c: (typeof STATEMENT_COLUMNS)[number]) => (c === 'voided' ? 'integer' : 'text');
const PG_GROUP_SQL =
  `with ins as (insert into xapi_statements (${STATEMENT_COLUMNS.join(', ')})` +
  ` select * from unnest(${STATEMENT_COLUMNS.map((c, i) =>
    c === 'statement' ? `string_to_array($${i + 1}, chr(30))` : `$${i + 1}::${columnType(c)}[]`,
  ).join(', ')})` +
  ' returning seq, id, integration_id, voids_id)' +
  ', queued as (insert into xapi_stats_pending (seq) select seq from ins where voids_id is null)' +
  ', r as (insert into xapi_statement_refs (statement_seq, kind, key, related)' +
  ' select ins.seq, refs.kind, refs.key, refs.related' +
  ` from unnest(${[1, 2, 3, 4].map((i) => `$${STATEMENT_COLUMNS.length + i}::text[]`).join(', ')},` +
  ` $${STATEMENT_COLUMNS.length + 5}::integer[]) as refs (integration_id, id, kind, key, related)` +
  ' join ins on ins.integration_id = refs.integration_id and ins.id = refs.id)' +
  ' select seq, id, integration_id from ins';
const STATEMENT_INDEX = STATEMENT_COLUMNS.indexOf('statement');

function pgGroupParameters(items: StatementRow[]): string[] {
  const width = STATEMENT_COLUMNS.length;
  const columns: unknown[][] = Array.from({ length: width + 5 }, () => []);
  const row: unknown[] = [];
  for (const item of items) {
    row.length = 0;
    statementParameters(row, item);
    for (let c = 0; c < width; c++) columns[c]?.push(row[c]);
    const { integrationId, prepared: p } = item;
    for (const ref of p.refs) {
      columns[width]?.push(integrationId);
      columns[width + 1]?.push(p.id);
      columns[width + 2]?.push(ref.kind);
      columns[width + 3]?.push(ref.key);
      columns[width + 4]?.push(ref.related);
    }
  }
  return columns.map((values, c) => (c === STATEMENT_INDEX ? values.join(SEPARATOR) : arrayLiteral(values)));
}

/**
 * A one-dimensional PostgreSQL array literal: every element double-quoted (so commas, braces, white
 * space and the word NULL are plain text), `"` and `\` escaped by a backslash, null as NULL.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) out.push('NULL');
    else if (typeof v === 'number') out.push(String(v));
    else {
      const text = String(v);
      out.push(
        text.includes('"') || text.includes('\\') ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`,
      );
    }
  }
  return `{${out.join(',')}}`;
}
