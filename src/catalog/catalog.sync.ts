// One sync run of one integration (DESIGN rule 2): list the whole catalogue page by page, write what
// changed, archive what is gone only after a complete listing (with the mass-archive brake), and
// record the run. Runs report, not throw: the summary says what happened, including failures.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { beginBulkWrites } from '../db/db.js';
import { refreshSearchAfterBulkWrites } from '../search/search.maintenance.js';
import type { SyncTrigger } from '../db/schema.js';
import { AppError, NotFound } from '../errors.js';
import { connectionOf, getIntegration } from '../integrations/integrations.repository.js';
import { OpenSesameError, type CataloguePage } from '../opensesame/opensesame.types.js';
import { archiveAbsent } from './catalog.holds.js';
import { acquireSyncLock, extendSyncLock, releaseSyncLock } from './catalog.lock.js';
import { createWorkerMapper } from './catalog.mapper.js';
import { lookUpPage, planPage, writePlan, type PagePlan } from './catalog.page.js';
import {
  finishRun,
  insertRun,
  markInterruptedRuns,
  updateRunProgress,
  ZERO_COUNTS,
  type RunCounts,
} from './sync-runs.repository.js';

export type SyncCounts = RunCounts;

export type SyncProgress = SyncCounts & { page: number };

export type SyncOptions = {
  trigger: SyncTrigger;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** Lease length; the heartbeat extends it every quarter of it. */
  leaseMs?: number;
};

export type SyncSummary =
  | {
      status: 'succeeded' | 'failed';
      runId: string;
      integrationId: string;
      trigger: SyncTrigger;
      startedAt: string;
      finishedAt: string;
      durationMs: number;
      listingComplete: boolean;
      pages: number;
      counts: SyncCounts;
      /** Course rows inserted or updated by this run (0 for a no-op re-sync). */
      courseRowsWritten: number;
      error?: { code: string; message: string };
    }
  | {
      status: 'refused';
      integrationId: string;
      trigger: SyncTrigger;
      error: { code: 'sync_already_running' | 'integration_inactive'; message: string };
      runningRunId?: string;
    };

const DEFAULT_LEASE_MS = 60_000;
// 100 courses per batch: a batch lives across a few page fetches, so its objects reach V8's old
// generation, and bigger batches let ~100 MB of such garbage pile up before a full collection. Peak
// RSS of a 100,000-course SQLite sync: 273 MB at 500 per batch, 234 MB at 100. The price is ~15 %
// more CPU on a first sync (more commits, so index pages are written to the WAL more often).
const BATCH_ITEMS = 100;
const BATCH_MS = 1000;
const COUNTED = ['listed', 'created', 'updated', 'unchanged', 'archived', 'restored', 'rejected'] as const;

/** Pulls the next page while the current one is written, so fetching and storing overlap. */
async function* withLookahead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  next.catch(() => undefined); // observed below; keeps an early rejection from being "unhandled"
  for (;;) {
    const r = await next;
    if (r.done) return;
    next = it.next();
    next.catch(() => undefined);
    yield r.value;
  }
}

function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof OpenSesameError) {
    const step = err.step === 'token' ? 'token request' : 'catalogue listing';
    return { code: err.code, message: `OpenSesame ${step} failed: ${err.message}` };
  }
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof Error && err.name === 'AbortError')
    return { code: 'aborted', message: 'the run was stopped' };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}

