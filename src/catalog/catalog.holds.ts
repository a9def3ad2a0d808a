// Courses missing from a complete listing, and the mass-archive brake: when a single listing would
// archive more than the integration's share of its active courses (default 20 %), those archives are
// held for an admin to confirm or reject instead of being applied.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Db } from '../db/db.js';
import { Conflict, NotFound } from '../errors.js';
import { getIntegration, updateIntegration } from '../integrations/integrations.repository.js';
import { acquireSyncLock, releaseSyncLock } from './catalog.lock.js';
import {
  archiveCourses,
  clearHeldArchives,
  countActiveCourses,
  listActiveCourseKeys,
  listHeldCourseIds,
  replaceHeldArchives,
} from './catalog.repository.js';

const BATCH = 500;

export type AbsentOutcome = { archived: number; held: number; courseRowsWritten: number };

/** Active courses of the integration whose external id the (complete) listing did not contain. */
async function findAbsent(db: Db, integrationId: string, seen: ReadonlySet<string>): Promise<string[]> {
  const absent: string[] = [];
  let after: string | null = null;
  for (;;) {
    const keys = await listActiveCourseKeys(db, integrationId, after, 1000);
    for (const k of keys) if (!seen.has(k.external_id)) absent.push(k.id);
    if (keys.length < 1000) return absent;
    after = keys[keys.length - 1]!.external_id;
  }
}

export async function archiveAbsent(
  db: Db,
  scope: {
    integrationId: string;
    runId: string;
    threshold: number;
    seen: ReadonlySet<string>;
    now: () => string;
  },
): Promise<AbsentOutcome> {
  const absent = await findAbsent(db, scope.integrationId, scope.seen);
  const active = await countActiveCourses(db, scope.integrationId);
  if (absent.length > 0 && absent.length > scope.threshold * active) {
    await db.transaction().execute(async (trx) => {
      await replaceHeldArchives(trx, scope.integrationId, scope.runId, absent, scope.now());
      await updateIntegration(trx, scope.integrationId, {
        archive_hold_run_id: scope.runId,
        updated_at: scope.now(),
      });
    });
    return { archived: 0, held: absent.length, courseRowsWritten: 0 };
  }
  let archived = 0;
  for (let i = 0; i < absent.length; i += BATCH) {
    archived += await archiveCourses(db, absent.slice(i, i + BATCH), 'absent', scope.now());
  }
  // Under the brake's share: any earlier hold is settled by this complete listing.
  const integration = await getIntegration(db, scope.integrationId);
  if (integration?.archive_hold_run_id) {
    await db.transaction().execute(async (trx) => {
      await clearHeldArchives(trx, scope.integrationId);
      await updateIntegration(trx, scope.integrationId, {
        archive_hold_run_id: null,
        updated_at: scope.now(),
      });
    });
  }
  return { archived, held: 0, courseRowsWritten: archived };
}

/** Runs `fn` while holding the integration's sync lease, so that no run replaces the hold meanwhile. */
async function withLease<T>(ctx: AppContext, integrationId: string, fn: () => Promise<T>): Promise<T> {
  const integration = await getIntegration(ctx.db, integrationId);
  if (!integration) throw NotFound('integration_not_found', `No integration ${integrationId}`);
  const leaseId = `hold:${crypto.randomUUID()}`;
  const lock = await acquireSyncLock(ctx.db, integrationId, leaseId, ctx.clock.now(), 60_000);
  if (!lock.acquired)
    throw Conflict('sync_already_running', 'A sync of this integration is running; try again when it ends', {
      runId: lock.runId,
    });
  try {
    return await fn();
  } finally {
    await releaseSyncLock(ctx.db, integrationId, leaseId);
  }
}

/** Applies the held archives (reason 'absent'), then lifts the hold. */
export async function confirmHeldArchives(
  ctx: AppContext,
  integrationId: string,
): Promise<{ archived: number }> {
  return withLease(ctx, integrationId, async () => {
    const now = ctx.clock.now().toISOString();
    const ids = await listHeldCourseIds(ctx.db, integrationId);
    let archived = 0;
    await ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < ids.length; i += BATCH)
        archived += await archiveCourses(trx, ids.slice(i, i + BATCH), 'absent', now);
      await clearHeldArchives(trx, integrationId);
      await updateIntegration(trx, integrationId, { archive_hold_run_id: null, updated_at: now });
    });
    ctx.log.info({ area: 'catalog', integrationId, archived }, 'held archives confirmed');
    return { archived };
  });
}

/**
 * Drops the held archives and lifts the hold: the courses stay active. The next complete listing
 * decides again (and holds again if they are still missing).
 */
export async function rejectHeldArchives(
  ctx: AppContext,
  integrationId: string,
): Promise<{ released: number }> {
  return withLease(ctx, integrationId, async () => {
    const now = ctx.clock.now().toISOString();
    let released = 0;
    await ctx.db.transaction().execute(async (trx) => {
      released = (await listHeldCourseIds(trx, integrationId)).length;
      await clearHeldArchives(trx, integrationId);
      await updateIntegration(trx, integrationId, { archive_hold_run_id: null, updated_at: now });
    });
    ctx.log.info({ area: 'catalog', integrationId, released }, 'held archives rejected');
    return { released };
  });
}
