import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Search speed (issue 5): what search filters, counts and orders by (archived, language, content
// type, source, duration, name, the two visibility columns) kept beside the text index, so that a
// search reads small rows of one table instead of a `courses` row (descriptions, raw vendor JSON)
// per match; `courses` is read for the page's rows only.
//  - SQLite: `course_facts`, keyed by the FTS5 rowid (= courses.rowid), so a match is one integer
//    lookup away from its facts.
//  - PostgreSQL: the same columns on `course_search`, the table the tsvector lives in, so one
//    index scan plus a filter answers a search; subjects as a text[] for the subject filter and facet.
// Triggers keep them in step with `courses`, like the text index of migration 006.
const FACT_COLUMNS = [
  'archived',
  'lang',
  'content_type',
  'source',
  'duration_minutes',
  'name',
  'integration_id',
  'owner_group_id',
] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') await sqliteFacts(db);
  else await postgresFacts(db);
  // Search's old covering index on courses (006): the facts replace it, and a sync writes one
  // b-tree fewer per course.
  await db.schema.dropIndex('courses_facets_idx').ifExists().execute();
}

async function sqliteFacts(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE course_facts (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    archived INTEGER NOT NULL,
    lang TEXT NOT NULL,
    content_type TEXT NOT NULL,
    source TEXT NOT NULL,
    duration_minutes INTEGER,
    name TEXT NOT NULL,
    integration_id TEXT,
    owner_group_id TEXT)`.execute(db);
  // Browsing: unarchived courses by name, walked in order and stopped after the page.
  await sql`CREATE INDEX course_facts_browse_idx ON course_facts (archived, name, id)`.execute(db);
  const cols = FACT_COLUMNS.join(', ');
  const values = FACT_COLUMNS.map((c) => `new.${c}`).join(', ');
  const upsert = `INSERT OR REPLACE INTO course_facts (rid, id, ${cols}) VALUES (new.rowid, new.id, ${values});`;
  await sql.raw(`CREATE TRIGGER course_facts_ai AFTER INSERT ON courses BEGIN ${upsert} END`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER course_facts_ad AFTER DELETE ON courses BEGIN DELETE FROM course_facts WHERE rid = old.rowid; END`,
    )
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER course_facts_au AFTER UPDATE OF id, ${cols} ON courses BEGIN ${upsert} END`)
    .execute(db);
  await sql
    .raw(`INSERT INTO course_facts (rid, id, ${cols}) SELECT rowid, id, ${cols} FROM courses`)
    .execute(db);
}

async function postgresFacts(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE course_search
    ADD COLUMN archived integer NOT NULL DEFAULT 0,
    ADD COLUMN lang text NOT NULL DEFAULT '',
    ADD COLUMN content_type text NOT NULL DEFAULT '',
    ADD COLUMN source text NOT NULL DEFAULT '',
    ADD COLUMN duration_minutes integer,
    ADD COLUMN name text NOT NULL DEFAULT '',
    ADD COLUMN integration_id text,
    ADD COLUMN owner_group_id text,
    ADD COLUMN subjects text[] NOT NULL DEFAULT '{}'`.execute(db);
  // The tsvector and course_subjects are rewritten only when their text changed: archiving a course
  // (a sync archives thousands at once) touches the facts alone. Subjects: the same reading of the
  // JSON list as course_subjects (migration 006), parsed once for both (distinct; not a list: none).
  await sql`CREATE OR REPLACE FUNCTION sb_course_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        subjects_changed boolean := TG_OP = 'INSERT' OR NEW.subjects IS DISTINCT FROM OLD.subjects;
        subject_list text[];
      BEGIN
        IF TG_OP = 'UPDATE' AND NOT subjects_changed AND NEW.name IS NOT DISTINCT FROM OLD.name
            AND NEW.description IS NOT DISTINCT FROM OLD.description AND NEW.author IS NOT DISTINCT FROM OLD.author THEN
          UPDATE course_search SET archived = NEW.archived, lang = NEW.lang, content_type = NEW.content_type,
              source = NEW.source, duration_minutes = NEW.duration_minutes,
              integration_id = NEW.integration_id, owner_group_id = NEW.owner_group_id
            WHERE course_id = NEW.id;
          RETURN NULL;
        END IF;
        IF NEW.subjects IS NOT NULL AND left(ltrim(NEW.subjects), 1) = '[' THEN
          SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') INTO subject_list
            FROM jsonb_array_elements_text(NEW.subjects::jsonb) AS s;
        ELSE
          subject_list := '{}';
        END IF;
        INSERT INTO course_search (course_id, tsv, archived, lang, content_type, source, duration_minutes,
            name, integration_id, owner_group_id, subjects)
          VALUES (NEW.id, sb_course_tsv(NEW.name, NEW.description, NEW.subjects, NEW.author), NEW.archived,
            NEW.lang, NEW.content_type, NEW.source, NEW.duration_minutes, NEW.name, NEW.integration_id,
            NEW.owner_group_id, subject_list)
          ON CONFLICT (course_id) DO UPDATE SET tsv = EXCLUDED.tsv, archived = EXCLUDED.archived,
            lang = EXCLUDED.lang, content_type = EXCLUDED.content_type, source = EXCLUDED.source,
            duration_minutes = EXCLUDED.duration_minutes, name = EXCLUDED.name,
            integration_id = EXCLUDED.integration_id, owner_group_id = EXCLUDED.owner_group_id,
            subjects = EXCLUDED.subjects;
        IF subjects_changed THEN
          IF TG_OP = 'UPDATE' THEN
            DELETE FROM course_subjects WHERE course_id = NEW.id;
          END IF;
          INSERT INTO course_subjects (course_id, subject) SELECT NEW.id, unnest(subject_list)
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
  await sql`DROP TRIGGER courses_search_au ON courses`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER courses_search_au AFTER UPDATE OF description, subjects, author, ${FACT_COLUMNS.join(', ')}
      ON courses FOR EACH ROW EXECUTE FUNCTION sb_course_search_sync()`,
    )
    .execute(db);
  await sql`UPDATE course_search s SET archived = c.archived, lang = c.lang, content_type = c.content_type,
      source = c.source, duration_minutes = c.duration_minutes, name = c.name, integration_id = c.integration_id,
      owner_group_id = c.owner_group_id,
      subjects = ARRAY(SELECT cs.subject FROM course_subjects cs WHERE cs.course_id = c.id ORDER BY 1)
    FROM courses c WHERE c.id = s.course_id`.execute(db);
  // Browsing: unarchived courses by name, walked in order and stopped after the page.
  await sql`CREATE INDEX course_search_browse_idx ON course_search (archived, name, course_id)`.execute(db);
}
