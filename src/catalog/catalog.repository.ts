// Synced course rows. Repositories take `db` (or a transaction) first; the caller owns the
// transaction. Write functions answer how many course rows they wrote, so that "a no-op re-sync
// writes nothing" is measured, not assumed.
import { sql, type Insertable } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { CoursesTable } from '../db/schema.js';
import type { MappedCourse } from './catalog.mapping.js';

export type ArchiveReason = 'inactive' | 'absent' | 'deactivated';
/** A sync restores courses archived for these reasons when they are listed again, active. */
export const RESTORABLE_REASONS: readonly ArchiveReason[] = ['absent', 'inactive', 'deactivated'];

export type StoredCourseState = {
  id: string;
  external_id: string;
  content_hash: string | null;
  source_hash: string | null;
  archived: 0 | 1;
  archived_reason: string | null;
};

export async function findCoursesByExternalIds(
  db: Db,
  integrationId: string,
  externalIds: readonly string[],
): Promise<StoredCourseState[]> {
  if (externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('courses')
    .select(['id', 'external_id', 'content_hash', 'source_hash', 'archived', 'archived_reason'])
    .where('integration_id', '=', integrationId)
    .where('external_id', 'in', externalIds)
    .execute();
  return rows.map((r) => ({ ...r, external_id: r.external_id ?? '' }));
}

/** The content columns a mapped course sets (everything a sync owns; never local_tags). */
export function contentColumns(course: MappedCourse, hash: string, source: string, raw: unknown) {
  return {
    source_hash: source,
    name: course.name,
    description: course.description,
    image: course.image,
    duration_minutes: course.durationMinutes,
    author: course.author,
    lang: course.lang,
    other_langs: JSON.stringify(course.otherLangs),
    launch_url: course.launchUrl,
    modified_at: course.modifiedAt,
    subjects: JSON.stringify(course.subjects),
    content_type: course.contentType,
    xapi_activity_id: course.xapiActivityId,
    content_hash: hash,
    raw: JSON.stringify(raw),
  };
}

export type NewCourse = {
  id: string;
  externalId: string;
  content: ReturnType<typeof contentColumns>;
  archivedReason: ArchiveReason | null;
};

/**
 * Inserts new synced courses and puts them in the integration group's catalog. Idempotent: a
 * course that already exists (a re-run after a kill) is left alone, and its catalog entry too.
 */
export async function insertCourses(
  db: Db,
  engine: Engine,
  integrationId: string,
  groupId: string,
  courses: readonly NewCourse[],
  now: string,
): Promise<number> {
  if (courses.length === 0) return 0;
  const rows = courses.map((c) => ({
    id: c.id,
    integration_id: integrationId,
    source: 'opensesame',
    external_id: c.externalId,
    ...c.content,
    archived: c.archivedReason ? (1 as const) : (0 as const),
    archived_at: c.archivedReason ? now : null,
    archived_reason: c.archivedReason,
    // A new row's hand-added tags start empty; no sync writes them afterwards.
    local_tags: '[]',
    created_at: now,
    updated_at: now,
  }));
  const inserted =
    engine === 'postgres'
      ? await insertRowsAsArrays(db, rows)
      : Number(
          (
            await db
              .insertInto('courses')
              .values(rows)
              .onConflict((oc) => oc.columns(['integration_id', 'external_id']).doNothing())
              .executeTakeFirst()
          ).numInsertedOrUpdatedRows ?? 0,
        );
  // Catalog entries by external id, so that they point at whichever row won.
  await db
    .insertInto('catalog_entries')
    .columns(['group_id', 'course_id', 'added_by', 'added_at'])
    .expression(
      db
        .selectFrom('courses')
        .select([
          sql.lit(groupId).as('group_id'),
          'id',
          sql.lit(null).as('added_by'),
          sql.lit(now).as('added_at'),
        ])
        .where('integration_id', '=', integrationId)
        .where(
          'external_id',
          'in',
          courses.map((c) => c.externalId),
        ),
    )
    .onConflict((oc) => oc.columns(['group_id', 'course_id']).doNothing())
    .execute();
  return inserted;
}

type NewCourseRow = Insertable<CoursesTable>;
/** PostgreSQL type of each column a sync inserts (all text but these). */
const INTEGER_COLUMNS = new Set(['duration_minutes', 'archived']);

/**
 * PostgreSQL: one array parameter per column, unnested into rows. A multi-row VALUES list has one
 * parameter per cell (2,500 for 100 courses), and the server parses and plans that text anew for
 * every batch; this statement's text is the same for every batch.
 */
async function insertRowsAsArrays(db: Db, rows: readonly NewCourseRow[]): Promise<number> {
  const columns = Object.keys(rows[0]!) as Array<keyof NewCourseRow>;
  const arrays = columns.map((col) => {
    const values = rows.map((r) => r[col] ?? null);
    return sql`${values}::${sql.raw(INTEGER_COLUMNS.has(col) ? 'integer[]' : 'text[]')}`;
  });
  const result = await sql`INSERT INTO courses (${sql.join(columns.map((c) => sql.ref(c)))})
    SELECT * FROM unnest(${sql.join(arrays)})
    ON CONFLICT (integration_id, external_id) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Last statement of a batch's transaction: is the integration still live? Read after the batch's
 * writes, so that the answer holds until COMMIT: SQLite's write lock already keeps other writers out,
 * and on PostgreSQL the share lock makes a deactivation's status update wait for the commit (then
 * its archiving follows the batch). A deactivation on another instance, which cannot abort this
 * run, so stops it at its next batch instead of letting it restore courses until it ends.
 */
export async function integrationStillLive(db: Db, engine: Engine, integrationId: string): Promise<boolean> {
  const row = await sql<{ status: string }>`SELECT status FROM integrations WHERE id = ${integrationId}
    ${engine === 'postgres' ? sql`FOR SHARE` : sql``}`.execute(db);
  return row.rows[0] !== undefined && row.rows[0].status !== 'inactive';
}

export type CoursePatch = {
  content?: ReturnType<typeof contentColumns>;
  /** Archive (with the reason), restore (null), or leave the state alone (undefined). */
  archive?: ArchiveReason | null;
};

export async function updateCourse(db: Db, id: string, patch: CoursePatch, now: string): Promise<number> {
  const archiveColumns =
    patch.archive === undefined
      ? {}
      : patch.archive === null
        ? { archived: 0 as const, archived_at: null, archived_reason: null }
        : { archived: 1 as const, archived_at: now, archived_reason: patch.archive };
  const result = await db
    .updateTable('courses')
    .set({ ...patch.content, ...archiveColumns, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Archives courses that are still active; answers how many it archived. */
export async function archiveCourses(
  db: Db,
  courseIds: readonly string[],
  reason: ArchiveReason,
  now: string,
): Promise<number> {
  if (courseIds.length === 0) return 0;
  const result = await db
    .updateTable('courses')
    .set({ archived: 1, archived_at: now, archived_reason: reason, updated_at: now })
    .where('id', 'in', courseIds)
    .where('archived', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One keyset page of an integration's active courses, by external id (the unique index serves it). */
export async function listActiveCourseKeys(
  db: Db,
  integrationId: string,
  afterExternalId: string | null,
  limit: number,
): Promise<Array<{ id: string; external_id: string }>> {
  let q = db
    .selectFrom('courses')
    .select(['id', 'external_id'])
    .where('integration_id', '=', integrationId)
    .where('archived', '=', 0)
    .orderBy('external_id')
    .limit(limit);
  if (afterExternalId !== null) q = q.where('external_id', '>', afterExternalId);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, external_id: r.external_id ?? '' }));
}

export async function countActiveCourses(db: Db, integrationId: string): Promise<number> {
  const row = await db
    .selectFrom('courses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('integration_id', '=', integrationId)
    .where('archived', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Held archives (the mass-archive brake).

export async function replaceHeldArchives(
  db: Db,
  integrationId: string,
  runId: string,
  courseIds: readonly string[],
  now: string,
): Promise<void> {
  await db.deleteFrom('held_archives').where('integration_id', '=', integrationId).execute();
  for (let i = 0; i < courseIds.length; i += 500) {
    await db
      .insertInto('held_archives')
      .values(
        courseIds
          .slice(i, i + 500)
          .map((id) => ({ run_id: runId, integration_id: integrationId, course_id: id, held_at: now })),
      )
      .execute();
  }
}

/** A held course that showed up again in a listing is no longer a candidate. */
export async function releaseHeldCourses(
  db: Db,
  integrationId: string,
  courseIds: readonly string[],
): Promise<void> {
  if (courseIds.length === 0) return;
  await db
    .deleteFrom('held_archives')
    .where('integration_id', '=', integrationId)
    .where('course_id', 'in', courseIds)
    .execute();
}

export async function listHeldCourseIds(db: Db, integrationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('held_archives')
    .select('course_id')
    .where('integration_id', '=', integrationId)
    .orderBy('course_id')
    .execute();
  return rows.map((r) => r.course_id);
}

export async function clearHeldArchives(db: Db, integrationId: string): Promise<void> {
  await db.deleteFrom('held_archives').where('integration_id', '=', integrationId).execute();
}
