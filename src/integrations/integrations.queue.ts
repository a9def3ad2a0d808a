// Sync jobs on PostgreSQL go through pg-boss (DESIGN.md, Scale): any instance sends, whichever
// worker is free runs it. A scheduled job's id is derived from "integration@due time", so even if
// two instances got past the claim they would insert the same job once (ON CONFLICT DO NOTHING).
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { AppContext } from '../context.js';
import type { SyncTrigger } from '../db/schema.js';
import { runTracked, type Dispatcher, type SyncRequest } from './integrations.jobs.js';

export const SYNC_QUEUE = 'opensesame-sync';
/** pg-boss keeps its tables in their own schema, apart from ours. */
export const BOSS_SCHEMA = 'pgboss';

export type QueueOptions = {
  /** How often an idle worker polls (pg-boss minimum 0.5 s); tests shorten it. */
  pollingIntervalSeconds?: number;
};

type JobData = { integrationId: string; trigger: SyncTrigger };

export type Queue = { send: Dispatcher; stop(): Promise<void> };

export async function startQueue(ctx: AppContext, options: QueueOptions = {}): Promise<Queue> {
  if (ctx.config.database.engine !== 'postgres') throw new Error('The job queue needs PostgreSQL');
  const log = ctx.log.child({ area: 'queue' });
  const boss = new PgBoss({
    connectionString: ctx.config.database.url,
    schema: BOSS_SCHEMA,
    max: 3,
    // We schedule ourselves (from the context clock, with missed-run catch-up); pg-boss only queues.
    schedule: false,
    application_name: 'sesame-bridge-queue',
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  const started = Date.now();
  await boss.start();
  // Idempotent: every instance calls it at start.
  await boss.createQueue(SYNC_QUEUE, {
    name: SYNC_QUEUE,
    policy: 'standard',
    retryLimit: 1,
    retryDelay: 60,
    // A large catalogue takes minutes; the sync engine's lease, not pg-boss, guards concurrency.
    expireInSeconds: 4 * 3600,
  });
  await boss.work<JobData>(
    SYNC_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
    async (jobs) => {
      for (const job of jobs) await runTracked(ctx, job.data.integrationId, job.data.trigger);
    },
  );
  log.info({ ms: Date.now() - started, schema: BOSS_SCHEMA }, 'job queue started');

  const send: Dispatcher = async (request: SyncRequest) => {
    const data: JobData = { integrationId: request.integrationId, trigger: request.trigger };
    const id = request.key ? uuidFromKey(request.key) : crypto.randomUUID();
    const sent = await boss.send(SYNC_QUEUE, data, { id });
    if (!sent) log.debug({ key: request.key }, 'sync job already queued');
  };
  return {
    send,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** A stable UUID (v4 layout) from a key, so the same scheduled time makes the same job id. */
export function uuidFromKey(key: string): string {
  const h = crypto.createHash('sha256').update(key).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
