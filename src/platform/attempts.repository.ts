// Attempt rows; launch (platform) and statistics (stats) both go through `applyAttemptPlan`.
import crypto from 'node:crypto';
import type { Db } from '../db/db.js';
import type { Attempt, AttemptPlan, Entry } from './attempts.rules.js';
import { planLaunch } from './attempts.rules.js';

export async function attemptsOf(db: Db, userId: string, courseId: string): Promise<Attempt[]> {
  return db
    .selectFrom('attempts')
    .select([
      'id',
      'entry_type',
      'entry_id',
      'progress',
      'result',
      'score',
      'time_spent_ms',
      'first_activity_at',
      'last_activity_at',
      'completed_at',
      'origin',
    ])
    .where('user_id', '=', userId)
    .where('course_id', '=', courseId)
    .execute();
}

/** Writes a plan; returns the attempt id. */
export async function applyAttemptPlan(
  db: Db,
  userId: string,
  courseId: string,
  plan: AttemptPlan,
  now: string,
): Promise<string> {
  if (plan.kind === 'update') {
    await db
      .updateTable('attempts')
      .set({ ...plan.patch, updated_at: now })
      .where('id', '=', plan.id)
      .execute();
    return plan.id;
  }
  const id = crypto.randomUUID();
  await db
    .insertInto('attempts')
    .values({ id, user_id: userId, course_id: courseId, ...plan.attempt, created_at: now, updated_at: now })
    .execute();
  return id;
}

/** What the launch feature calls when a learner presses START (50 %, last activity now). */
export async function recordLaunch(
  db: Db,
  userId: string,
  courseId: string,
  entry: Entry,
  now: string,
): Promise<string> {
  return db
    .transaction()
    .execute(async (trx) =>
      applyAttemptPlan(
        trx,
        userId,
        courseId,
        planLaunch(await attemptsOf(trx, userId, courseId), entry, now),
        now,
      ),
    );
}
