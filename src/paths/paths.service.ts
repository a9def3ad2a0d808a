// Paths: authors of a group build them from courses they can see; admins, coaches and authors
// enrol the group's members; a learner opens steps in order, each when the one before is completed
// (sequence.rules.ts). What paths share with programs is in sequence.service.ts.
import type { AppContext } from '../context.js';
import { Conflict, NotFound } from '../errors.js';
import { assertAction } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { completionRate, moveItem, type ItemState } from './sequence.rules.js';
import { PATH_ITEMS, PATH_LEARNERS, isEnrolled, listItems } from './sequence.repository.js';
import {
  addItem,
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
} from './sequence.service.js';
import * as repo from './paths.repository.js';

export type StepView = ItemView;
export type PathView = HeadView & {
  steps: StepView[];
  /** Present when the caller is enrolled. */
  progress?: { completionRate: number };
};

export async function requirePath(ctx: AppContext, pathId: string): Promise<repo.PathRow> {
  return requireHead(ctx, PATH_ITEMS, pathId, () => NotFound('path_not_found', `No path ${pathId}.`));
}

export async function createPath(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  input: { name: string; description?: string | null | undefined },
): Promise<PathView> {
  const row = await createHead(ctx, who, PATH_ITEMS, groupId, input);
  return { ...headView(row), steps: [] };
}

export async function listPaths(ctx: AppContext, who: Viewer, groupId: string): Promise<HeadView[]> {
  return listHeads(ctx, who, PATH_ITEMS, groupId);
}

export async function pathsOfLearner(ctx: AppContext, who: Viewer): Promise<PathView[]> {
  const paths = await repo.pathsOfLearner(ctx.db, who.userId);
  return Promise.all(paths.map((p) => viewFor(ctx, p, who.userId)));
}

/** The path with its steps; for an enrolled caller, each step's state. */
export async function getPathView(ctx: AppContext, who: Viewer, pathId: string): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  return viewFor(ctx, path, await learnerOrReader(ctx, who, PATH_LEARNERS, pathId, path.group_id));
}

export async function addStep(
  ctx: AppContext,
  who: Viewer,
  pathId: string,
  courseId: string,
): Promise<PathView> {
  const path = await requirePath(ctx, pathId);
  await addItem(ctx, who, PATH_ITEMS, path, courseId, () =>
    Conflict('course_already_in_path', 'This course is already a step of the path.'),
  );
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
  const { path, current } = await editableSteps(ctx, who, pathId, courseId);
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
  const { path, current } = await editableSteps(ctx, who, pathId, courseId);
  return rewrite(
    ctx,
    path,
    current,
    current.filter((id) => id !== courseId),
  );
}

/** The path and its course ids in order, for an author about to change the step `courseId`. */
async function editableSteps(ctx: AppContext, who: Viewer, pathId: string, courseId: string) {
  const path = await requirePath(ctx, pathId);
  await assertAction(ctx, who, path.group_id, 'course.author');
  const current = (await listItems(ctx.db, PATH_ITEMS, pathId)).map((s) => s.id);
  if (!current.includes(courseId)) throw NotFound('step_not_found', 'This course is not a step of the path.');
  return { path, current };
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
  const target = { ownerId: pathId, groupId: path.group_id, whose: 'path’s' };
  await enrolMembers(ctx, who, PATH_LEARNERS, target, userIds);
}

/** Step states of one learner; used by launch to decide whether a step may be opened. */
export async function learnerStepStates(
  ctx: AppContext,
  pathId: string,
  userId: string,
): Promise<{ steps: repo.StepRow[]; states: ItemState[] }> {
  const entry = { type: 'path', id: pathId } as const;
  // Linear: only a completed step opens the next one.
  const { items, states } = await learnerItemStates(ctx, PATH_ITEMS, pathId, userId, entry, () => false);
  return { steps: items, states };
}

export async function isPathLearner(ctx: AppContext, pathId: string, userId: string): Promise<boolean> {
  return isEnrolled(ctx.db, PATH_LEARNERS, pathId, userId);
}

/** Per learner progress in a path, for the group's admins, coaches and authors. */
export async function pathStats(ctx: AppContext, who: Viewer, pathId: string) {
  const path = await requirePath(ctx, pathId);
  const target = { ownerId: pathId, groupId: path.group_id, what: 'Path' };
  const learners = await learnersProgress(
    ctx,
    who,
    PATH_LEARNERS,
    target,
    { type: 'path', id: pathId },
    async (userId) => (await learnerStepStates(ctx, pathId, userId)).states,
  );
  const rows = learners.map(({ progress, states }) => ({
    ...progress,
    completedSteps: states.filter((s) => s === 'completed').length,
  }));
  return {
    pathId,
    steps: (await listItems(ctx.db, PATH_ITEMS, pathId)).length,
    ...learnersSummary(rows),
    rows,
  };
}

async function viewFor(
  ctx: AppContext,
  path: repo.PathRow,
  learnerId: string | undefined,
): Promise<PathView> {
  if (learnerId === undefined) {
    const steps = await listItems(ctx.db, PATH_ITEMS, path.id);
    return { ...headView(path), steps: steps.map((s) => itemView(s)) };
  }
  const { steps, states } = await learnerStepStates(ctx, path.id, learnerId);
  return {
    ...headView(path),
    steps: steps.map((s, i) => itemView(s, states[i])),
    progress: { completionRate: completionRate(states) },
  };
}
