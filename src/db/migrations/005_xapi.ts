import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// xAPI statements (with their query index and attachments), unmatched statistics and attempts.
// `seq` orders statements (paging, consistent-through) on both engines: SQLite's rowid, a
// PostgreSQL bigserial.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('xapi_statements')
    .addColumn('seq', sql.raw(engine === 'postgres' ? 'bigserial' : 'integer') as never, (c) =>
      c.primaryKey().$call((b) => (engine === 'sqlite' ? b.autoIncrement() : b)),
    )
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('verb_id', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text')
    .addColumn('registration', 'text')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('stored', 'text', (c) => c.notNull())
    .addColumn('voided', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('voids_id', 'text')
    .addColumn('stats_state', 'text', (c) => c.notNull())
    .addUniqueConstraint('xapi_statements_integration_id_uq', ['integration_id', 'id'])
    .execute();
  await db.schema
    .createIndex('xapi_statements_stats_idx')
    .on('xapi_statements')
    .columns(['stats_state', 'seq'])
    .execute();
  await db.schema
    .createIndex('xapi_statements_stored_idx')
    .on('xapi_statements')
    .columns(['integration_id', 'stored'])
    .execute();

  await db.schema
    .createTable('xapi_statement_refs')
    .addColumn('statement_seq', 'bigint', (c) => c.notNull().references('xapi_statements.seq'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('related', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('xapi_statement_refs_key_idx')
    .on('xapi_statement_refs')
    .columns(['kind', 'key', 'statement_seq'])
    .execute();
  await db.schema
    .createIndex('xapi_statement_refs_seq_idx')
    .on('xapi_statement_refs')
    .column('statement_seq')
    .execute();

  await db.schema
    .createTable('xapi_attachments')
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('sha2', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('length', 'integer', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_attachments_pk', ['integration_id', 'sha2'])
    .execute();

  await db.schema
    .createTable('stats_unmatched')
    .addColumn('statement_seq', 'bigint', (c) => c.primaryKey().references('xapi_statements.seq'))
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('statement_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('learner_mail', 'text')
    .addColumn('course_key', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stats_unmatched_mail_idx')
    .on('stats_unmatched')
    .column('learner_mail')
    .execute();
  await db.schema
    .createIndex('stats_unmatched_course_idx')
    .on('stats_unmatched')
    .columns(['integration_id', 'course_key'])
    .execute();

  await db.schema
    .createTable('attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('entry_type', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text')
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('score', 'real')
    .addColumn('time_spent_ms', 'bigint')
    .addColumn('first_activity_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attempts_user_course_idx')
    .on('attempts')
    .columns(['user_id', 'course_id', 'last_activity_at'])
    .execute();
  await db.schema.createIndex('attempts_course_idx').on('attempts').column('course_id').execute();
}
