// Program templates (authors build them from courses they can see) and sessions (admins, coaches
// and authors run them for the group's members from a start date). In a session, launching a
// synced course unlocks the next block at once, whatever its result (the seed); a platform course
// unlocks the next block when completed.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { userGroupRoles } from '../platform/access.js';
import { assertAction, assertCourseAddable, assertRoles, hasRoles } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { toCourseSummary, type CourseSummary } from '../search/search.mapping.js';
import { courseActivity, entryActivity } from '../paths/learner-activity.repository.js';
import { completionRate, isSyncedCourse, sequenceStates, type ItemState } from '../paths/sequence.rules.js';
import { ENROL_ROLES } from '../paths/paths.service.js';
import * as repo from './programs.repository.js';
import * as seq from '../paths/sequence.repository.js';
import { PROGRAM_ITEMS, SESSION_LEARNERS } from '../paths/sequence.repository.js';

export type BlockView = CourseSummary & { position: number; archived: boolean; state?: ItemState };
export type TemplateView = {
  id: string;
  groupId: string;
  name: string;
  description: string | null;
  createdAt: string;
  blocks: BlockView[];
};
export type SessionView = {
  id: string;
  templateId: string;
  groupId: string;
  name: string;
  startsAt: string;
  started: boolean;
  blocks: BlockView[];
  progress?: { completionRate: number };
};

export async function requireTemplate(ctx: AppContext, id: string): Promise<repo.TemplateRow> {
  const t = await seq.getHead(ctx.db, PROGRAM_ITEMS, id);
  if (!t) throw NotFound('program_not_found', `No program template ${id}.`);
  return t;
}

export async function requireSession(
  ctx: AppContext,
  id: string,
): Promise<{ session: repo.SessionRow; template: repo.TemplateRow }> {
  const session = await repo.getSession(ctx.db, id);
  if (!session) throw NotFound('session_not_found', `No program session ${id}.`);
  return { session, template: await requireTemplate(ctx, session.template_id) };
}

export async function createTemplate(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  input: { name: string; description?: string | null | undefined },
): Promise<TemplateView> {
  await assertAction(ctx, who, groupId, 'course.author');
  const now = ctx.clock.now().toISOString();
  const row: repo.TemplateRow = {
    id: crypto.randomUUID(),
    group_id: groupId,
    name: input.name,
    description: input.description ?? null,
    created_by: who.userId,
    created_at: now,
    updated_at: now,
  };
  await seq.insertHead(ctx.db, PROGRAM_ITEMS, row);
  return { ...templateHead(row), blocks: [] };
}

export async function listTemplates(ctx: AppContext, who: Viewer, groupId: string) {
  await assertAction(ctx, who, groupId, 'group.read');
  return (await seq.listGroupHeads(ctx.db, PROGRAM_ITEMS, groupId)).map(templateHead);
}

export async function getTemplateView(ctx: AppContext, who: Viewer, id: string): Promise<TemplateView> {
  const t = await requireTemplate(ctx, id);
  await assertAction(ctx, who, t.group_id, 'group.read');
  const blocks = await seq.listItems(ctx.db, PROGRAM_ITEMS, id);
  return { ...templateHead(t), blocks: blocks.map((b) => blockView(b)) };
}

export async function addBlock(ctx: AppContext, who: Viewer, templateId: string, courseId: string) {
  const t = await requireTemplate(ctx, templateId);
  await assertAction(ctx, who, t.group_id, 'course.author');
  await assertCourseAddable(ctx, who, courseId);
  const added = await seq.appendItem(
    ctx.db,
    PROGRAM_ITEMS,
    templateId,
    courseId,
    who.userId,
    ctx.clock.now().toISOString(),
  );
  if (added === 'duplicate')
    throw Conflict('course_already_in_program', 'This course is already a block of the program.');
  return getTemplateView(ctx, who, templateId);
}

export async function createSession(
  ctx: AppContext,
  who: Viewer,
  templateId: string,
  input: { name: string; startsAt: string; learnerIds?: string[] | undefined },
): Promise<SessionView> {
  const t = await requireTemplate(ctx, templateId);
  await assertRoles(ctx, who, t.group_id, ENROL_ROLES);
  const startsAt = new Date(input.startsAt);
  if (Number.isNaN(startsAt.getTime())) throw Invalid('invalid_start_date', 'startsAt is not a date.');
  const learners = [...new Set(input.learnerIds ?? [])];
  await assertMembers(ctx, t.group_id, learners);
  const now = ctx.clock.now().toISOString();
  const row: repo.SessionRow = {
    id: crypto.randomUUID(),
    template_id: templateId,
    name: input.name,
    starts_at: startsAt.toISOString(),
    created_by: who.userId,
    created_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, row);
    await seq.enrol(trx, SESSION_LEARNERS, row.id, learners, who.userId, now);
  });
  return sessionViewFor(ctx, row, t, undefined);
}

export async function listTemplateSessions(ctx: AppContext, who: Viewer, templateId: string) {
  const t = await requireTemplate(ctx, templateId);
  await assertAction(ctx, who, t.group_id, 'group.read');
  const now = ctx.clock.now().toISOString();
  return (await repo.listSessions(ctx.db, templateId)).map((s) => sessionHead(s, t, now));
}

export async function enrolSessionLearners(
  ctx: AppContext,
  who: Viewer,
  sessionId: string,
  userIds: string[],
) {
  const { session, template } = await requireSession(ctx, sessionId);
  await assertRoles(ctx, who, template.group_id, ENROL_ROLES);
  const unique = [...new Set(userIds)];
  await assertMembers(ctx, template.group_id, unique);
  await seq.enrol(ctx.db, SESSION_LEARNERS, session.id, unique, who.userId, ctx.clock.now().toISOString());
}

