// What paths and programs do alike with "an ordered sequence of courses with enrolled learners":
// the guards (who may create, add, enrol, read), the views of heads and items, and each learner's
// progress. The rules that differ stay in each area and come in as arguments: what unlocks the next
// item (sequence.rules.ts), and the error codes and words each area answers with.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { Forbidden, Invalid, type AppError } from '../errors.js';
import { userGroupRoles } from '../platform/access.js';
import { assertAction, assertCourseAddable, assertRoles, hasRoles } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { toCourseSummary, type CourseSummary } from '../search/search.mapping.js';
import { courseActivity, entryActivity, type EntryRef } from './learner-activity.repository.js';
import { completionRate, sequenceStates, type ItemState } from './sequence.rules.js';
import * as seq from './sequence.repository.js';
import type { HeadRow, ItemRow, ItemTables, LearnerTables } from './sequence.repository.js';

/** Who may enrol learners and read their progress: the group's admins, coaches and authors. */
export const ENROL_ROLES = ['admin', 'coach', 'author'] as const;

export type HeadView = {
  id: string;
  groupId: string;
  name: string;
  description: string | null;
  createdAt: string;
};
export type ItemView = CourseSummary & { position: number; archived: boolean; state?: ItemState };

export async function requireHead(
  ctx: AppContext,
  t: ItemTables,
  id: string,
  notFound: () => AppError,
): Promise<HeadRow> {
  const head = await seq.getHead(ctx.db, t, id);
  if (!head) throw notFound();
  return head;
}

/** A new path or template in a group, by its admins or authors. */
export async function createHead(
  ctx: AppContext,
  who: Viewer,
  t: ItemTables,
  groupId: string,
  input: { name: string; description?: string | null | undefined },
): Promise<HeadRow> {
  await assertAction(ctx, who, groupId, 'course.author');
  const now = ctx.clock.now().toISOString();
  const row: HeadRow = {
    id: crypto.randomUUID(),
    group_id: groupId,
    name: input.name,
    description: input.description ?? null,
    created_by: who.userId,
    created_at: now,
    updated_at: now,
  };
  await seq.insertHead(ctx.db, t, row);
  return row;
}

export async function listHeads(
  ctx: AppContext,
  who: Viewer,
  t: ItemTables,
  groupId: string,
): Promise<HeadView[]> {
  await assertAction(ctx, who, groupId, 'group.read');
  return (await seq.listGroupHeads(ctx.db, t, groupId)).map(headView);
}

/** Appends a course the author can see; `duplicate` is the area's error for one already there. */
export async function addItem(
  ctx: AppContext,
  who: Viewer,
  t: ItemTables,
  head: HeadRow,
  courseId: string,
  duplicate: () => AppError,
): Promise<void> {
  await assertAction(ctx, who, head.group_id, 'course.author');
  await assertCourseAddable(ctx, who, courseId);
  const added = await seq.appendItem(ctx.db, t, head.id, courseId, who.userId, ctx.clock.now().toISOString());
  if (added === 'duplicate') throw duplicate();
}

/** Only members of the group can be enrolled; `whose` names it in the error ("path’s"). */
export async function assertMembers(
  ctx: AppContext,
  groupId: string,
  userIds: readonly string[],
  whose: string,
): Promise<void> {
  const outsiders: string[] = [];
  for (const id of userIds) if ((await userGroupRoles(ctx.db, id, groupId)).length === 0) outsiders.push(id);
  if (outsiders.length > 0)
    throw Invalid('not_a_group_member', `Only members of the ${whose} group can be enrolled.`, {
      userIds: outsiders,
    });
}

export async function enrolMembers(
  ctx: AppContext,
  who: Viewer,
  t: LearnerTables,
  target: { ownerId: string; groupId: string; whose: string },
  userIds: readonly string[],
): Promise<void> {
  await assertRoles(ctx, who, target.groupId, ENROL_ROLES);
  const unique = [...new Set(userIds)];
  await assertMembers(ctx, target.groupId, unique, target.whose);
  await seq.enrol(ctx.db, t, target.ownerId, unique, who.userId, ctx.clock.now().toISOString());
}

