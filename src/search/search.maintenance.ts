// After a catalogue sync has written courses in bulk: bring the planner's statistics and the text
// index up to date, so that the next searches are planned and read as on a settled database.
import { sql } from 'kysely';
import type { Db, Engine } from '../db/db.js';

export async function refreshSearchAfterBulkWrites(db: Db, engine: Engine): Promise<void> {
  if (engine === 'sqlite') {
    // Without statistics (none until something runs ANALYZE) search's filtered counts and browsing
    // ran 2–5× slower at 100,000 courses. 0x10002: analyse where the row counts moved a lot or
    // nothing was analysed yet, checking every table; SQLite bounds the work itself.
    await sql`PRAGMA optimize = 0x10002`.execute(db);
    return;
  }
  // GIN keeps new entries in a pending list that every search scans until a vacuum merges them
  // (about 10 % of the search CPU right after a 100,000-course first sync); then statistics for the
  // search table without waiting for autovacuum.
  await sql`SELECT gin_clean_pending_list('course_search_tsv_idx'::regclass),
    gin_clean_pending_list('course_search_name_idx'::regclass),
    gin_clean_pending_list('course_search_subjects_idx'::regclass)`.execute(db);
  await sql`ANALYZE course_search`.execute(db);
}
