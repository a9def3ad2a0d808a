// Attempt rules (specs/360learning-platform.md, "Launch and attempts"), pure. Launch: one attempt
// per entry point (catalog, each path, each program session) at 50 %, a new one when the course
// was completed. Statement: update the open attempt, or create one when there is none (Go1).
import type { AttemptEntryType, AttemptsTable } from '../xapi/xapi.tables.js';
import type { Statistic } from '../stats/stats.mapping.js';

export const LAUNCH_PROGRESS = 50;
/**
 * Providers often send several statements for one completion (completed, then passed/scored). A
 * statement that arrives within this window after an attempt was completed, with no open attempt,
 * belongs to that attempt instead of starting a new one.
 */
export const COMPLETION_MERGE_WINDOW_MS = 15 * 60_000;

export type Attempt = Omit<
  AttemptsTable,
  'created_at' | 'updated_at' | 'user_id' | 'course_id' | 'origin'
> & {
  origin?: AttemptsTable['origin'];
};
export type AttemptPatch = Partial<
  Pick<
    Attempt,
    | 'progress'
    | 'result'
    | 'score'
    | 'time_spent_ms'
    | 'first_activity_at'
    | 'last_activity_at'
    | 'completed_at'
  >
>;
export type AttemptPlan =
  | { kind: 'update'; id: string; patch: AttemptPatch }
  | { kind: 'create'; attempt: Omit<Attempt, 'id'> & { origin: AttemptsTable['origin'] } };

export type Entry = { type: AttemptEntryType; id: string | null };

const isOpen = (a: Attempt) => a.completed_at === null && a.progress < 100;
const latestFirst = (a: Attempt, b: Attempt) =>
  a.last_activity_at < b.last_activity_at ? 1 : a.last_activity_at > b.last_activity_at ? -1 : 0;
const maxIso = (a: string, b: string) => (a > b ? a : b);

/** What a launch does to a learner's attempts on one course. */
export function planLaunch(attempts: Attempt[], entry: Entry, now: string): AttemptPlan {
  const open = attempts
    .filter((a) => isOpen(a) && a.entry_type === entry.type && a.entry_id === entry.id)
    .sort(latestFirst)[0];
  if (open)
    return {
      kind: 'update',
      id: open.id,
      patch: {
        progress: Math.max(open.progress, LAUNCH_PROGRESS),
        last_activity_at: maxIso(open.last_activity_at, now),
      },
    };
  return {
    kind: 'create',
    attempt: {
      entry_type: entry.type,
      entry_id: entry.id,
      progress: LAUNCH_PROGRESS,
      result: null,
      score: null,
      time_spent_ms: null,
      first_activity_at: now,
      last_activity_at: now,
      completed_at: null,
      origin: 'launch',
    },
  };
}

/** What a statistic does to a learner's attempts on one course. */
export function planStatistic(attempts: Attempt[], s: Statistic): AttemptPlan {
  const target =
    attempts.filter(isOpen).sort(latestFirst)[0] ??
    attempts
      .filter(
        (a) =>
          a.completed_at !== null &&
          Math.abs(Date.parse(s.at) - Date.parse(a.completed_at)) <= COMPLETION_MERGE_WINDOW_MS,
      )
      .sort(latestFirst)[0];
  if (!target) {
    return {
      kind: 'create',
      attempt: {
        entry_type: 'catalog',
        entry_id: null,
        progress: s.progress ?? 0,
        result: s.result ?? null,
        score: s.score ?? null,
        time_spent_ms: s.timeSpentMs ?? null,
        first_activity_at: s.at,
        last_activity_at: s.at,
        completed_at: s.completedAt ?? null,
        origin: 'statement',
      },
    };
  }
  const patch: AttemptPatch = { last_activity_at: maxIso(target.last_activity_at, s.at) };
  if (s.at < target.first_activity_at) patch.first_activity_at = s.at;
  if (s.progress === 100) {
    patch.progress = 100;
    patch.completed_at = target.completed_at ?? s.completedAt ?? s.at;
  }
  if (s.result !== undefined) patch.result = s.result;
  if (s.score !== undefined) patch.score = s.score;
  // A duration is the time of the whole attempt so far, not an increment: keep the largest.
  if (s.timeSpentMs !== undefined) patch.time_spent_ms = Math.max(target.time_spent_ms ?? 0, s.timeSpentMs);
  return { kind: 'update', id: target.id, patch };
}
