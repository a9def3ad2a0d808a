import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// courses.source_hash: fingerprint of the vendor item last mapped (with the mapping version), so an
// unchanged item is not mapped (and its HTML not sanitised) again on every daily sync. Its own file
// because 002 had already landed on main without it (a shipped migration is never edited).
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('courses').addColumn('source_hash', 'text').execute();
}
