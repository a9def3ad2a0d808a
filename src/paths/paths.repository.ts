// Paths, their steps and enrolments. Steps are appended at the next position inside the caller's
// transaction; the primary key (path_id, position) turns a concurrent append into a conflict.
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { PathsTable } from './paths.tables.js';
import type { CourseSummaryRow } from '../search/search.mapping.js';

export type PathRow = Selectable<PathsTable>;
export type StepRow = CourseSummaryRow & {
  position: number;
  archived: number;
  integration_id: string | null;
};

export async function insertPath(db: Db, row: PathRow): Promise<void> {
  await db.insertInto('paths').values(row).execute();
}

export async function getPath(db: Db, id: string): Promise<PathRow | undefined> {
  return db.selectFrom('paths').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listGroupPaths(db: Db, groupId: string): Promise<PathRow[]> {
  return db
    .selectFrom('paths')
    .selectAll()
    .where('group_id', '=', groupId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listSteps(db: Db, pathId: string): Promise<StepRow[]> {
  return db
    .selectFrom('path_steps as s')
    .innerJoin('courses as c', 'c.id', 's.course_id')
    .select([
      's.position',
      'c.id',
      'c.name',
      'c.description',
      'c.image',
      'c.author',
      'c.lang',
      'c.subjects',
      'c.content_type',
      'c.duration_minutes',
      'c.source',
      'c.archived',
      'c.integration_id',
    ])
    .where('s.path_id', '=', pathId)
    .orderBy('s.position')
    .execute();
}

export async function appendStep(
  db: Db,
  pathId: string,
  courseId: string,
  addedBy: string,
  now: string,
): Promise<{ position: number } | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('path_steps')
      .select('position')
      .where('path_id', '=', pathId)
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    if (existing) return 'duplicate' as const;
    const last = await trx
      .selectFrom('path_steps')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('path_id', '=', pathId)
      .executeTakeFirst();
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    await trx
      .insertInto('path_steps')
      .values({ path_id: pathId, position, course_id: courseId, added_by: addedBy, added_at: now })
      .execute();
    await trx.updateTable('paths').set({ updated_at: now }).where('id', '=', pathId).execute();
    return { position };
  });
}

export async function enrol(
  db: Db,
  pathId: string,
  userIds: readonly string[],
  by: string,
  now: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('path_enrolments')
    .values(userIds.map((user_id) => ({ path_id: pathId, user_id, enrolled_by: by, enrolled_at: now })))
    .onConflict((oc) => oc.columns(['path_id', 'user_id']).doNothing())
    .execute();
}

export async function isEnrolled(db: Db, pathId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('path_enrolments')
    .select('user_id')
    .where('path_id', '=', pathId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listEnrolled(
  db: Db,
  pathId: string,
): Promise<Array<{ user_id: string; name: string; email: string; enrolled_at: string }>> {
  return db
    .selectFrom('path_enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.user_id', 'u.name', 'u.email', 'e.enrolled_at'])
    .where('e.path_id', '=', pathId)
    .orderBy('u.name')
    .orderBy('e.user_id')
    .execute();
}

export async function pathsOfLearner(db: Db, userId: string): Promise<PathRow[]> {
  return db
    .selectFrom('path_enrolments as e')
    .innerJoin('paths as p', 'p.id', 'e.path_id')
    .selectAll('p')
    .where('e.user_id', '=', userId)
    .orderBy('p.name')
    .execute();
}

/** Paths that contain a course (for the archived-course usage view). */
export async function pathsWithCourse(
  db: Db,
  courseId: string,
): Promise<Array<PathRow & { position: number; learners: number }>> {
  return db
    .selectFrom('path_steps as s')
    .innerJoin('paths as p', 'p.id', 's.path_id')
    .selectAll('p')
    .select('s.position')
    .select((eb) =>
      eb
        .selectFrom('path_enrolments as e')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('e.path_id', '=', 'p.id')
        .as('learners'),
    )
    .where('s.course_id', '=', courseId)
    .orderBy('p.name')
    .execute() as Promise<Array<PathRow & { position: number; learners: number }>>;
}

/**
 * Rewrites a path's steps as `next` (positions 0..n-1), keeping who added each and when. `expected`
 * is the order the caller computed `next` from: if the steps changed meanwhile nothing is written
 * and 'stale' comes back. Rows are deleted and inserted again because (path_id, position) is a
 * primary key that an in-place renumbering would collide with on both engines.
 */
export async function rewriteSteps(
  db: Db,
  pathId: string,
  expected: readonly string[],
  next: readonly string[],
  now: string,
): Promise<'done' | 'stale'> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('path_steps')
      .selectAll()
      .where('path_id', '=', pathId)
      .orderBy('position')
      .execute();
    if (rows.length !== expected.length || rows.some((r, i) => r.course_id !== expected[i]))
      return 'stale' as const;
    const byCourse = new Map(rows.map((r) => [r.course_id, r]));
    await trx.deleteFrom('path_steps').where('path_id', '=', pathId).execute();
    const values = next.flatMap((courseId, position) => {
      const row = byCourse.get(courseId);
      return row ? [{ ...row, position }] : [];
    });
    if (values.length > 0) await trx.insertInto('path_steps').values(values).execute();
    await trx.updateTable('paths').set({ updated_at: now }).where('id', '=', pathId).execute();
    return 'done' as const;
  });
}
