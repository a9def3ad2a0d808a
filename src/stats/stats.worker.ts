// Turns committed statements into statistics, after the answer: the statement is durable first
// (with its row in the queue, xapi_stats_pending, in the same commit), then a drain applies them in
// chunks, one transaction per chunk. A killed process leaves them pending; the next start drains
// them. Unmatched statements wait in `stats_unmatched` until the learner or course appears
// (`applyPendingStatements`, called by user creation and course sync) or the periodic re-check.
import type { AppContext } from '../context.js';
import type { Db } from '../db/db.js';
import crypto from 'node:crypto';
import { attemptsOf, saveAttempts } from '../platform/attempts.repository.js';
import { planStatistic } from '../platform/attempts.rules.js';
import type { Json } from '../xapi/xapi.validate.js';
import { courseKeyCandidates, statementToStatistic, type Statistic } from './stats.mapping.js';
import type { UnmatchedReason } from '../xapi/xapi.tables.js';
import {
  deleteUnmatched,
  findCourseForActivity,
  findUserIdByMail,
  getCourseKeys,
  getUserMail,
  pendingStatements,
  putUnmatched,
  requeue,
  resolvableUnmatched,
  takePending,
  unmatchedCandidates,
  type PendingStatement,
} from './stats.repository.js';

// Chunks with a turn of the event loop between them. A chunk costs ~8 queries whatever its size
// (and on PostgreSQL as many round trips), which at 50 statements was ~7 µs per statement on SQLite.
// On SQLite a chunk's transaction runs without yielding (the driver is synchronous), so its length
// (~2–3 ms at 250) is added to the latency of the statement POSTs that arrive meanwhile.
const CHUNK = { sqlite: 250, postgres: 250 } as const;
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
export const RECHECK_INTERVAL_MS = 10 * 60_000;

type Worker = {
  running?: Promise<void> | undefined;
  again: boolean;
  timer?: NodeJS.Timeout | undefined;
  /** Statements just committed by this process, parsed, by seq (see `noteCommittedStatements`). */
  parsed: Map<number, Committed>;
};
const workers = new WeakMap<AppContext, Worker>();

/** How long a kick waits, so that a burst of statements is applied in a few chunks, not one by one. */
export const KICK_DELAY_MS = 100;

/** Parsed statements kept for the drain at most; beyond, the oldest are read back from the database. */
const MAX_PARSED = 20_000;

/** A statement as stored (its `id` and `stored` are set), and whose integration's it is. */
export type Committed = { seq: number; integrationId: string; statement: Json };

/**
 * The statements a write just committed, as parsed objects: the drain then neither reads them
 * back nor parses them again. Only a shortcut: the rows stay the queue (a restart, another
 * instance, or an entry dropped here all read the statement from the database).
 */
export function noteCommittedStatements(ctx: AppContext, statements: Committed[]) {
  const parsed = workerOf(ctx).parsed;
  for (const s of statements) parsed.set(s.seq, s);
  if (parsed.size > MAX_PARSED) {
    let excess = parsed.size - MAX_PARSED;
    for (const seq of parsed.keys()) {
      if (excess-- <= 0) break;
      parsed.delete(seq);
    }
  }
}

/** Starts a drain soon (coalesced): the request that stored statements does not wait for it. */
export function kickStatistics(ctx: AppContext): void {
  const worker = workerOf(ctx);
  if (worker.timer) return;
  worker.timer = setTimeout(() => {
    worker.timer = undefined;
    drainStatistics(ctx).catch((err: unknown) => ctx.log.error({ err }, 'statistics drain failed'));
  }, KICK_DELAY_MS);
}

function workerOf(ctx: AppContext): Worker {
  let w = workers.get(ctx);
  if (!w) {
    const created: Worker = { again: false, parsed: new Map() };
    workers.set(ctx, (w = created));
    // Shutdown waits for a drain in progress; anything still pending is applied at the next start.
    ctx.onDestroy(async () => {
      if (created.timer) clearTimeout(created.timer);
      created.timer = undefined;
      await created.running?.catch(() => undefined);
    });
  }
  return w;
}

/** Applies every pending statement; resolves when none is left (tests and shutdown await it). */
export function drainStatistics(ctx: AppContext): Promise<void> {
  const worker = workerOf(ctx);
  if (worker.running) {
    worker.again = true;
    return worker.running;
  }
  worker.running = (async () => {
    try {
      do {
        worker.again = false;
        while ((await drainChunk(ctx)) === CHUNK[ctx.engine]) await yieldToRequests();
      } while (worker.again);
    } finally {
      worker.running = undefined;
    }
  })();
  return worker.running;
}

