// Turns committed statements into statistics, after the answer: the statement is durable first
// (its row is the queue, `stats_state = 'pending'`), then a drain applies pending statements in
// chunks, one transaction per chunk. A killed process leaves them pending; the next start drains
// them. Unmatched statements wait in `stats_unmatched` until the learner or course appears
// (`applyPendingStatements`, called by user creation and course sync) or the periodic re-check.
import type { AppContext } from '../context.js';
import type { Db } from '../db/db.js';
import { applyAttemptPlan, attemptsOf } from '../platform/attempts.repository.js';
import { planStatistic } from '../platform/attempts.rules.js';
import type { Json } from '../xapi/xapi.validate.js';
import { courseKeyCandidates, statementToStatistic } from './stats.mapping.js';
import {
  claimPending,
  deleteUnmatched,
  findCourseForActivity,
  findUserIdByMail,
  getCourseKeys,
  getUserMail,
  putUnmatched,
  setStatsState,
  unmatchedCandidates,
  type PendingStatement,
} from './stats.repository.js';

const CHUNK = 200;
export const RECHECK_INTERVAL_MS = 10 * 60_000;

type Worker = { running?: Promise<void> | undefined; again: boolean };
const workers = new WeakMap<AppContext, Worker>();

/** Starts a drain soon (coalesced): the request that stored statements does not wait for it. */
export function kickStatistics(ctx: AppContext): void {
  void drainStatistics(ctx).catch((err: unknown) => ctx.log.error({ err }, 'statistics drain failed'));
}

/** Applies every pending statement; resolves when none is left (tests and shutdown await it). */
export function drainStatistics(ctx: AppContext): Promise<void> {
  let w = workers.get(ctx);
  if (!w) {
    const created: Worker = { again: false };
    workers.set(ctx, (w = created));
    // Shutdown waits for a drain in progress rather than cutting it (it would roll back anyway).
    ctx.onDestroy(async () => {
      await created.running?.catch(() => undefined);
    });
  }
  const worker = w;
  if (worker.running) {
    worker.again = true;
    return worker.running;
  }
  worker.running = (async () => {
    try {
      do {
        worker.again = false;
        while ((await drainChunk(ctx)) === CHUNK);
      } while (worker.again);
    } finally {
      worker.running = undefined;
    }
  })();
  return worker.running;
}

async function drainChunk(ctx: AppContext): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await claimPending(trx, ctx.engine, CHUNK);
    const now = ctx.clock.now().toISOString();
    const byState = { applied: [] as number[], unmatched: [] as number[] };
    for (const row of rows) byState[(await applyOne(trx, row, now)) ? 'applied' : 'unmatched'].push(row.seq);
    await setStatsState(trx, byState.applied, 'applied');
    await setStatsState(trx, byState.unmatched, 'unmatched');
    await deleteUnmatched(trx, byState.applied);
    return rows.length;
  });
}

/** True when applied; false when kept as unmatched (with its reason). */
async function applyOne(db: Db, row: PendingStatement, now: string): Promise<boolean> {
  const statement = JSON.parse(row.statement) as Json;
  const mapped = statementToStatistic(statement);
  const unmatched = (
    reason: 'unknown_learner' | 'unknown_course' | 'no_learner_mail' | 'not_a_course',
    mail: string | null,
    key: string | null,
  ) =>
    putUnmatched(db, {
      statement_seq: row.seq,
      integration_id: row.integration_id,
      statement_id: row.id,
      reason,
      learner_mail: mail,
      course_key: key,
      received_at: row.stored,
    }).then(() => false);
  if (!mapped.ok) return unmatched(mapped.reason, null, null);
  const s = mapped.statistic;
  // Only this integration's courses (archived ones included) can receive its statistics.
  const course = await findCourseForActivity(
    db,
    row.integration_id,
    s.objectId,
    courseKeyCandidates(s.objectId),
  );
  if (!course) return unmatched('unknown_course', s.learnerMail, s.objectId);
  const userId = await findUserIdByMail(db, s.learnerMail);
  if (!userId) return unmatched('unknown_learner', s.learnerMail, s.objectId);
  await applyAttemptPlan(
    db,
    userId,
    course.id,
    planStatistic(await attemptsOf(db, userId, course.id), s),
    now,
  );
  return true;
}

/**
 * Re-queues unmatched statements that a new learner (`userId`) or course (`courseId`) may resolve,
 * then applies them. With neither, re-queues every unmatched statement (the periodic re-check).
 * Returns how many were re-queued.
 */
export async function applyPendingStatements(
  ctx: AppContext,
  filter: { userId?: string; courseId?: string } = {},
): Promise<number> {
  const seqs = new Set<number>();
  if (filter.userId) {
    const mail = await getUserMail(ctx.db, filter.userId);
    if (mail)
      for (const r of await unmatchedCandidates(ctx.db, { mail, reason: 'unknown_learner' }))
        seqs.add(r.statement_seq);
  }
  if (filter.courseId) {
    const course = await getCourseKeys(ctx.db, filter.courseId);
    if (course?.integration_id) {
      for (const r of await unmatchedCandidates(ctx.db, {
        integrationId: course.integration_id,
        reason: 'unknown_course',
      })) {
        const key = r.course_key ?? '';
        if (
          key === course.xapi_activity_id ||
          (course.external_id !== null && courseKeyCandidates(key).includes(course.external_id))
        )
          seqs.add(r.statement_seq);
      }
    }
  }
  if (!filter.userId && !filter.courseId)
    for (const r of await unmatchedCandidates(ctx.db, {})) seqs.add(r.statement_seq);
  if (seqs.size === 0) return 0;
  const all = [...seqs];
  for (let i = 0; i < all.length; i += 1000) await setStatsState(ctx.db, all.slice(i, i + 1000), 'pending');
  await drainStatistics(ctx);
  return seqs.size;
}

/** Background part: drain what a previous process left pending, then re-check unmatched regularly. */
export async function startStatistics(ctx: AppContext): Promise<void> {
  kickStatistics(ctx);
  const timer = setInterval(() => {
    applyPendingStatements(ctx).catch((err: unknown) =>
      ctx.log.error({ err }, 'unmatched statistics re-check failed'),
    );
  }, RECHECK_INTERVAL_MS);
  timer.unref();
  ctx.onDestroy(() => clearInterval(timer));
}
