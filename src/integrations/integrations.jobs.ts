// Where sync runs happen. Activation, "sync now" and the scheduler all call `dispatchSync`:
// - with a queue attached (PostgreSQL and a running scheduler), the run becomes a pg-boss job that
//   whichever instance is free picks up (integrations.queue.ts);
// - otherwise it runs in this process, in the background, tracked so that `destroy` aborts it and
//   waits for it (no run outlives the database handle).
// Either way the sync engine's lease makes one run per integration at a time.
import type { AppContext } from '../context.js';
import type { SyncTrigger } from '../db/schema.js';
import { runSync, type SyncOptions, type SyncSummary } from '../catalog/catalog.sync.js';
import { archiveAllCourses, getIntegration, markActive } from './integrations.repository.js';
import { followEmbeddedSandbox } from './integrations.sandbox.js';

export type SyncRequest = {
  integrationId: string;
  trigger: SyncTrigger;
  /** Makes the job idempotent across instances (the scheduled time); random when absent. */
  key?: string;
};

export type Dispatcher = (request: SyncRequest) => Promise<void>;

type Jobs = {
  running: Map<Promise<void>, { integrationId: string; controller: AbortController }>;
  dispatcher: Dispatcher | undefined;
};

// Per-context state without a module singleton: it lives and dies with its context.
const JOBS = new WeakMap<AppContext, Jobs>();

function jobsOf(ctx: AppContext): Jobs {
  let jobs = JOBS.get(ctx);
  if (!jobs) {
    const created: Jobs = { running: new Map(), dispatcher: undefined };
    jobs = created;
    JOBS.set(ctx, created);
    ctx.onDestroy(async () => {
      for (const { controller } of created.running.values()) controller.abort();
      await Promise.allSettled([...created.running.keys()]);
    });
  }
  return jobs;
}

/** Routes every later dispatch through a queue (set by the scheduler on PostgreSQL). */
export function attachDispatcher(ctx: AppContext, dispatcher: Dispatcher | undefined): void {
  jobsOf(ctx).dispatcher = dispatcher;
}

/** Starts a sync now, on the queue or in the background; never waits for it to finish. */
export async function dispatchSync(ctx: AppContext, request: SyncRequest): Promise<void> {
  const jobs = jobsOf(ctx);
  if (jobs.dispatcher) return jobs.dispatcher(request);
  void runTracked(ctx, request.integrationId, request.trigger);
}

/** Runs a sync in this process, tracked so that deactivation and `destroy` can stop it. */
export function runTracked(ctx: AppContext, integrationId: string, trigger: SyncTrigger): Promise<void> {
  const jobs = jobsOf(ctx);
  const controller = new AbortController();
  const promise: Promise<void> = executeSync(ctx, integrationId, trigger, controller.signal).finally(() =>
    jobs.running.delete(promise),
  );
  jobs.running.set(promise, { integrationId, controller });
  return promise;
}

/**
 * One run with what the lifecycle adds around the sync engine: a sandbox-bound integration follows
 * this process's sandbox first, and the first successful run makes a setting-up integration active.
 * The CLI's `sync` calls this too.
 */
export async function runSyncFor(
  ctx: AppContext,
  integrationId: string,
  options: SyncOptions,
): Promise<SyncSummary> {
  await followEmbeddedSandbox(ctx, integrationId);
  const summary = await runSync(ctx, integrationId, options);
  const now = ctx.clock.now().toISOString();
  if (summary.status === 'succeeded') await markActive(ctx.db, integrationId, now);
  if (summary.status !== 'refused') {
    // A run that overlapped a deactivation (on another instance, which deactivation cannot abort)
    // may have restored or created courses after they were archived: archive them again.
    const row = await getIntegration(ctx.db, integrationId);
    if (row?.status === 'inactive') {
      const archived = await archiveAllCourses(ctx.db, integrationId, now);
      if (archived > 0)
        ctx.log.warn(
          { area: 'integrations', integrationId, archived },
          'run overlapped a deactivation: re-archived',
        );
    }
  }
  return summary;
}

/** A background run: never throws (a sync reports; a crash is logged, and its run row says so). */
export async function executeSync(
  ctx: AppContext,
  integrationId: string,
  trigger: SyncTrigger,
  signal?: AbortSignal,
): Promise<void> {
  const log = ctx.log.child({ area: 'integrations', integrationId });
  try {
    await runSyncFor(ctx, integrationId, { trigger, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) log.info({ trigger }, 'sync stopped');
    else log.error({ err, trigger }, 'sync failed to run');
  }
}

/** Stops this process's runs of one integration (deactivation). */
export async function abortSyncs(ctx: AppContext, integrationId: string): Promise<void> {
  const jobs = jobsOf(ctx);
  const mine = [...jobs.running].filter(([, j]) => j.integrationId === integrationId);
  for (const [, j] of mine) j.controller.abort();
  await Promise.allSettled(mine.map(([p]) => p));
}

/** Stops every run of this process (shutdown, before the queue stops). */
export async function abortAllSyncs(ctx: AppContext): Promise<void> {
  const jobs = jobsOf(ctx);
  for (const { controller } of jobs.running.values()) controller.abort();
  await Promise.allSettled([...jobs.running.keys()]);
}

/** Resolves when this process has no run in flight (tests, the CLI, the demo). */
export async function waitForSyncs(ctx: AppContext): Promise<void> {
  const jobs = jobsOf(ctx);
  while (jobs.running.size > 0) await Promise.allSettled([...jobs.running.keys()]);
}
