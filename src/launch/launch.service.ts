// START: checks the learner may open the course from the entry point they used, records the launch
// as an attempt for that entry point (50 %, last activity now, a new attempt after a completion:
// platform/attempts.rules.ts), and answers where to send them. How they are sent (a plain redirect,
// or an IdP-initiated SAML POST) is the responder's business (launch.responder.ts).
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { recordLaunch } from '../platform/attempts.repository.js';
import {
  courseInCatalog,
  getCourseBrief,
  loadScope,
  type CourseBrief,
  type Viewer,
} from '../search/search.scope.repository.js';
import { isPathLearner, learnerStepStates, requirePath } from '../paths/paths.service.js';
import { isSessionLearner, learnerBlockStates, requireSession } from '../programs/programs.service.js';
import { isOpen, type ItemState } from '../paths/sequence.rules.js';

export type LaunchEntry =
  | { type: 'catalog'; groupId: string }
  | { type: 'path'; pathId: string }
  | { type: 'program'; sessionId: string };

export type LaunchRedirect = { kind: 'url'; url: string };

export type LaunchOutcome = {
  courseId: string;
  userId: string;
  entry: LaunchEntry;
  attemptIds: string[];
  /** Where the learner goes: the course's launch URL, no learner identity in it. */
  redirect: LaunchRedirect;
  /** Program sessions: the block after this one, when this launch unlocked it. */
  unlockedPosition?: number;
};

/** The entry point from loose input (query string, form or JSON). */
export function parseEntry(input: {
  entry?: string | undefined;
  groupId?: string | undefined;
  pathId?: string | undefined;
  sessionId?: string | undefined;
}): LaunchEntry {
  switch (input.entry) {
    case 'catalog':
      if (input.groupId) return { type: 'catalog', groupId: input.groupId };
      break;
    case 'path':
      if (input.pathId) return { type: 'path', pathId: input.pathId };
      break;
    case 'program':
      if (input.sessionId) return { type: 'program', sessionId: input.sessionId };
      break;
  }
  throw Invalid(
    'invalid_entry_point',
    'Say where the course is launched from: entry=catalog&groupId=…, entry=path&pathId=… or entry=program&sessionId=….',
  );
}

export async function launchCourse(
  ctx: AppContext,
  who: Viewer,
  courseId: string,
  entry: LaunchEntry,
): Promise<LaunchOutcome> {
  const course = await getCourseBrief(ctx.db, courseId);
  if (!course) throw NotFound('course_not_found', `No course ${courseId}.`);
  let unlockedPosition: number | undefined;
  let attemptEntry: { type: 'catalog' | 'path' | 'program'; id: string | null };

  if (entry.type === 'catalog') {
    const scope = await loadScope(ctx.db, who);
    const groupVisible = scope.all || scope.catalogGroupIds.includes(entry.groupId);
    if (!groupVisible || !(await courseInCatalog(ctx.db, entry.groupId, courseId)))
      throw NotFound('course_not_in_catalog', 'This course is not in a catalog you can launch it from.');
    // An archived course leaves catalogs; only paths and programs that already hold it keep it.
    if (course.archived === 1) throw archived();
    // One catalog entry point per learner and course (statistics without a launch land there too).
    attemptEntry = { type: 'catalog', id: null };
  } else if (entry.type === 'path') {
    await requirePath(ctx, entry.pathId);
    if (!(await isPathLearner(ctx, entry.pathId, who.userId)))
      throw Forbidden('not_enrolled', 'You are not enrolled in this path.');
    const { steps, states } = await learnerStepStates(ctx, entry.pathId, who.userId);
    const index = steps.findIndex((s) => s.id === courseId);
    if (index < 0) throw NotFound('course_not_in_path', 'This course is not a step of the path.');
    if (!isOpen(states, index)) throw locked('step_locked', 'Complete the previous steps first.');
    attemptEntry = { type: 'path', id: entry.pathId };
  } else {
    const { session } = await requireSession(ctx, entry.sessionId);
    if (!(await isSessionLearner(ctx, entry.sessionId, who.userId)))
      throw Forbidden('not_enrolled', 'You are not enrolled in this program session.');
    if (session.starts_at > ctx.clock.now().toISOString())
      throw Conflict('session_not_started', `The session starts at ${session.starts_at}.`);
    const { blocks, states } = await learnerBlockStates(ctx, session, who.userId);
    const index = blocks.findIndex((b) => b.id === courseId);
    if (index < 0) throw NotFound('course_not_in_program', 'This course is not a block of the session.');
    if (!isOpen(states, index)) throw locked('block_locked', 'The previous block is not done yet.');
    attemptEntry = { type: 'program', id: entry.sessionId };
    if (index + 1 < blocks.length && states[index + 1] === 'locked') unlockedPosition = index + 1;
  }

  const url = launchUrlOf(course);
  const attemptId = await recordLaunch(
    ctx.db,
    who.userId,
    courseId,
    attemptEntry,
    ctx.clock.now().toISOString(),
  );
  if (unlockedPosition !== undefined) {
    // Launching a synced course unlocks the next block at once; a platform course waits for completion.
    const { states } = await learnerBlockStates(
      ctx,
      (await requireSession(ctx, attemptEntry.id!)).session,
      who.userId,
    );
    if (stateAt(states, unlockedPosition) === 'locked') unlockedPosition = undefined;
  }
  ctx.log.info({ courseId, entry: entry.type, attemptId }, 'course launched');
  return {
    courseId,
    userId: who.userId,
    entry,
    attemptIds: [attemptId],
    redirect: { kind: 'url', url },
    ...(unlockedPosition !== undefined ? { unlockedPosition } : {}),
  };
}

function launchUrlOf(course: CourseBrief): string {
  const url = course.launch_url;
  if (!url || !/^https?:\/\//i.test(url))
    throw Conflict('course_not_launchable', 'This course has no launch URL.');
  return url;
}

const archived = () =>
  Conflict(
    'course_archived',
    'This course is archived: it can only be opened from a path or program that already holds it.',
  );
const locked = (code: string, message: string) => Conflict(code, message);
const stateAt = (states: ItemState[], i: number) => states[i];