async function drainChunk(ctx: AppContext): Promise<number> {
  const parsed = workerOf(ctx).parsed;
  const taken: number[] = [];
  const count = await ctx.db.transaction().execute(async (trx) => {
    const seqs = await takePending(trx, ctx.engine, CHUNK[ctx.engine]);
    const stored = await pendingStatements(
      trx,
      seqs.filter((seq) => !parsed.has(seq)),
    );
    const now = ctx.clock.now().toISOString();
    const applied: number[] = [];
    const lookups: Lookups = { courses: new Map(), users: new Map() };
    // Statistics for one learner and course are planned together in memory (in statement order)
    // and written once: a burst of statements costs a few queries, not a few per statement.
    const groups = new Map<string, Resolved[]>();
    for (const seq of seqs) {
      taken.push(seq);
      const pending = pendingOf(seq, parsed.get(seq), stored);
      if (!pending) continue; // a queue row always has its statement (foreign key); defensive
      const { row, statement } = pending;
      const r = await resolve(trx, row, statement, lookups);
      if ('reason' in r) {
        await putUnmatched(trx, {
          statement_seq: row.seq,
          integration_id: row.integration_id,
          statement_id: row.id,
          reason: r.reason,
          learner_mail: r.mail,
          course_key: r.key,
          received_at: row.stored,
        });
        continue;
      }
      applied.push(row.seq);
      const key = `${r.userId} ${r.courseId}`;
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
    for (const list of groups.values()) await applyGroup(trx, list, now);
    await deleteUnmatched(trx, applied);
    return seqs.length;
  });
  for (const seq of taken) parsed.delete(seq);
  return count;
}

/** A pending statement from memory (just committed here) or as read back from the database. */
function pendingOf(
  seq: number,
  committed: Committed | undefined,
  stored: Map<number, PendingStatement & { statement: string }>,
): { row: PendingStatement; statement: Json } | undefined {
  if (committed) {
    const { statement } = committed;
    const row = {
      seq,
      id: String(statement.id),
      integration_id: committed.integrationId,
      stored: String(statement.stored),
    };
    return { row, statement };
  }
  const read = stored.get(seq);
  return read && { row: read, statement: JSON.parse(read.statement) as Json };
}

/** Course and learner lookups memoised within one chunk (a burst names few of each). */
type Lookups = { courses: Map<string, { id: string } | undefined>; users: Map<string, string | undefined> };
type Resolved = { userId: string; courseId: string; statistic: Statistic };
type Unresolved = { reason: UnmatchedReason; mail: string | null; key: string | null };

async function resolve(
  db: Db,
  row: PendingStatement,
  statement: Json,
  lookups: Lookups,
): Promise<Resolved | Unresolved> {
  const mapped = statementToStatistic(statement);
  if (!mapped.ok) return { reason: mapped.reason, mail: null, key: null };
  const s = mapped.statistic;
  // Only this integration's courses (archived ones included) can receive its statistics.
  const courseKey = `${row.integration_id} ${s.objectId}`;
  if (!lookups.courses.has(courseKey))
    lookups.courses.set(
      courseKey,
      await findCourseForActivity(db, row.integration_id, s.objectId, courseKeyCandidates(s.objectId)),
    );
  const course = lookups.courses.get(courseKey);
  if (!course) return { reason: 'unknown_course', mail: s.learnerMail, key: s.objectId };
  if (!lookups.users.has(s.learnerMail))
    lookups.users.set(s.learnerMail, await findUserIdByMail(db, s.learnerMail));
  const userId = lookups.users.get(s.learnerMail);
  if (!userId) return { reason: 'unknown_learner', mail: s.learnerMail, key: s.objectId };
  return { userId, courseId: course.id, statistic: s };
}

async function applyGroup(db: Db, list: Resolved[], now: string): Promise<void> {
  const first = list[0];
  if (!first) return;
  const attempts = await attemptsOf(db, first.userId, first.courseId);
  const created = new Set<string>();
  const changed = new Set<string>();
  for (const { statistic } of list) {
    const plan = planStatistic(attempts, statistic);
    if (plan.kind === 'create') {
      const id = crypto.randomUUID();
      attempts.push({ id, ...plan.attempt });
      created.add(id);
    } else {
      const target = attempts.find((a) => a.id === plan.id);
      if (target) Object.assign(target, plan.patch);
      changed.add(plan.id);
    }
  }
  await saveAttempts(db, first.userId, first.courseId, attempts, { created, changed }, now);
}

/**
 * Re-queues unmatched statements, then applies them; returns how many were re-queued:
 * - those a new learner (`userId`) or course (`courseId`) may resolve (user creation, course sync);
 * - every unmatched statement of one integration (`integrationId`: an admin's "retry");
 * - with no filter (the periodic re-check, a safety net for users and courses that came another
 *   way), only those the data now resolves: re-queuing every one, every 10 minutes, redid the work
 *   of all the statements of learners who will never be on the platform.
 */
export async function applyPendingStatements(
  ctx: AppContext,
  filter: { userId?: string; courseId?: string; integrationId?: string } = {},
): Promise<number> {
  const seqs = new Set<number>();
  if (filter.integrationId)
    for (const r of await unmatchedCandidates(ctx.db, { integrationId: filter.integrationId }))
      seqs.add(r.statement_seq);
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
  if (!filter.userId && !filter.courseId && !filter.integrationId)
    for (const seq of await resolvableUnmatched(ctx.db, courseKeyCandidates)) seqs.add(seq);
  if (seqs.size === 0) return 0;
  const all = [...seqs];
  for (let i = 0; i < all.length; i += 1000) await requeue(ctx.db, all.slice(i, i + 1000));
  await drainStatistics(ctx);
  return seqs.size;
}

/** Background part: drain what a previous process left pending, then re-check unmatched regularly. */
export async function startStatistics(ctx: AppContext): Promise<void> {
  kickStatistics(ctx); // what a killed process left pending
  const timer = setInterval(() => {
    applyPendingStatements(ctx).catch((err: unknown) =>
      ctx.log.error({ err }, 'unmatched statistics re-check failed'),
    );
  }, RECHECK_INTERVAL_MS);
  timer.unref();
  ctx.onDestroy(() => clearInterval(timer));
}
