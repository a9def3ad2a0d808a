import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Search speed (issue 5): a query's candidates are listed name matches first (every word of the
// query in the course name, src/search/search.ranking.ts). SQLite reads that from the FTS5 index's
// positions (`{name} : (…)`); PostgreSQL needs an index of the name's words alone, here an
// expression GIN index on the search table's `name` (the same 'simple' words as the name's part of
// `tsv`), so no column or trigger changes.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`CREATE INDEX course_search_name_idx ON course_search USING gin (to_tsvector('simple'::regconfig, name))`.execute(
    db,
  );
}
