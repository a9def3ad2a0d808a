// The record of every sync run and its per-course problems.
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { SyncRunsTable, SyncTrigger } from '../db/schema.js';
import type { SyncErrorSeverity } from './catalog.tables.js';

export type SyncRun = Selectable<SyncRunsTable>;

export type RunCounts = {
  listed: number;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  restored: number;
  rejected: number;
  held_archives: number;
};

export const ZERO_COUNTS: RunCounts = {
  listed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  archived: 0,
  restored: 0,
  rejected: 0,
  held_archives: 0,
};

export async function insertRun(
  db: Db,
  run: { id: string; integrationId: string; trigger: SyncTrigger; now: string },
): Promise<void> {
  await db
    .insertInto('sync_runs')
    .values({
      id: run.id,
      integration_id: run.integrationId,
      trigger: run.trigger,
      status: 'running',
      started_at: run.now,
      heartbeat_at: run.now,
      listing_complete: 0,
      ...ZERO_COUNTS,
    })
    .execute();
}

/** Progress and heartbeat in one write, so that a killed run still shows how far it got. */
export async function updateRunProgress(db: Db, id: string, counts: RunCounts, now: string): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({ ...counts, heartbeat_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function finishRun(
  db: Db,
  id: string,
  outcome: {
    status: 'succeeded' | 'failed';
    counts: RunCounts;
    listingComplete: boolean;
    error?: { code: string; message: string } | undefined;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      ...outcome.counts,
      status: outcome.status,
      listing_complete: outcome.listingComplete ? 1 : 0,
      finished_at: outcome.now,
      heartbeat_at: outcome.now,
      error_code: outcome.error?.code ?? null,
      error_message: outcome.error?.message ?? null,
    })
    .where('id', '=', id)
    .execute();
}

/** Runs still 'running' that no live process owns any more (their lease is gone): marked failed. */
export async function markInterruptedRuns(
  db: Db,
  integrationId: string,
  exceptRunId: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('sync_runs')
    .set({
      status: 'failed',
      finished_at: now,
      error_code: 'interrupted',
      error_message: 'the run stopped without finishing (process killed or lease lost)',
    })
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'running')
    .where('id', '!=', exceptRunId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type RunIssue = {
  externalId: string | null;
  code: string;
  message: string;
  severity: SyncErrorSeverity;
};

export async function insertRunErrors(db: Db, runId: string, issues: readonly RunIssue[]): Promise<void> {
  if (issues.length === 0) return;
  await db
    .insertInto('sync_run_errors')
    .values(
      issues.map((i) => ({
        run_id: runId,
        external_id: i.externalId,
        code: i.code,
        message: i.message.slice(0, 1000),
        severity: i.severity,
      })),
    )
    .execute();
}

export async function getRun(db: Db, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRuns(
  db: Db,
  options: { integrationId?: string | undefined; limit?: number | undefined } = {},
): Promise<SyncRun[]> {
  let q = db
    .selectFrom('sync_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 20);
  if (options.integrationId) q = q.where('integration_id', '=', options.integrationId);
  return q.execute();
}

/** The last succeeded run's listing size: the CLI's progress bar uses it as its expected total. */
export async function lastListedCount(db: Db, integrationId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('sync_runs')
    .select('listed')
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'succeeded')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.listed;
}

export async function listRunErrors(db: Db, runId: string) {
  return db
    .selectFrom('sync_run_errors')
    .select(['external_id', 'code', 'message', 'severity'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}
