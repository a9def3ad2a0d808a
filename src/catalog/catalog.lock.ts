// One sync per integration at a time, across processes and on both engines: a lease row in
// sync_locks. Taken when absent or expired (one upsert), extended by a heartbeat, released at the
// end. A holder on this host whose process is gone (kill -9) is treated as expired at once, so a
// re-run after a crash does not wait for the lease to run out.
import os from 'node:os';
import type { Db } from '../db/db.js';

export const HOLDER = `${os.hostname()}:${process.pid}`;

export type LockResult = { acquired: true } | { acquired: false; runId: string; expiresAt: string };

function holderIsDeadHere(holder: string | null): boolean {
  if (!holder) return false;
  const i = holder.lastIndexOf(':');
  const host = holder.slice(0, i);
  const pid = Number(holder.slice(i + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function acquireSyncLock(
  db: Db,
  integrationId: string,
  runId: string,
  now: Date,
  leaseMs: number,
): Promise<LockResult> {
  const expiresAt = new Date(now.getTime() + leaseMs).toISOString();
  const take = (expiredBefore: string) =>
    db
      .insertInto('sync_locks')
      .values({ integration_id: integrationId, run_id: runId, expires_at: expiresAt, holder: HOLDER })
      .onConflict((oc) =>
        oc
          .column('integration_id')
          .doUpdateSet({ run_id: runId, expires_at: expiresAt, holder: HOLDER })
          .where('sync_locks.expires_at', '<', expiredBefore),
      )
      .execute();
  await take(now.toISOString());
  let row = await db
    .selectFrom('sync_locks')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
  if (row && row.run_id !== runId && holderIsDeadHere(row.holder)) {
    // Take over from a dead local holder: only if the row still names it (compare-and-set).
    await db
      .updateTable('sync_locks')
      .set({ run_id: runId, expires_at: expiresAt, holder: HOLDER })
      .where('integration_id', '=', integrationId)
      .where('run_id', '=', row.run_id)
      .execute();
    row = await db
      .selectFrom('sync_locks')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .executeTakeFirst();
  }
  if (row?.run_id === runId) return { acquired: true };
  return { acquired: false, runId: row?.run_id ?? '', expiresAt: row?.expires_at ?? '' };
}

/** Extends the lease; false means another run took it (this one must stop writing). */
export async function extendSyncLock(
  db: Db,
  integrationId: string,
  runId: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('sync_locks')
    .set({ expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where('integration_id', '=', integrationId)
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseSyncLock(db: Db, integrationId: string, runId: string): Promise<void> {
  await db
    .deleteFrom('sync_locks')
    .where('integration_id', '=', integrationId)
    .where('run_id', '=', runId)
    .execute();
}
