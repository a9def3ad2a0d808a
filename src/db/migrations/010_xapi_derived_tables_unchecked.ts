import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// The statement's query index (xapi_statement_refs) and its place in the statistics queue
// (xapi_stats_pending) lose their foreign keys to xapi_statements (issue 4, benchmark). Both are
// written only in the statement's own commit (the group commit's one INSERT, or the request's
// transaction) and statements are never deleted, so the keys could never fail, yet on PostgreSQL
// each checked row locked its statement row (FOR KEY SHARE: a lock written to the new row and to
// the WAL), three per statement: ~10 µs of the server's CPU per statement, a fifth of its insert.
// SQLite cannot drop a constraint: the two tables are rebuilt, the same otherwise.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`alter table xapi_statement_refs drop constraint if exists xapi_statement_refs_statement_seq_fkey`.execute(
      db,
    );
    await sql`alter table xapi_stats_pending drop constraint if exists xapi_stats_pending_seq_fkey`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('xapi_statement_refs_new')
    .addColumn('statement_seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('related', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_statement_refs_pk', ['kind', 'key', 'statement_seq'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into xapi_statement_refs_new (statement_seq, kind, key, related)
    select statement_seq, kind, key, related from xapi_statement_refs`.execute(db);
  await db.schema.dropTable('xapi_statement_refs').execute();
  await db.schema.alterTable('xapi_statement_refs_new').renameTo('xapi_statement_refs').execute();

  await db.schema
    .createTable('xapi_stats_pending_new')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .execute();
  await sql`insert into xapi_stats_pending_new (seq) select seq from xapi_stats_pending`.execute(db);
  await db.schema.dropTable('xapi_stats_pending').execute();
  await db.schema.alterTable('xapi_stats_pending_new').renameTo('xapi_stats_pending').execute();
}
