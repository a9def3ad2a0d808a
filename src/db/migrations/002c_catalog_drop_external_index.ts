import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// courses_external_idx (external_id alone) is covered by the unique (integration_id, external_id)
// index: every lookup by external id also names the integration. Each index is one more b-tree a sync
// writes per course, so the redundant one goes.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.dropIndex('courses_external_idx').ifExists().execute();
}
