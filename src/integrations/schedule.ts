// Schedule arithmetic, pure: no clock, no database. Every answer is computed from a date the caller
// passes (the context clock), so tests can stand on a daylight-saving switch day. Croner walks the
// wall clock of the time zone, so "06:50 Europe/Paris" is 04:50Z in summer and 05:50Z in winter.
import { Cron } from 'croner';

export type Schedule = { readonly cron: string; readonly timeZone: string };

/** A sync lists the whole catalogue: more often than this is a mistake, not a schedule. */
export const MIN_INTERVAL_MINUTES = 60;

// Bounds the walk over missed runs: a year of a minutely pattern would be absurd anyway, and
// validation rejects anything more frequent than hourly.
const MAX_WALK = 20_000;

export type ScheduleProblem = { field: 'cron' | 'timeZone'; message: string };

/** Says what is wrong with a schedule, or null when it is usable. */
export function checkSchedule(s: Schedule): ScheduleProblem | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timeZone });
  } catch {
    return {
      field: 'timeZone',
      message: `Unknown time zone "${s.timeZone}" (use an IANA name such as Europe/Paris).`,
    };
  }
  const parts = s.cron.trim().split(/\s+/);
  if (parts.length !== 5)
    return {
      field: 'cron',
      message: 'Use a five-field cron pattern: minute hour day-of-month month day-of-week.',
    };
  let job: Cron;
  try {
    job = new Cron(s.cron, { timezone: s.timeZone, paused: true });
  } catch (err) {
    return { field: 'cron', message: `Invalid cron pattern: ${(err as Error).message}` };
  }
  // Sample a stretch of upcoming runs from a fixed date, so the answer does not depend on today.
  const runs = job.nextRuns(50, new Date('2026-01-01T00:00:00Z'));
  if (runs.length === 0) return { field: 'cron', message: 'The cron pattern never fires.' };
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i]!.getTime() - runs[i - 1]!.getTime()) / 60_000;
    if (gap < MIN_INTERVAL_MINUTES)
      return {
        field: 'cron',
        message: `Runs would be ${gap} minutes apart; a sync needs at least ${MIN_INTERVAL_MINUTES} minutes between runs.`,
      };
  }
  return null;
}

function cronOf(s: Schedule): Cron {
  return new Cron(s.cron, { timezone: s.timeZone, paused: true });
}

/** The first scheduled time strictly after `from`, or null if the pattern never fires again. */
export function nextRun(s: Schedule, from: Date): Date | null {
  return cronOf(s).nextRun(from);
}

/**
 * The latest scheduled time in (`after`, `now`], or null when none fell due. Several missed runs
 * (the service was down for days) collapse into one: a sync always lists the whole catalogue, so
 * running the latest is the same as running them all.
 */
export function latestDue(s: Schedule, after: Date, now: Date): Date | null {
  const job = cronOf(s);
  let due: Date | null = null;
  let cursor = after;
  for (let i = 0; i < MAX_WALK; i++) {
    const next = job.nextRun(cursor);
    if (!next || next.getTime() > now.getTime()) return due;
    due = next;
    cursor = next;
  }
  return due;
}

/**
 * The point a schedule counts from: the last due time already claimed, else the activation time
 * (a brand-new integration has its first sync at activation, not a missed scheduled one).
 */
export function scheduleAnchor(row: {
  last_scheduled_for: string | null;
  activated_at: string | null;
  created_at: string;
}): Date {
  return new Date(row.last_scheduled_for ?? row.activated_at ?? row.created_at);
}
