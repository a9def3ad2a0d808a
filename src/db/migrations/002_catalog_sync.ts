import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Catalog sync additions to the core tables:
// - sync_locks.holder: "host:pid" of the lease holder, so that a run on the same host can take over
//   at once from a process that was killed (kill -9) instead of waiting for the lease to expire.
// - sync_run_errors.severity: 'error' (course rejected) or 'warning' (a field dropped, course kept).
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('sync_locks').addColumn('holder', 'text').execute();
  await db.schema
    .alterTable('sync_run_errors')
    .addColumn('severity', 'text', (c) => c.notNull().defaultTo('error'))
    .execute();
}
