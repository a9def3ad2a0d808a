import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Statement POSTs write fewer b-trees (issue 4, benchmark). Same columns, same queries:
// - xapi_statement_refs is keyed by (kind, key, statement_seq), which is unique (a statement
//   names a key once) and is the lookup the agent/activity filters make. On SQLite the table is
//   WITHOUT ROWID, so a ref is one b-tree entry instead of a row plus two index entries; on
//   PostgreSQL the primary key replaces both indexes. (The statement_seq index served no query.)
// - The statistics queue index holds pending statements only: a statement enters it when stored
//   and leaves it when applied, instead of every statement staying in it forever.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('xapi_statement_refs_new')
    .addColumn('statement_seq', 'bigint', (c) => c.notNull().references('xapi_statements.seq'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('related', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_statement_refs_pk', ['kind', 'key', 'statement_seq'])
    .$call((b) => (engine === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await sql`insert into xapi_statement_refs_new (statement_seq, kind, key, related)
    select statement_seq, kind, key, min(related) from xapi_statement_refs
    group by statement_seq, kind, key`.execute(db);
  await db.schema.dropTable('xapi_statement_refs').execute();
  await db.schema.alterTable('xapi_statement_refs_new').renameTo('xapi_statement_refs').execute();

  await db.schema.dropIndex('xapi_statements_stats_idx').execute();
  await db.schema
    .createIndex('xapi_statements_pending_idx')
    .on('xapi_statements')
    .column('seq')
    .where(sql.ref('stats_state'), '=', 'pending')
    .execute();
}
