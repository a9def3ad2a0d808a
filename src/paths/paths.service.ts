// Paths: authors of a group build them from courses they can see; admins, coaches and authors
// enrol the group's members; a learner opens steps in order (sequence.rules.ts).
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { userGroupRoles } from '../platform/access.js';
import { assertAction, assertCourseAddable, assertRoles, hasRoles } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { toCourseSummary, type CourseSummary } from '../search/search.mapping.js';
import { courseActivity, entryActivity } from './learner-activity.repository.js';
import { completionRate, moveItem, sequenceStates, type ItemState } from './sequence.rules.js';
import * as repo from './paths.repository.js';

/** Who may enrol learners in a path: the group's admins, coaches and authors. */
export const ENROL_ROLES = ['admin', 'coach', 'author'] as const;

export type StepView = CourseSummary & { position: number; archived: boolean; state?: ItemState };
export type PathView = {
  id: string;
  groupId: string;
  name: string;
  description: string | null;
  createdAt: string;
  steps: StepView[];
  /** Present when the caller is enrolled. */
  progress?: { completionRate: number };
};

export async function requirePath(ctx: AppContext, pathId: string): Promise<repo.PathRow> {
  const path = await repo.getPath(ctx.db, pathId);
  if (!path) throw NotFound('path_not_found', `No path ${pathId}.`);
  return path;
}

export async function createPath(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  input: { name: string; description?: string | null | undefined },
): Promise<PathView> {
  await assertAction(ctx, who, groupId, 'course.author');
  const now = ctx.clock.now().toISOString();
  const row: repo.PathRow = {
    id: crypto.randomUUID(),
    group_id: groupId,
    name: input.name,
    description: input.description ?? null,
    created_by: who.userId,
    created_at: now,
    updated_at: now,
  };
  await repo.insertPath(ctx.db, row);
  return { ...head(row), steps: [] };
}

export async function listPaths(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
): Promise<Omit<PathView, 'steps'>[]> {
  await assertAction(ctx, who, groupId, 'group.read');
  return (await repo.listGroupPaths(ctx.db, groupId)).map(head);
}

export async function pathsOfLearner(ctx: AppContext, who: Viewer): Promise<PathView[]> {
  const paths = await repo.pathsOfLearner(ctx.db, who.userId);
  return Promise.all(paths.map((p) => viewFor(ctx, p, who.userId)));
}

/** The path with its steps; for an enrolled caller, each step's state. */
export async function getPathView(ctx: AppContext, who: Viewer, pathId: string): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  const enrolled = await repo.isEnrolled(ctx.db, pathId, who.userId);
  if (!enrolled) await assertAction(ctx, who, path.group_id, 'group.read');
  return viewFor(ctx, path, enrolled ? who.userId : undefined);
}

export async function addStep(
  ctx: AppContext,
  who: Viewer,
  pathId: string,
  courseId: string,
): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  await assertAction(ctx, who, path.group_id, 'course.author');
  await assertCourseAddable(ctx, who, courseId);
  const added = await repo.appendStep(ctx.db, pathId, courseId, who.userId, ctx.clock.now().toISOString());
  if (added === 'duplicate')
    throw Conflict('course_already_in_path', 'This course is already a step of the path.');
  return viewFor(ctx, path, undefined);
}

/**
 * Moves one step up or down by one; at either end it stays where it is. Locks follow positions and
 * are derived from attempts: completed steps stay completed, and a step moved before an unfinished
 * one is locked until that one is done.
 */
export async function moveStep(
  ctx: AppContext,
  who: Viewer,
  pathId: string,
  courseId: string,
  direction: 'up' | 'down',
): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  await assertAction(ctx, who, path.group_id, 'course.author');
  const current = (await repo.listSteps(ctx.db, pathId)).map((s) => s.id);
  if (!current.includes(courseId)) throw NotFound('step_not_found', 'This course is not a step of the path.');
  const next = moveItem(current, courseId, direction);
  return next ? rewrite(ctx, path, current, next) : viewFor(ctx, path, undefined);
}

/** Takes a course out of the path; learners keep their attempts on it. */
export async function removeStep(
  ctx: AppContext,
  who: Viewer,
  pathId: string,
  courseId: string,
): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  await assertAction(ctx, who, path.group_id, 'course.author');
  const current = (await repo.listSteps(ctx.db, pathId)).map((s) => s.id);
  if (!current.includes(courseId)) throw NotFound('step_not_found', 'This course is not a step of the path.');
  return rewrite(
    ctx,
    path,
    current,
    current.filter((id) => id !== courseId),
  );
}

