import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Portable DDL: text ids and ISO times, integer booleans, and the same indexes on both engines.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const serial = engine === 'postgres' ? 'serial' : 'integer';

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('is_platform_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('groups.id'))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().unique().references('groups.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('connector_admin_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('api_url', 'text', (c) => c.notNull())
    .addColumn('token_url', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('ciid_sealed', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('mass_archive_threshold', 'real', (c) => c.notNull())
    .addColumn('webhook_client_id', 'text', (c) => c.notNull().unique())
    .addColumn('webhook_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('previous_webhook_secret_sealed', 'text')
    .addColumn('previous_secret_valid_until', 'text')
    .addColumn('credentials_valid_until', 'text')
    .addColumn('archive_hold_run_id', 'text')
    .addColumn('last_scheduled_for', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('deactivated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.references('integrations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('image', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('author', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('other_langs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('launch_url', 'text')
    .addColumn('modified_at', 'text')
    .addColumn('subjects', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('xapi_activity_id', 'text')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'text')
    .addColumn('archived_reason', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('raw', 'text')
    .addColumn('local_tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('courses_integration_external_uq', ['integration_id', 'external_id'])
    .execute();
  await db.schema.createIndex('courses_xapi_activity_idx').on('courses').column('xapi_activity_id').execute();
  await db.schema.createIndex('courses_external_idx').on('courses').column('external_id').execute();

  for (const table of ['catalog_entries', 'library_entries']) {
    await db.schema
      .createTable(table)
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
      .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
      .addColumn('added_by', 'text', (c) => c.references('users.id'))
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['group_id', 'course_id'])
      .execute();
    await db.schema.createIndex(`${table}_course_idx`).on(table).column('course_id').execute();
  }

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('listing_complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('restored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held_archives', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema
    .createIndex('sync_runs_integration_idx')
    .on('sync_runs')
    .columns(['integration_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('sync_run_errors')
    .addColumn('id', sql.raw(serial) as never, (c) =>
      c.primaryKey().$call((b) => (engine === 'sqlite' ? b.autoIncrement() : b)),
    )
    .addColumn('run_id', 'text', (c) => c.notNull().references('sync_runs.id'))
    .addColumn('external_id', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_run_errors_run_idx').on('sync_run_errors').column('run_id').execute();

  await db.schema
    .createTable('held_archives')
    .addColumn('run_id', 'text', (c) => c.notNull().references('sync_runs.id'))
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('held_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('held_archives_pk', ['integration_id', 'course_id'])
    .execute();

  await db.schema
    .createTable('sync_locks')
    .addColumn('integration_id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
