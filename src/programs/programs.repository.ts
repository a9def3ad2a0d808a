// Program templates, their blocks, sessions and session learners.
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { ProgramSessionsTable, ProgramTemplatesTable } from './programs.tables.js';
import type { StepRow } from '../paths/paths.repository.js';

export type TemplateRow = Selectable<ProgramTemplatesTable>;
export type SessionRow = Selectable<ProgramSessionsTable>;
export type BlockRow = StepRow;

export async function insertTemplate(db: Db, row: TemplateRow): Promise<void> {
  await db.insertInto('program_templates').values(row).execute();
}

export async function getTemplate(db: Db, id: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('program_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listGroupTemplates(db: Db, groupId: string): Promise<TemplateRow[]> {
  return db
    .selectFrom('program_templates')
    .selectAll()
    .where('group_id', '=', groupId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listBlocks(db: Db, templateId: string): Promise<BlockRow[]> {
  return db
    .selectFrom('program_blocks as b')
    .innerJoin('courses as c', 'c.id', 'b.course_id')
    .select([
      'b.position',
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
    .where('b.template_id', '=', templateId)
    .orderBy('b.position')
    .execute();
}

export async function appendBlock(
  db: Db,
  templateId: string,
  courseId: string,
  addedBy: string,
  now: string,
): Promise<{ position: number } | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('program_blocks')
      .select('position')
      .where('template_id', '=', templateId)
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    if (existing) return 'duplicate' as const;
    const last = await trx
      .selectFrom('program_blocks')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('template_id', '=', templateId)
      .executeTakeFirst();
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    await trx
      .insertInto('program_blocks')
      .values({ template_id: templateId, position, course_id: courseId, added_by: addedBy, added_at: now })
      .execute();
    await trx
      .updateTable('program_templates')
      .set({ updated_at: now })
      .where('id', '=', templateId)
      .execute();
    return { position };
  });
}

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

export async function enrol(
  db: Db,
  sessionId: string,
  userIds: readonly string[],
  by: string,
  now: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('program_session_learners')
    .values(userIds.map((user_id) => ({ session_id: sessionId, user_id, enrolled_by: by, enrolled_at: now })))
    .onConflict((oc) => oc.columns(['session_id', 'user_id']).doNothing())
    .execute();
}

export async function isEnrolled(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('program_session_learners')
    .select('user_id')
    .where('session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listEnrolled(
  db: Db,
  sessionId: string,
): Promise<Array<{ user_id: string; name: string; email: string; enrolled_at: string }>> {
  return db
    .selectFrom('program_session_learners as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.user_id', 'u.name', 'u.email', 'e.enrolled_at'])
    .where('e.session_id', '=', sessionId)
    .orderBy('u.name')
    .orderBy('e.user_id')
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