/**
 * An enrolled caller reads as a learner (their id comes back, for item states); anyone else needs to
 * read the group, and gets undefined.
 */
export async function learnerOrReader(
  ctx: AppContext,
  who: Viewer,
  t: LearnerTables,
  ownerId: string,
  groupId: string,
): Promise<string | undefined> {
  if (await seq.isEnrolled(ctx.db, t, ownerId, who.userId)) return who.userId;
  await assertAction(ctx, who, groupId, 'group.read');
  return undefined;
}

/** The items of a sequence with one learner's state of each; `unlocksNextOnLaunch` is the area's rule. */
export async function learnerItemStates(
  ctx: AppContext,
  t: ItemTables,
  ownerId: string,
  userId: string,
  entry: EntryRef,
  unlocksNextOnLaunch: (item: ItemRow) => boolean,
): Promise<{ items: ItemRow[]; states: ItemState[] }> {
  const items = await seq.listItems(ctx.db, t, ownerId);
  const activity = await courseActivity(
    ctx.db,
    userId,
    items.map((s) => s.id),
    entry,
  );
  const states = sequenceStates(
    items.map((s) => ({
      completed: activity.get(s.id)?.completed ?? false,
      launched: activity.get(s.id)?.launched ?? false,
      unlocksNextOnLaunch: unlocksNextOnLaunch(s),
    })),
  );
  return { items, states };
}

export type LearnerProgress = {
  userId: string;
  name: string;
  email: string;
  enrolledAt: string;
  completionRate: number;
  completed: boolean;
  lastActivityAt: string | null;
  timeSpentMs: number | null;
};

/**
 * Every enrolled learner's progress, with their item states for the area to count what it shows.
 * Only the group's admins, coaches and authors may read it; `what` names it in the refusal.
 */
export async function learnersProgress(
  ctx: AppContext,
  who: Viewer,
  t: LearnerTables,
  target: { ownerId: string; groupId: string; what: string },
  entry: EntryRef,
  statesOf: (userId: string) => Promise<ItemState[]>,
): Promise<Array<{ progress: LearnerProgress; states: ItemState[] }>> {
  if (!(await hasRoles(ctx, who, target.groupId, ENROL_ROLES)))
    throw Forbidden('insufficient_role', `${target.what} statistics need the admin, coach or author role.`);
  const learners = await seq.listEnrolled(ctx.db, t, target.ownerId);
  const activity = await entryActivity(ctx.db, entry);
  const out = [];
  for (const l of learners) {
    const states = await statesOf(l.user_id);
    out.push({
      states,
      progress: {
        userId: l.user_id,
        name: l.name,
        email: l.email,
        enrolledAt: l.enrolled_at,
        completionRate: completionRate(states),
        completed: states.length > 0 && states.every((s) => s === 'completed'),
        lastActivityAt: activity.get(l.user_id)?.lastActivityAt ?? null,
        timeSpentMs: activity.get(l.user_id)?.timeSpentMs ?? null,
      },
    });
  }
  return out;
}

/** How many learners completed everything, and their share, rounded down (0 with no learner). */
export function learnersSummary(rows: readonly { completed: boolean }[]) {
  const done = rows.filter((r) => r.completed).length;
  return {
    learners: rows.length,
    completedLearners: done,
    completionRate: rows.length === 0 ? 0 : Math.floor((100 * done) / rows.length),
  };
}

export function headView(h: HeadRow): HeadView {
  return { id: h.id, groupId: h.group_id, name: h.name, description: h.description, createdAt: h.created_at };
}

export function itemView(s: ItemRow, state?: ItemState): ItemView {
  return {
    ...toCourseSummary(s),
    position: s.position,
    archived: s.archived === 1,
    ...(state ? { state } : {}),
  };
}
