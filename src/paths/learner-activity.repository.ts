// What a learner did with some courses, read from attempts (written by launch and by xAPI
// statistics): completed anywhere, and launched from one entry point.
import { sql } from 'kysely';
import type { Db } from '../db/db.js';

export type EntryRef = { type: 'catalog' | 'path' | 'program'; id: string };
export type CourseActivity = { completed: boolean; launched: boolean };

export async function courseActivity(
  db: Db,
  userId: string,
  courseIds: readonly string[],
  entry: EntryRef,
): Promise<Map<string, CourseActivity>> {
  const out = new Map<string, CourseActivity>();
  if (courseIds.length === 0) return out;
  const rows = await sql<{ course_id: string; completed: number; launched: number }>`
    SELECT course_id,
           MAX(CASE WHEN completed_at IS NOT NULL OR progress >= 100 THEN 1 ELSE 0 END) AS completed,
           MAX(CASE WHEN entry_type = ${entry.type} AND entry_id = ${entry.id} THEN 1 ELSE 0 END) AS launched
    FROM attempts
    WHERE user_id = ${userId} AND course_id IN (${sql.join(courseIds)})
    GROUP BY course_id`.execute(db);
  for (const r of rows.rows)
    out.set(r.course_id, { completed: Number(r.completed) === 1, launched: Number(r.launched) === 1 });
  return out;
}

export type EntryActivity = { lastActivityAt: string | null; timeSpentMs: number | null };

/**
 * Last activity and time spent per learner from one path or session. For a synced course only plays
 * that began after its integration was set up count (the seed: "the time spent and last activity
 * columns only show data for courses that are played after the integration is set up").
 */
export async function entryActivity(db: Db, entry: EntryRef): Promise<Map<string, EntryActivity>> {
  const rows = await sql<{ user_id: string; last: string | null; spent: number | string | null }>`
    SELECT a.user_id, max(a.last_activity_at) AS last, sum(a.time_spent_ms) AS spent
    FROM attempts a
    JOIN courses c ON c.id = a.course_id
    LEFT JOIN integrations i ON i.id = c.integration_id
    WHERE a.entry_type = ${entry.type} AND a.entry_id = ${entry.id}
      AND (c.integration_id IS NULL OR (i.activated_at IS NOT NULL AND a.first_activity_at >= i.activated_at))
    GROUP BY a.user_id`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.user_id,
      { lastActivityAt: r.last, timeSpentMs: r.spent === null ? null : Number(r.spent) },
    ]),
  );
}
