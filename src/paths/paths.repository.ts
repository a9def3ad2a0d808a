// What only paths store: a learner's paths, the paths holding a course, and steps rewritten in a
// new order. Creating, appending and enrolling are shared with programs (sequence.repository.ts).
import type { Db } from '../db/db.js';
import type { HeadRow, ItemRow } from './sequence.repository.js';

export type PathRow = HeadRow;
export type StepRow = ItemRow;

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