export async function getSessionView(ctx: AppContext, who: Viewer, sessionId: string): Promise<SessionView> {
  const { session, template } = await requireSession(ctx, sessionId);
  const enrolled = await seq.isEnrolled(ctx.db, SESSION_LEARNERS, sessionId, who.userId);
  if (!enrolled) await assertAction(ctx, who, template.group_id, 'group.read');
  return sessionViewFor(ctx, session, template, enrolled ? who.userId : undefined);
}

export async function sessionsOfLearner(ctx: AppContext, who: Viewer): Promise<SessionView[]> {
  const sessions = await repo.sessionsOfLearner(ctx.db, who.userId);
  const out = [];
  for (const s of sessions)
    out.push(await sessionViewFor(ctx, s, await requireTemplate(ctx, s.template_id), who.userId));
  return out;
}

/** Block states of one learner in a session (launch uses it to decide whether a block may be opened). */
export async function learnerBlockStates(
  ctx: AppContext,
  session: repo.SessionRow,
  userId: string,
): Promise<{ blocks: repo.BlockRow[]; states: ItemState[] }> {
  const blocks = await seq.listItems(ctx.db, PROGRAM_ITEMS, session.template_id);
  const activity = await courseActivity(
    ctx.db,
    userId,
    blocks.map((b) => b.id),
    { type: 'program', id: session.id },
  );
  const states = sequenceStates(
    blocks.map((b) => ({
      completed: activity.get(b.id)?.completed ?? false,
      launched: activity.get(b.id)?.launched ?? false,
      unlocksNextOnLaunch: isSyncedCourse(b),
    })),
  );
  return { blocks, states };
}

export async function isSessionLearner(ctx: AppContext, sessionId: string, userId: string): Promise<boolean> {
  return seq.isEnrolled(ctx.db, SESSION_LEARNERS, sessionId, userId);
}

/** Per learner progress in a session, for the group's admins, coaches and authors. */
export async function sessionStats(ctx: AppContext, who: Viewer, sessionId: string) {
  const { session, template } = await requireSession(ctx, sessionId);
  if (!(await hasRoles(ctx, who, template.group_id, ENROL_ROLES)))
    throw Forbidden('insufficient_role', 'Session statistics need the admin, coach or author role.');
  const learners = await seq.listEnrolled(ctx.db, SESSION_LEARNERS, sessionId);
  const activity = await entryActivity(ctx.db, { type: 'program', id: sessionId });
  const rows = [];
  for (const l of learners) {
    const { states } = await learnerBlockStates(ctx, session, l.user_id);
    rows.push({
      userId: l.user_id,
      name: l.name,
      email: l.email,
      enrolledAt: l.enrolled_at,
      unlockedBlocks: states.filter((s) => s !== 'locked').length,
      completedBlocks: states.filter((s) => s === 'completed').length,
      completionRate: completionRate(states),
      completed: states.length > 0 && states.every((s) => s === 'completed'),
      lastActivityAt: activity.get(l.user_id)?.lastActivityAt ?? null,
      timeSpentMs: activity.get(l.user_id)?.timeSpentMs ?? null,
    });
  }
  const done = rows.filter((r) => r.completed).length;
  return {
    sessionId,
    blocks: (await seq.listItems(ctx.db, PROGRAM_ITEMS, session.template_id)).length,
    learners: rows.length,
    completedLearners: done,
    completionRate: rows.length === 0 ? 0 : Math.floor((100 * done) / rows.length),
    rows,
  };
}

async function assertMembers(ctx: AppContext, groupId: string, userIds: readonly string[]): Promise<void> {
  const outsiders: string[] = [];
  for (const id of userIds) if ((await userGroupRoles(ctx.db, id, groupId)).length === 0) outsiders.push(id);
  if (outsiders.length > 0)
    throw Invalid('not_a_group_member', 'Only members of the program’s group can be enrolled.', {
      userIds: outsiders,
    });
}

function templateHead(t: repo.TemplateRow) {
  return { id: t.id, groupId: t.group_id, name: t.name, description: t.description, createdAt: t.created_at };
}

function sessionHead(s: repo.SessionRow, t: repo.TemplateRow, now: string) {
  return {
    id: s.id,
    templateId: s.template_id,
    groupId: t.group_id,
    name: s.name,
    startsAt: s.starts_at,
    started: s.starts_at <= now,
  };
}

async function sessionViewFor(
  ctx: AppContext,
  session: repo.SessionRow,
  template: repo.TemplateRow,
  learnerId: string | undefined,
): Promise<SessionView> {
  const head = sessionHead(session, template, ctx.clock.now().toISOString());
  if (learnerId === undefined) {
    const blocks = await seq.listItems(ctx.db, PROGRAM_ITEMS, session.template_id);
    return { ...head, blocks: blocks.map((b) => blockView(b)) };
  }
  const { blocks, states } = await learnerBlockStates(ctx, session, learnerId);
  return {
    ...head,
    // Before the start date every block is locked for the learner.
    blocks: blocks.map((b, i) => blockView(b, head.started ? states[i] : 'locked')),
    progress: { completionRate: completionRate(states) },
  };
}

function blockView(b: repo.BlockRow, state?: ItemState): BlockView {
  return {
    ...toCourseSummary(b),
    position: b.position,
    archived: b.archived === 1,
    ...(state ? { state } : {}),
  };
}
