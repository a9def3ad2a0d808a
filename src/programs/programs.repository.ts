// What only programs store: sessions run from a template, and the templates holding a course.
// Templates, their blocks and session learners go through the shared sequence.repository.ts.
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { ProgramSessionsTable } from './programs.tables.js';
import type { HeadRow, ItemRow } from '../paths/sequence.repository.js';

export type TemplateRow = HeadRow;
export type SessionRow = Selectable<ProgramSessionsTable>;
export type BlockRow = ItemRow;

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('program_sessions').values(row).execute();
}

export async function getSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('program_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSessions(db: Db, templateId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('program_sessions')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export async function sessionsOfLearner(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('program_session_learners as e')
    .innerJoin('program_sessions as s', 's.id', 'e.session_id')
    .selectAll('s')
    .where('e.user_id', '=', userId)
    .orderBy('s.starts_at')
    .execute();
}

/** Templates that contain a course, with their sessions' learner counts (archived-course usage). */
export async function templatesWithCourse(
  db: Db,
  courseId: string,
): Promise<Array<TemplateRow & { position: number; sessions: number; learners: number }>> {
  const rows = await db
    .selectFrom('program_blocks as b')
    .innerJoin('program_templates as t', 't.id', 'b.template_id')
    .selectAll('t')
    .select('b.position')
    .select((eb) =>
      eb
        .selectFrom('program_sessions as s')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('s.template_id', '=', 't.id')
        .as('sessions'),
    )
    .select((eb) =>
      eb
        .selectFrom('program_session_learners as l')
        .innerJoin('program_sessions as s', 's.id', 'l.session_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('s.template_id', '=', 't.id')
        .as('learners'),
    )
    .where('b.course_id', '=', courseId)
    .orderBy('t.name')
    .execute();
  return rows.map((r) => ({ ...r, sessions: Number(r.sessions ?? 0), learners: Number(r.learners ?? 0) }));
}
