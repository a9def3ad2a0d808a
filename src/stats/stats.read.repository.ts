// Read side: learning statistics per course, per learner and per group, from attempts.
import type { Db } from '../db/db.js';

export type AttemptRow = {
  user_id: string;
  user_name: string;
  user_email: string;
  course_id: string;
  course_name: string;
  progress: number;
  result: string | null;
  score: number | null;
  time_spent_ms: number | null;
  last_activity_at: string;
  completed_at: string | null;
};

function base(db: Db) {
  return db
    .selectFrom('attempts as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('courses as c', 'c.id', 'a.course_id')
    .select([
      'a.user_id',
      'u.name as user_name',
      'u.email as user_email',
      'a.course_id',
      'c.name as course_name',
      'a.progress',
      'a.result',
      'a.score',
      'a.time_spent_ms',
      'a.last_activity_at',
      'a.completed_at',
    ])
    .orderBy('a.last_activity_at');
}

export async function attemptsForCourse(db: Db, courseId: string): Promise<AttemptRow[]> {
  return base(db).where('a.course_id', '=', courseId).execute();
}

export async function attemptsForUser(db: Db, userId: string): Promise<AttemptRow[]> {
  return base(db).where('a.user_id', '=', userId).execute();
}

/** Attempts of a group's members on the courses the group offers (catalog, library, or synced). */
export async function attemptsForGroup(db: Db, groupId: string): Promise<AttemptRow[]> {
  return base(db)
    .where('a.user_id', 'in', db.selectFrom('memberships').select('user_id').where('group_id', '=', groupId))
    .where((eb) =>
      eb.or([
        eb(
          'a.course_id',
          'in',
          eb.selectFrom('catalog_entries').select('course_id').where('group_id', '=', groupId),
        ),
        eb(
          'a.course_id',
          'in',
          eb.selectFrom('library_entries').select('course_id').where('group_id', '=', groupId),
        ),
        eb(
          'c.integration_id',
          'in',
          eb.selectFrom('integrations').select('id').where('group_id', '=', groupId),
        ),
      ]),
    )
    .execute();
}

export async function countGroupMembers(db: Db, groupId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The group whose admins and coaches see a course's statistics. */
export async function courseOwnerGroup(db: Db, courseId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('courses as c')
    .leftJoin('integrations as i', 'i.id', 'c.integration_id')
    .select(['i.group_id', 'c.owner_group_id'])
    .where('c.id', '=', courseId)
    .executeTakeFirst();
  return row ? (row.group_id ?? row.owner_group_id ?? undefined) : undefined;
}

export async function integrationGroup(db: Db, integrationId: string): Promise<string | undefined> {
  return (
    await db.selectFrom('integrations').select('group_id').where('id', '=', integrationId).executeTakeFirst()
  )?.group_id;
}

export async function groupsOfMember(db: Db, userId: string): Promise<string[]> {
  return (await db.selectFrom('memberships').select('group_id').where('user_id', '=', userId).execute()).map(
    (r) => r.group_id,
  );
}
