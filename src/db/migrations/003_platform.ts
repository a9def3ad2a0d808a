import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Platform: the owning group and author of courses made on the platform itself (synced courses
// belong to their integration's group), and the indexes that auth and the group tree read by.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('courses')
    .addColumn('owner_group_id', 'text', (c) => c.references('groups.id'))
    .execute();
  await db.schema
    .alterTable('courses')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('courses_owner_group_idx').on('courses').column('owner_group_id').execute();
  await db.schema.createIndex('groups_parent_idx').on('groups').column('parent_id').execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();
}
