import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.js';

// Courses at work: full-text search over courses, paths, program templates and sessions.
// Search indexes are kept in step with `courses` by triggers, so the sync engine (and anything else
// that writes courses) needs to know nothing about them.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await createSearch(db, engine);
  await createPaths(db);
  await createPrograms(db);
}

async function createSearch(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // One row per (course, subject): subject filters and facet counts read an index, not JSON.
  await db.schema
    .createTable('course_subjects')
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('course_subjects_pk', ['course_id', 'subject'])
    .execute();
  await db.schema
    .createIndex('course_subjects_subject_idx')
    .on('course_subjects')
    .columns(['subject', 'course_id'])
    .execute();
  // Facet counts and filters read the index alone (covering, id included for the visibility
  // probes); browsing without words walks the name index in order instead of sorting.
  await db.schema
    .createIndex('courses_facets_idx')
    .on('courses')
    .columns(['archived', 'lang', 'content_type', 'source', 'duration_minutes', 'id'])
    .execute();
  await db.schema.createIndex('courses_name_idx').on('courses').columns(['name', 'id']).execute();

  if (engine === 'sqlite') {
    // External-content FTS5 table. The content is a view so that `rebuild` sees the same text as the
    // triggers: HTML stripped by `sb_strip_html`, a deterministic function every connection registers
    // (src/search/search.sqlite.ts, called from createDb).
    await sql`CREATE VIEW courses_fts_source AS
      SELECT rowid AS rid, name, sb_strip_html(description) AS description, subjects, author FROM courses`.execute(
      db,
    );
    await sql`CREATE VIRTUAL TABLE courses_fts USING fts5(
      name, description, subjects, author,
      content='courses_fts_source', content_rowid='rid',
      tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(db);
    const values = (p: 'new' | 'old') =>
      `${p}.rowid, ${p}.name, sb_strip_html(${p}.description), ${p}.subjects, ${p}.author`;
    const subjects = `INSERT OR IGNORE INTO course_subjects (course_id, subject)
        SELECT new.id, value FROM json_each(new.subjects) WHERE json_valid(new.subjects) AND type = 'text';`;
    await sql
      .raw(
        `CREATE TRIGGER courses_search_ai AFTER INSERT ON courses BEGIN
        INSERT INTO courses_fts (rowid, name, description, subjects, author) VALUES (${values('new')});
        ${subjects}
      END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER courses_search_ad AFTER DELETE ON courses BEGIN
        INSERT INTO courses_fts (courses_fts, rowid, name, description, subjects, author)
          VALUES ('delete', ${values('old')});
        DELETE FROM course_subjects WHERE course_id = old.id;
      END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER courses_search_au AFTER UPDATE OF name, description, subjects, author ON courses BEGIN
        INSERT INTO courses_fts (courses_fts, rowid, name, description, subjects, author)
          VALUES ('delete', ${values('old')});
        INSERT INTO courses_fts (rowid, name, description, subjects, author) VALUES (${values('new')});
        DELETE FROM course_subjects WHERE course_id = old.id;
        ${subjects}
      END`,
      )
      .execute(db);
    // Courses written before this migration.
    await sql`INSERT INTO courses_fts (courses_fts) VALUES ('rebuild')`.execute(db);
    await sql`INSERT OR IGNORE INTO course_subjects (course_id, subject)
      SELECT c.id, j.value FROM courses c, json_each(c.subjects) j
      WHERE json_valid(c.subjects) AND j.type = 'text'`.execute(db);
  } else {
    // A side table rather than a generated column on `courses`, so that the courses row shape stays
    // identical on both engines. Weights: name A, subjects B, author C, description D.
    await sql`CREATE TABLE course_search (
      course_id text PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
      tsv tsvector NOT NULL)`.execute(db);
    await sql`CREATE INDEX course_search_tsv_idx ON course_search USING gin (tsv)`.execute(db);
    await sql`CREATE FUNCTION sb_course_tsv(name text, description text, subjects text, author text)
      RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A')
          || setweight(to_tsvector('simple'::regconfig, coalesce(subjects, '')), 'B')
          || setweight(to_tsvector('simple'::regconfig, coalesce(author, '')), 'C')
          || setweight(to_tsvector('simple'::regconfig,
               replace(replace(replace(replace(regexp_replace(coalesce(description, ''), '<[^>]*>', ' ', 'g'),
                 '&nbsp;', ' '), '&amp;', '&'), '&lt;', '<'), '&gt;', '>')), 'D')
      $$`.execute(db);
    await sql`CREATE FUNCTION sb_course_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO course_search (course_id, tsv)
          VALUES (NEW.id, sb_course_tsv(NEW.name, NEW.description, NEW.subjects, NEW.author))
          ON CONFLICT (course_id) DO UPDATE SET tsv = EXCLUDED.tsv;
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM course_subjects WHERE course_id = NEW.id;
        END IF;
        IF NEW.subjects IS NOT NULL AND NEW.subjects <> '' AND left(ltrim(NEW.subjects), 1) = '[' THEN
          INSERT INTO course_subjects (course_id, subject)
            SELECT DISTINCT NEW.id, s FROM jsonb_array_elements_text(NEW.subjects::jsonb) AS s
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER courses_search_ai AFTER INSERT ON courses
      FOR EACH ROW EXECUTE FUNCTION sb_course_search_sync()`.execute(db);
    await sql`CREATE TRIGGER courses_search_au AFTER UPDATE OF name, description, subjects, author ON courses
      FOR EACH ROW EXECUTE FUNCTION sb_course_search_sync()`.execute(db);
    await sql`INSERT INTO course_search (course_id, tsv)
      SELECT id, sb_course_tsv(name, description, subjects, author) FROM courses`.execute(db);
    await sql`INSERT INTO course_subjects (course_id, subject)
      SELECT DISTINCT c.id, s FROM courses c, jsonb_array_elements_text(c.subjects::jsonb) AS s
      ON CONFLICT DO NOTHING`.execute(db);
  }
}

async function createPaths(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('paths')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paths_group_idx').on('paths').column('group_id').execute();
  await db.schema
    .createTable('path_steps')
    .addColumn('path_id', 'text', (c) => c.notNull().references('paths.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('path_steps_pk', ['path_id', 'position'])
    .addUniqueConstraint('path_steps_course_uq', ['path_id', 'course_id'])
    .execute();
  await db.schema.createIndex('path_steps_course_idx').on('path_steps').column('course_id').execute();
  await db.schema
    .createTable('path_enrolments')
    .addColumn('path_id', 'text', (c) => c.notNull().references('paths.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('enrolled_by', 'text', (c) => c.references('users.id'))
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('path_enrolments_pk', ['path_id', 'user_id'])
    .execute();
  await db.schema.createIndex('path_enrolments_user_idx').on('path_enrolments').column('user_id').execute();
}

async function createPrograms(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('program_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('program_templates_group_idx')
    .on('program_templates')
    .column('group_id')
    .execute();
  await db.schema
    .createTable('program_blocks')
    .addColumn('template_id', 'text', (c) => c.notNull().references('program_templates.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_blocks_pk', ['template_id', 'position'])
    .addUniqueConstraint('program_blocks_course_uq', ['template_id', 'course_id'])
    .execute();
  await db.schema.createIndex('program_blocks_course_idx').on('program_blocks').column('course_id').execute();
  await db.schema
    .createTable('program_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull().references('program_templates.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('program_sessions_template_idx')
    .on('program_sessions')
    .column('template_id')
    .execute();
  await db.schema
    .createTable('program_session_learners')
    .addColumn('session_id', 'text', (c) => c.notNull().references('program_sessions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('enrolled_by', 'text', (c) => c.references('users.id'))
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_session_learners_pk', ['session_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('program_session_learners_user_idx')
    .on('program_session_learners')
    .column('user_id')
    .execute();
}
