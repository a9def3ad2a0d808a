// Runs each integration's sync at its scheduled times. Every tick reads the schedulable
// integrations, finds for each the latest due time not yet claimed (schedule.ts, from the context
// clock), claims it with a conditional update (one winner across instances) and dispatches the run.
// A run missed while the service was down is due at the first tick, which runs at start.
// On PostgreSQL the run goes through pg-boss (integrations.queue.ts); on SQLite it runs in process.
import type { AppContext } from '../context.js';
import { claimScheduledRun, listSchedulable } from './integrations.repository.js';
import { latestDue, nextRun, scheduleAnchor } from './schedule.js';
import { abortAllSyncs, attachDispatcher, dispatchSync } from './integrations.jobs.js';
import { startQueue, type QueueOptions } from './integrations.queue.js';

/** Upper bound on a timer: picks up integrations and schedules changed by other instances. */
const MAX_SLEEP_MS = 60_000;

export type Scheduler = {
  /** One pass: claims and dispatches what is due; answers how many runs it dispatched. */
  tick(): Promise<number>;
  /** When the next known run is due (null when nothing is scheduled). */
  nextWake(): Promise<Date | null>;
  stop(): Promise<void>;
};

export function createScheduler(ctx: AppContext): Scheduler {
  const log = ctx.log.child({ area: 'scheduler' });
  let first = true;
  return {
    async tick() {
      const now = ctx.clock.now();
      const startup = first;
      first = false;
      let dispatched = 0;
      for (const row of await listSchedulable(ctx.db)) {
        const due = latestDue({ cron: row.cron, timeZone: row.time_zone }, scheduleAnchor(row), now);
        if (!due) continue;
        const dueIso = due.toISOString();
        if (!(await claimScheduledRun(ctx.db, row.id, dueIso))) continue;
        // A due time well before now was missed while we were down: the run says so.
        const missed = startup && now.getTime() - due.getTime() > MAX_SLEEP_MS;
        log.info({ integrationId: row.id, due: dueIso, missed }, 'scheduled sync due');
        await dispatchSync(ctx, {
          integrationId: row.id,
          trigger: missed ? 'startup' : 'schedule',
          key: `${row.id}@${dueIso}`,
        });
        dispatched++;
      }
      return dispatched;
    },
    async nextWake() {
      const now = ctx.clock.now();
      let soonest: Date | null = null;
      for (const row of await listSchedulable(ctx.db)) {
        const from = new Date(Math.max(now.getTime(), scheduleAnchor(row).getTime()));
        const next = nextRun({ cron: row.cron, timeZone: row.time_zone }, from);
        if (next && (!soonest || next < soonest)) soonest = next;
      }
      return soonest;
    },
    async stop() {},
  };
}

/**
 * The background part registered in runtime.ts: the queue on PostgreSQL, then a timer loop that
 * sleeps until the next due time (at most a minute). Stopped by `ctx.destroy`.
 */
export async function startScheduler(
  ctx: AppContext,
  options: QueueOptions = {},
): Promise<Scheduler | undefined> {
  const log = ctx.log.child({ area: 'scheduler' });
  if (!ctx.config.sync.schedulerEnabled) {
    log.info('scheduler disabled (SCHEDULER_ENABLED=false): syncs run only on demand');
    return undefined;
  }
  if (ctx.engine === 'postgres') {
    const queue = await startQueue(ctx, options);
    attachDispatcher(ctx, queue.send);
    ctx.onDestroy(async () => {
      attachDispatcher(ctx, undefined);
      await abortAllSyncs(ctx);
      await queue.stop();
    });
  }
  const scheduler = createScheduler(ctx);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();
  const loop = async () => {
    try {
      await scheduler.tick();
      const wake = await scheduler.nextWake();
      const delay = wake ? wake.getTime() - ctx.clock.now().getTime() : MAX_SLEEP_MS;
      arm(Math.min(Math.max(delay, 0), MAX_SLEEP_MS));
    } catch (err) {
      if (!stopped) log.error({ err }, 'scheduler tick failed');
      arm(MAX_SLEEP_MS);
    }
  };
  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = loop();
    }, ms);
    timer.unref();
  };
  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await pass;
  };
  ctx.onDestroy(stop);
  pass = loop();
  await pass;
  log.info(
    { engine: ctx.engine, cron: ctx.config.sync.cron, timeZone: ctx.config.sync.timeZone },
    'scheduler started',
  );
  return { ...scheduler, stop };
}
