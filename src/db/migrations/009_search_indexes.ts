import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Search speed (issue 5), PostgreSQL only.
//  - A query's candidates are listed name matches first (every word of the query in the course
//    name, src/search/search.ranking.ts). SQLite reads that from the FTS5 index's positions
//    (`{name} : (…)`); PostgreSQL needs an index of the name's words alone: an expression GIN index
//    on the search table's `name` (the same 'simple' words as the name's part of `tsv`).
//  - The language, content type, subject and duration filters get an index each, so that PostgreSQL
//    ANDs their bitmaps with the text index's (or with each other's, browsing) instead of reading
//    every candidate row (~870 bytes, the tsvector inline) to test them: 2–4× less time for a word
//    or a browse with such a filter. SQLite joins FTS5 matches to its facts by rowid and has no use
//    for them.
// No column or trigger changes.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`CREATE INDEX course_search_name_idx ON course_search USING gin (to_tsvector('simple'::regconfig, name))`.execute(
    db,
  );
  await sql`CREATE INDEX course_search_lang_idx ON course_search (lang)`.execute(db);
  await sql`CREATE INDEX course_search_type_idx ON course_search (content_type)`.execute(db);
  await sql`CREATE INDEX course_search_subjects_idx ON course_search USING gin (subjects)`.execute(db);
  await sql`CREATE INDEX course_search_duration_idx ON course_search (duration_minutes)`.execute(db);
}
