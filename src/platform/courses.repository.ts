// Courses as the platform sees them, and the catalog and library entries that put them in groups.
// The sync (catalog/ area) writes synced courses; this file reads them and writes only what the
// platform owns: platform-authored courses, local tags, entries.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/db.js';
import type { Database } from '../db/schema.js';
import type { CourseRow } from './platform.mapping.js';
import { newCourseId } from './course-id.js';

export type Collection = 'catalog' | 'library';
const TABLE = { catalog: 'catalog_entries', library: 'library_entries' } as const;

export async function getCourse(db: Db, id: string): Promise<CourseRow | undefined> {
  return db.selectFrom('courses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which groups may see a course, for a caller who is not a platform admin. */
export type CourseScope = {
  /** Groups whose catalogs the caller sees (own groups and their public ancestors). */
  catalogGroupIds: readonly string[];
  /** Groups where the caller curates or authors (admin, coach, author): their libraries and own courses. */
  staffGroupIds: readonly string[];
};

function visibleTo(scope: CourseScope) {
  return (eb: ExpressionBuilder<Database, 'courses'>) => {
    // `in ()` is not valid SQL; an empty id matches no group (ids are UUIDs).
    const catalog = scope.catalogGroupIds.length ? [...scope.catalogGroupIds] : [''];
    const staff = scope.staffGroupIds.length ? [...scope.staffGroupIds] : [''];
    return eb.or([
      eb.exists(
        eb
          .selectFrom('catalog_entries')
          .select('catalog_entries.course_id')
          .whereRef('catalog_entries.course_id', '=', 'courses.id')
          .where('catalog_entries.group_id', 'in', catalog),
      ),
      eb.exists(
        eb
          .selectFrom('library_entries')
          .select('library_entries.course_id')
          .whereRef('library_entries.course_id', '=', 'courses.id')
          .where('library_entries.group_id', 'in', staff),
      ),
      eb('courses.owner_group_id', 'in', staff),
      eb.exists(
        eb
          .selectFrom('integrations')
          .select('integrations.id')
          .whereRef('integrations.id', '=', 'courses.integration_id')
          .where('integrations.group_id', 'in', staff),
      ),
    ]);
  };
}

export async function courseVisible(db: Db, courseId: string, scope: CourseScope): Promise<boolean> {
  const row = await db
    .selectFrom('courses')
    .select('id')
    .where('id', '=', courseId)
    .where(visibleTo(scope))
    .executeTakeFirst();
  return row !== undefined;
}

export type CourseQuery = {
  /** Undefined: every course (platform admins). */
  scope: CourseScope | undefined;
  q?: string | undefined;
  includeArchived?: boolean | undefined;
  source?: string | undefined;
  limit: number;
  offset: number;
};

export async function listCourses(
  db: Db,
  query: CourseQuery,
): Promise<{ courses: CourseRow[]; total: number }> {
  let base = db.selectFrom('courses');
  if (query.scope) base = base.where(visibleTo(query.scope));
  if (!query.includeArchived) base = base.where('archived', '=', 0);
  if (query.source) base = base.where('source', '=', query.source);
  if (query.q?.trim()) {
    const pattern = `%${query.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(sql<boolean>`lower(courses.name) like ${pattern} escape '\\'`);
  }
  const [courses, count] = await Promise.all([
    base.selectAll().orderBy('name').orderBy('id').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { courses, total: Number(count.n) };
}

export type NativeCourseInput = {
  ownerGroupId: string;
  createdBy: string;
  name: string;
  description: string | null;
  lang: string;
  contentType: string;
  launchUrl: string | null;
  image: string | null;
  durationMinutes: number | null;
  subjects: string[];
  now: string;
};

export async function insertNativeCourse(db: Db, input: NativeCourseInput): Promise<CourseRow> {
  const row: CourseRow = {
    id: newCourseId(),
    integration_id: null,
    source: 'native',
    external_id: null,
    name: input.name,
    description: input.description,
    image: input.image,
    duration_minutes: input.durationMinutes,
    author: null,
    lang: input.lang,
    other_langs: '[]',
    launch_url: input.launchUrl,
    modified_at: input.now,
    subjects: JSON.stringify(input.subjects),
    content_type: input.contentType,
    xapi_activity_id: null,
    archived: 0,
    archived_at: null,
    archived_reason: null,
    content_hash: null,
    raw: null,
    local_tags: '[]',
    created_at: input.now,
    updated_at: input.now,
    owner_group_id: input.ownerGroupId,
    created_by: input.createdBy,
  };
  await db.insertInto('courses').values(row).execute();
  return row;
}

export type CourseUpdate = Partial<
  Pick<
    CourseRow,
    | 'name'
    | 'description'
    | 'image'
    | 'duration_minutes'
    | 'lang'
    | 'launch_url'
    | 'content_type'
    | 'subjects'
    | 'local_tags'
    | 'archived'
    | 'archived_at'
    | 'archived_reason'
    | 'modified_at'
  >
>;

export async function updateCourse(db: Db, id: string, patch: CourseUpdate, now: string): Promise<void> {
  await db
    .updateTable('courses')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The groups that hold a course: its owner or integration group, and every catalog and library. */
export async function groupsHoldingCourse(db: Db, course: CourseRow): Promise<string[]> {
  const [catalog, library, integration] = await Promise.all([
    db.selectFrom('catalog_entries').select('group_id').where('course_id', '=', course.id).execute(),
    db.selectFrom('library_entries').select('group_id').where('course_id', '=', course.id).execute(),
    course.integration_id
      ? db
          .selectFrom('integrations')
          .select('group_id')
          .where('id', '=', course.integration_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  const ids = new Set([...catalog, ...library].map((r) => r.group_id));
  if (course.owner_group_id) ids.add(course.owner_group_id);
  if (integration) ids.add(integration.group_id);
  return [...ids];
}

// --- catalog and library entries ---

/** Adds an entry; false when it was already there (the first one is kept). */
export async function insertEntry(
  db: Db,
  collection: Collection,
  entry: { groupId: string; courseId: string; addedBy: string | null; now: string },
): Promise<boolean> {
  const res = await db
    .insertInto(TABLE[collection])
    .values({
      group_id: entry.groupId,
      course_id: entry.courseId,
      added_by: entry.addedBy,
      added_at: entry.now,
    })
    .onConflict((oc) => oc.columns(['group_id', 'course_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteEntry(
  db: Db,
  collection: Collection,
  groupId: string,
  courseId: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom(TABLE[collection])
    .where('group_id', '=', groupId)
    .where('course_id', '=', courseId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export type EntryRow = { course: CourseRow; groupId: string; addedBy: string | null; addedAt: string };

export async function listEntries(
  db: Db,
  collection: Collection,
  groupId: string,
  opts: { includeArchived: boolean; limit: number; offset: number },
): Promise<EntryRow[]> {
  const table = TABLE[collection];
  let q = db
    .selectFrom(table)
    .innerJoin('courses', 'courses.id', `${table}.course_id`)
    .selectAll('courses')
    .select([`${table}.added_by as entry_added_by`, `${table}.added_at as entry_added_at`])
    .where(`${table}.group_id`, '=', groupId);
  if (!opts.includeArchived) q = q.where('courses.archived', '=', 0);
  const rows = await q
    .orderBy('courses.name')
    .orderBy('courses.id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  return rows.map(({ entry_added_by, entry_added_at, ...course }) => ({
    course,
    groupId,
    addedBy: entry_added_by,
    addedAt: entry_added_at,
  }));
}

export async function getEntry(
  db: Db,
  collection: Collection,
  groupId: string,
  courseId: string,
): Promise<{ added_by: string | null; added_at: string } | undefined> {
  return db
    .selectFrom(TABLE[collection])
    .select(['added_by', 'added_at'])
    .where('group_id', '=', groupId)
    .where('course_id', '=', courseId)
    .executeTakeFirst();
}

/** Inserts a whole course row (seeds and tests; the sync has its own upsert). */
export async function insertCourseRow(db: Db, row: CourseRow): Promise<void> {
  await db.insertInto('courses').values(row).execute();
}
