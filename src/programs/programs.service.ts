// Program templates (authors build them from courses they can see) and sessions (admins, coaches
// and authors run them for the group's members from a start date). In a session, launching a
// synced course unlocks the next block at once, whatever its result (the seed); a platform course
// unlocks the next block when completed. What programs share with paths is in
// paths/sequence.service.ts.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { assertAction, assertRoles } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { completionRate, isSyncedCourse, type ItemState } from '../paths/sequence.rules.js';
import {
  PROGRAM_ITEMS,
  SESSION_LEARNERS,
  enrol,
  isEnrolled,
  listItems,
} from '../paths/sequence.repository.js';
import {
  ENROL_ROLES,
  addItem,
  assertMembers,
  createHead,
  enrolMembers,
  headView,
  itemView,
  learnerItemStates,
  learnerOrReader,
  learnersProgress,
  learnersSummary,
  listHeads,
  requireHead,
  type HeadView,
  type ItemView,
} from '../paths/sequence.service.js';
import * as repo from './programs.repository.js';

export type BlockView = ItemView;
export type TemplateView = HeadView & { blocks: BlockView[] };
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

/** The error words of the checks programs share with paths. */
const WHOSE = 'program’s';

export async function requireTemplate(ctx: AppContext, id: string): Promise<repo.TemplateRow> {
  return requireHead(ctx, PROGRAM_ITEMS, id, () =>
    NotFound('program_not_found', `No program template ${id}.`),
  );
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
  const row = await createHead(ctx, who, PROGRAM_ITEMS, groupId, input);
  return { ...headView(row), blocks: [] };
}

export async function listTemplates(ctx: AppContext, who: Viewer, groupId: string): Promise<HeadView[]> {
  return listHeads(ctx, who, PROGRAM_ITEMS, groupId);
}

export async function getTemplateView(ctx: AppContext, who: Viewer, id: string): Promise<TemplateView> {
  const t = await requireTemplate(ctx, id);
  await assertAction(ctx, who, t.group_id, 'group.read');
  const blocks = await listItems(ctx.db, PROGRAM_ITEMS, id);
  return { ...headView(t), blocks: blocks.map((b) => itemView(b)) };
}

export async function addBlock(ctx: AppContext, who: Viewer, templateId: string, courseId: string) {
  const t = await requireTemplate(ctx, templateId);
  await addItem(ctx, who, PROGRAM_ITEMS, t, courseId, () =>
    Conflict('course_already_in_program', 'This course is already a block of the program.'),
  );
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
  await assertMembers(ctx, t.group_id, learners, WHOSE);
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
    await enrol(trx, SESSION_LEARNERS, row.id, learners, who.userId, now);
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
  const target = { ownerId: session.id, groupId: template.group_id, whose: WHOSE };
  await enrolMembers(ctx, who, SESSION_LEARNERS, target, userIds);
}

export async function getSessionView(ctx: AppContext, who: Viewer, sessionId: string): Promise<SessionView> {
  const { session, template } = await requireSession(ctx, sessionId);
  const learnerId = await learnerOrReader(ctx, who, SESSION_LEARNERS, sessionId, template.group_id);
  return sessionViewFor(ctx, session, template, learnerId);
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
  const entry = { type: 'program', id: session.id } as const;
  const { items, states } = await learnerItemStates(
    ctx,
    PROGRAM_ITEMS,
    session.template_id,
    userId,
    entry,
    isSyncedCourse,
  );
  return { blocks: items, states };
}

export async function isSessionLearner(ctx: AppContext, sessionId: string, userId: string): Promise<boolean> {
  return isEnrolled(ctx.db, SESSION_LEARNERS, sessionId, userId);
}

/** Per learner progress in a session, for the group's admins, coaches and authors. */
export async function sessionStats(ctx: AppContext, who: Viewer, sessionId: string) {
  const { session, template } = await requireSession(ctx, sessionId);
  const target = { ownerId: sessionId, groupId: template.group_id, what: 'Session' };
  const learners = await learnersProgress(
    ctx,
    who,
    SESSION_LEARNERS,
    target,
    { type: 'program', id: sessionId },
    async (userId) => (await learnerBlockStates(ctx, session, userId)).states,
  );
  const rows = learners.map(({ progress, states }) => ({
    ...progress,
    unlockedBlocks: states.filter((s) => s !== 'locked').length,
    completedBlocks: states.filter((s) => s === 'completed').length,
  }));
  return {
    sessionId,
    blocks: (await listItems(ctx.db, PROGRAM_ITEMS, session.template_id)).length,
    ...learnersSummary(rows),
    rows,
  };
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
    const blocks = await listItems(ctx.db, PROGRAM_ITEMS, session.template_id);
    return { ...head, blocks: blocks.map((b) => itemView(b)) };
  }
  const { blocks, states } = await learnerBlockStates(ctx, session, learnerId);
  return {
    ...head,
    // Before the start date every block is locked for the learner.
    blocks: blocks.map((b, i) => itemView(b, head.started ? states[i] : 'locked')),
    progress: { completionRate: completionRate(states) },
  };
}