async function rewrite(
  ctx: AppContext,
  path: repo.PathRow,
  current: readonly string[],
  next: readonly string[],
): Promise<PathView> {
  const outcome = await repo.rewriteSteps(ctx.db, path.id, current, next, ctx.clock.now().toISOString());
  if (outcome === 'stale')
    throw Conflict('path_changed', 'The path changed while you edited it; look at it again and retry.');
  return viewFor(ctx, path, undefined);
}

export async function enrolLearners(
  ctx: AppContext,
  who: Viewer,
  pathId: string,
  userIds: readonly string[],
): Promise<void> {
  const path = await requirePath(ctx, pathId);
  await assertRoles(ctx, who, path.group_id, ENROL_ROLES);
  const unique = [...new Set(userIds)];
  const outsiders: string[] = [];
  for (const id of unique)
    if ((await userGroupRoles(ctx.db, id, path.group_id)).length === 0) outsiders.push(id);
  if (outsiders.length > 0)
    throw Invalid('not_a_group_member', 'Only members of the path’s group can be enrolled.', {
      userIds: outsiders,
    });
  await repo.enrol(ctx.db, pathId, unique, who.userId, ctx.clock.now().toISOString());
}

/** Step states of one learner; used by launch to decide whether a step may be opened. */
export async function learnerStepStates(
  ctx: AppContext,
  pathId: string,
  userId: string,
): Promise<{ steps: repo.StepRow[]; states: ItemState[] }> {
  const steps = await repo.listSteps(ctx.db, pathId);
  const activity = await courseActivity(
    ctx.db,
    userId,
    steps.map((s) => s.id),
    { type: 'path', id: pathId },
  );
  const states = sequenceStates(
    steps.map((s) => ({
      completed: activity.get(s.id)?.completed ?? false,
      launched: activity.get(s.id)?.launched ?? false,
      unlocksNextOnLaunch: false,
    })),
  );
  return { steps, states };
}

export async function isPathLearner(ctx: AppContext, pathId: string, userId: string): Promise<boolean> {
  return repo.isEnrolled(ctx.db, pathId, userId);
}

/** Per learner progress in a path, for the group's admins, coaches and authors. */
export async function pathStats(ctx: AppContext, who: Viewer, pathId: string) {
  const path = await requirePath(ctx, pathId);
  if (!(await hasRoles(ctx, who, path.group_id, ENROL_ROLES)))
    throw Forbidden('insufficient_role', 'Path statistics need the admin, coach or author role.');
  const learners = await repo.listEnrolled(ctx.db, pathId);
  const activity = await entryActivity(ctx.db, { type: 'path', id: pathId });
  const rows = [];
  for (const l of learners) {
    const { states } = await learnerStepStates(ctx, pathId, l.user_id);
    rows.push({
      userId: l.user_id,
      name: l.name,
      email: l.email,
      enrolledAt: l.enrolled_at,
      completedSteps: states.filter((s) => s === 'completed').length,
      completionRate: completionRate(states),
      completed: states.length > 0 && states.every((s) => s === 'completed'),
      lastActivityAt: activity.get(l.user_id)?.lastActivityAt ?? null,
      timeSpentMs: activity.get(l.user_id)?.timeSpentMs ?? null,
    });
  }
  const done = rows.filter((r) => r.completed).length;
  return {
    pathId,
    steps: (await repo.listSteps(ctx.db, pathId)).length,
    learners: rows.length,
    completedLearners: done,
    completionRate: rows.length === 0 ? 0 : Math.floor((100 * done) / rows.length),
    rows,
  };
}

function head(p: repo.PathRow): Omit<PathView, 'steps'> {
  return { id: p.id, groupId: p.group_id, name: p.name, description: p.description, createdAt: p.created_at };
}

async function viewFor(
  ctx: AppContext,
  path: repo.PathRow,
  learnerId: string | undefined,
): Promise<PathView> {
  if (learnerId === undefined) {
    const steps = await repo.listSteps(ctx.db, path.id);
    return { ...head(path), steps: steps.map((s) => stepView(s)) };
  }
  const { steps, states } = await learnerStepStates(ctx, path.id, learnerId);
  return {
    ...head(path),
    steps: steps.map((s, i) => stepView(s, states[i])),
    progress: { completionRate: completionRate(states) },
  };
}

function stepView(s: repo.StepRow, state?: ItemState): StepView {
  return {
    ...toCourseSummary(s),
    position: s.position,
    archived: s.archived === 1,
    ...(state ? { state } : {}),
  };
}
