import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Search speed (issue 5): browsing without words lists unarchived courses by name. With `archived`
// first, the index gives them in order and the page stops after `pageSize` rows; the (name, id)
// index of 006 made SQLite prefer the facets index plus a sort of every course.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createIndex('courses_browse_idx')
    .on('courses')
    .columns(['archived', 'name', 'id'])
    .execute();
}
