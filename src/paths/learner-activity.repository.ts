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