export async function runSync(
  ctx: AppContext,
  integrationId: string,
  options: SyncOptions,
): Promise<SyncSummary> {
  const log = ctx.log.child({ area: 'catalog' });
  const integration = await getIntegration(ctx.db, integrationId);
  if (!integration) throw NotFound('integration_not_found', `No integration ${integrationId}`);
  const { trigger } = options;
  if (integration.status === 'inactive') {
    return {
      status: 'refused',
      integrationId,
      trigger,
      error: { code: 'integration_inactive', message: 'The integration is deactivated: syncing is stopped' },
    };
  }

  const runId = crypto.randomUUID();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const nowIso = () => ctx.clock.now().toISOString();
  const lock = await acquireSyncLock(ctx.db, integrationId, runId, ctx.clock.now(), leaseMs);
  if (!lock.acquired) {
    log.info(
      { integrationId, runningRunId: lock.runId, trigger },
      'sync refused: another run holds the lease',
    );
    return {
      status: 'refused',
      integrationId,
      trigger,
      runningRunId: lock.runId,
      error: {
        code: 'sync_already_running',
        message: `A sync of this integration is already running (${lock.runId})`,
      },
    };
  }

  const started = Date.now();
  const startedAt = nowIso();
  const counts: RunCounts = { ...ZERO_COUNTS };
  let courseRowsWritten = 0;
  let pages = 0;
  let listingComplete = false;
  let error: { code: string; message: string } | undefined;
  let closeClient: (() => Promise<void>) | undefined;
  let endBulkWrites: (() => Promise<void>) | undefined;
  const mapper = createWorkerMapper(log);
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let beating = false;
  const heartbeat = setInterval(
    () => {
      if (beating) return;
      beating = true;
      void (async () => {
        try {
          if (!(await extendSyncLock(ctx.db, integrationId, runId, ctx.clock.now(), leaseMs))) {
            error = { code: 'lease_lost', message: 'another run took over this integration: stopped' };
            stop.abort();
            return;
          }
          await updateRunProgress(ctx.db, runId, counts, nowIso());
        } catch (err) {
          log.warn({ err, runId }, 'sync heartbeat failed');
        } finally {
          beating = false;
        }
      })();
    },
    Math.max(50, Math.floor(leaseMs / 4)),
  );
  heartbeat.unref();

  try {
    const interrupted = await markInterruptedRuns(ctx.db, integrationId, runId, startedAt);
    if (interrupted > 0) log.warn({ integrationId, interrupted }, 'earlier sync runs were interrupted');
    await insertRun(ctx.db, { id: runId, integrationId, trigger, now: startedAt });
    endBulkWrites = await beginBulkWrites(ctx.db, ctx.engine);

    const client = ctx.openSesameClient(connectionOf(ctx.secrets, integration));
    // The real client keeps a keep-alive pool per instance: free it when the run ends.
    const closable = client as Partial<{ close(): Promise<void> }>;
    if (typeof closable.close === 'function') closeClient = () => closable.close!();
    const scope = {
      runId,
      integrationId,
      groupId: integration.group_id,
      seen: new Set<string>(),
      pending: new Set<string>(),
      hasHold: integration.archive_hold_run_id !== null,
      now: nowIso,
      engine: ctx.engine,
    };
    const listing: AsyncIterable<CataloguePage> = client.listCatalogue({ signal: stop.signal });
    // Pages are written in batches (up to BATCH_ITEMS courses or BATCH_MS of listing, whichever
    // comes first): one transaction per batch keeps commits few on a big catalogue, and a batch is
    // still all or nothing, so a kill at any point leaves whole batches behind. Batch N is planned
    // (looked up, then mapped in the worker) before batch N-1 is written, so the worker maps while
    // this thread writes; the last planned batch is written when the listing ends.
    let buffer: unknown[] = [];
    let bufferedSince = Date.now();
    let planned: PagePlan | undefined;
    const write = async () => {
      const plan = planned;
      planned = undefined;
      if (!plan) return;
      const c = await writePlan(ctx.db, scope, plan);
      for (const k of COUNTED) counts[k] += c[k];
      courseRowsWritten += c.courseRowsWritten;
      options.onProgress?.({ ...counts, page: pages });
    };
    const flush = async () => {
      if (buffer.length === 0) return;
      const items = buffer;
      buffer = [];
      const stored = await lookUpPage(ctx.db, scope, items);
      const planning = planPage(scope, items, stored, mapper);
      planning.catch(() => undefined); // awaited below; not "unhandled" if the write fails first
      // The previous batch is written while the worker maps this one.
      await write();
      planned = await planning;
    };
    let listingError: unknown;
    try {
      for await (const page of withLookahead(listing)) {
        if (stop.signal.aborted) break;
        pages += 1;
        if (buffer.length === 0) bufferedSince = Date.now();
        for (const item of page.items) buffer.push(item);
        if (buffer.length >= BATCH_ITEMS || Date.now() - bufferedSince >= BATCH_MS) await flush();
      }
    } catch (err) {
      listingError = err;
    }
    // What was listed before a failure is still good data; only a lost lease forbids writing.
    if (error?.code !== 'lease_lost') {
      await flush();
      await write();
    }
    if (listingError !== undefined) throw listingError;
    if (stop.signal.aborted) {
      error ??= { code: 'aborted', message: 'the run was stopped before the listing ended' };
    } else {
      listingComplete = true;
      const absent = await archiveAbsent(ctx.db, {
        integrationId,
        runId,
        threshold: integration.mass_archive_threshold,
        seen: scope.seen,
        now: nowIso,
      });
      counts.archived += absent.archived;
      counts.held_archives = absent.held;
      courseRowsWritten += absent.courseRowsWritten;
      options.onProgress?.({ ...counts, page: pages });
    }
  } catch (err) {
    error ??= stop.signal.aborted ? { code: 'aborted', message: 'the run was stopped' } : describeError(err);
  } finally {
    clearInterval(heartbeat);
    await closeClient?.().catch(() => undefined);
    await mapper.close();
    // Still in bulk mode: SQLite's analysis reads whole tables, through the small bulk page cache
    // rather than search's 64 MiB one (which it would fill with pages of no use to readers).
    if (courseRowsWritten > 0)
      await refreshSearchAfterBulkWrites(ctx.db, ctx.engine).catch((err: unknown) =>
        log.warn({ err, runId }, 'search statistics refresh failed'),
      );
    // Part of the run's time: the WAL written by the run goes into the database file here.
    await endBulkWrites?.().catch((err: unknown) => log.warn({ err, runId }, 'WAL checkpoint failed'));
    options.signal?.removeEventListener('abort', onAbort);
  }

  const status = error ? 'failed' : 'succeeded';
  const finishedAt = nowIso();
  try {
    await finishRun(ctx.db, runId, { status, counts, listingComplete, error, now: finishedAt });
  } catch (err) {
    log.error({ err, runId }, 'could not record the end of the sync run');
  }
  if (error?.code !== 'lease_lost')
    await releaseSyncLock(ctx.db, integrationId, runId).catch(() => undefined);

  const summary: SyncSummary = {
    status,
    runId,
    integrationId,
    trigger,
    startedAt,
    finishedAt,
    durationMs: Date.now() - started,
    listingComplete,
    pages,
    counts,
    courseRowsWritten,
    ...(error ? { error } : {}),
  };
  const line = {
    runId,
    integrationId,
    trigger,
    status,
    durationMs: summary.durationMs,
    pages,
    ...counts,
    error,
  };
  if (error) log.warn(line, 'sync run failed');
  else log.info(line, 'sync run finished');
  return summary;
}
