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

/** Writes attempts planned in memory: inserts the created ones, updates the changed ones. */
export async function saveAttempts(
  db: Db,
  userId: string,
  courseId: string,
  attempts: Attempt[],
  marks: { created: Set<string>; changed: Set<string> },
  now: string,
): Promise<void> {
  for (const a of attempts) {
    const fields = {
      progress: a.progress,
      result: a.result,
      score: a.score,
      time_spent_ms: a.time_spent_ms,
      first_activity_at: a.first_activity_at,
      last_activity_at: a.last_activity_at,
      completed_at: a.completed_at,
    };
    if (marks.created.has(a.id))
      await db
        .insertInto('attempts')
        .values({
          id: a.id,
          user_id: userId,
          course_id: courseId,
          entry_type: a.entry_type,
          entry_id: a.entry_id,
          origin: a.origin ?? 'statement',
          ...fields,
          created_at: now,
          updated_at: now,
        })
        .execute();
    else if (marks.changed.has(a.id))
      await db
        .updateTable('attempts')
        .set({ ...fields, updated_at: now })
        .where('id', '=', a.id)
        .execute();
  }
}
