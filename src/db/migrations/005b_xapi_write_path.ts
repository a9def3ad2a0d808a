import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Statement POSTs and the statistics drain write less per statement (issue 4, benchmark):
// - xapi_statement_refs is keyed by (kind, key, statement_seq), which is unique (a statement
//   names a key once) and is the lookup the agent/activity filters make. On SQLite the table is
//   WITHOUT ROWID, so a ref is one b-tree entry instead of a row plus two index entries; on
//   PostgreSQL the primary key replaces both indexes. (The statement_seq index served no query.)
// - The statistics queue is its own narrow table, xapi_stats_pending (seq), instead of a
//   `stats_state` column: applying a statement deletes a small row, where it rewrote the whole
//   statement row and moved its index entry (on PostgreSQL a new version of the row, with new
//   entries in each of its indexes, and a lock written on it when claimed). Whether a statement
//   was applied or left unmatched is in stats_unmatched, as it was; voiding statements are never
//   queued.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('xapi_statement_refs_new')
    .addColumn('statement_seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('related', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_statement_refs_pk', ['kind', 'key', 'statement_seq'])
    .addForeignKeyConstraint('xapi_statement_refs_statement_seq_fkey', ['statement_seq'], 'xapi_statements', [
      'seq',
    ])
    .$call((b) => (engine === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await sql`insert into xapi_statement_refs_new (statement_seq, kind, key, related)
    select statement_seq, kind, key, min(related) from xapi_statement_refs
    group by statement_seq, kind, key`.execute(db);
  await db.schema.dropTable('xapi_statement_refs').execute();
  await db.schema.alterTable('xapi_statement_refs_new').renameTo('xapi_statement_refs').execute();

  await db.schema
    .createTable('xapi_stats_pending')
    // SQLite: an INTEGER PRIMARY KEY is the rowid itself, one b-tree.
    .addColumn('seq', engine === 'sqlite' ? 'integer' : 'bigint', (c) =>
      c.primaryKey().references('xapi_statements.seq'),
    )
    .execute();
  await sql`insert into xapi_stats_pending (seq)
    select seq from xapi_statements where stats_state = 'pending'`.execute(db);
  await db.schema.dropIndex('xapi_statements_stats_idx').execute();
  await db.schema.alterTable('xapi_statements').dropColumn('stats_state').execute();
}
