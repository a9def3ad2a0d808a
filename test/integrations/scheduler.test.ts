// The scheduler against a real database and a fake clock: runs at 06:50 Paris on both 2026
// daylight-saving switch days, catches up a run missed while down, skips inactive integrations,
// and (PostgreSQL) two instances on one database run each scheduled sync once.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { fixedClock } from '../../src/clock.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { waitForSyncs } from '../../src/integrations/integrations.jobs.js';
import { createScheduler, startScheduler } from '../../src/integrations/integrations.scheduler.js';
import { createCompany, type Company } from './setup.js';
import type { SyncTrigger } from '../../src/db/schema.js';

async function runsBy(ctx: AppContext, trigger: SyncTrigger) {
  return ctx.db
    .selectFrom('sync_runs')
    .select(['status', 'started_at'])
    .where('trigger', '=', trigger)
    .execute();
}

async function lastScheduledFor(ctx: AppContext): Promise<string | null> {
  const row = await ctx.db.selectFrom('integrations').select('last_scheduled_for').executeTakeFirstOrThrow();
  return row.last_scheduled_for;
}

forEachEngine('integration scheduler', (engine) => {
  let c: Company;
  const clock = fixedClock('2026-03-28T12:00:00.000Z');
  before(async () => {
    c = await createCompany(engine, {}, { clock }, 5);
    const res = await c.t.app.inject({
      method: 'POST',
      url: c.url(),
      headers: c.admin.headers,
      payload: c.body(),
    });
    assert.equal(res.statusCode, 201, res.body);
    await waitForSyncs(c.t.ctx);
  });
  after(() => c.close());

  it('runs at 06:50 Paris on the spring-forward day: 04:50Z, once', async () => {
    const scheduler = createScheduler(c.t.ctx);
    assert.equal(await scheduler.tick(), 0, 'nothing due right after activation');
    assert.equal((await scheduler.nextWake())?.toISOString(), '2026-03-29T04:50:00.000Z');
    clock.set('2026-03-29T04:49:59.000Z');
    assert.equal(await scheduler.tick(), 0);
    clock.set('2026-03-29T04:50:00.000Z');
    assert.equal(await scheduler.tick(), 1);
    assert.equal(await scheduler.tick(), 0, 'a due time runs once');
    await waitForSyncs(c.t.ctx);
    const runs = await runsBy(c.t.ctx, 'schedule');
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, 'succeeded');
    assert.equal(await lastScheduledFor(c.t.ctx), '2026-03-29T04:50:00.000Z');
  });

  it('runs at 06:50 Paris on the fall-back day: 05:50Z, not 04:50Z', async () => {
    const scheduler = createScheduler(c.t.ctx);
    clock.set('2026-10-24T04:50:00.000Z');
    await scheduler.tick(); // the summer run of the day before (catch-up of the months between)
    assert.equal(await lastScheduledFor(c.t.ctx), '2026-10-24T04:50:00.000Z');
    clock.set('2026-10-25T04:50:00.000Z');
    assert.equal(await scheduler.tick(), 0, '04:50Z is 05:50 local in winter time');
    assert.equal((await scheduler.nextWake())?.toISOString(), '2026-10-25T05:50:00.000Z');
    clock.set('2026-10-25T05:50:00.000Z');
    assert.equal(await scheduler.tick(), 1);
    await waitForSyncs(c.t.ctx);
    assert.equal(await lastScheduledFor(c.t.ctx), '2026-10-25T05:50:00.000Z');
  });

  it('runs a sync missed while the service was down as soon as it starts (trigger startup)', async () => {
    // Down from Oct 25 to Oct 27 09:00Z: the 26th and 27th 05:50Z runs were missed; one run makes up.
    clock.set('2026-10-27T09:00:00.000Z');
    const config = { ...c.t.config, sync: { ...c.t.config.sync, schedulerEnabled: true } };
    const restarted = await createContext(config, { clock, log: createLogger('silent') });
    try {
      await startScheduler(restarted, { pollingIntervalSeconds: 0.5 });
      await waitUntil(async () => (await runsBy(restarted, 'startup')).some((r) => r.status !== 'running'));
      const runs = await runsBy(restarted, 'startup');
      assert.equal(runs.length, 1);
      assert.equal(await lastScheduledFor(restarted), '2026-10-27T05:50:00.000Z');
    } finally {
      await restarted.destroy();
    }
  });

  it('leaves inactive integrations alone', async () => {
    await c.t.app.inject({ method: 'POST', url: c.url('/deactivate'), headers: c.admin.headers });
    clock.set('2026-11-02T06:00:00.000Z');
    assert.equal(await createScheduler(c.t.ctx).tick(), 0);
    assert.equal(await createScheduler(c.t.ctx).nextWake(), null);
  });

  if (engine === 'postgres') {
    it('two instances on one database run each scheduled sync once (pg-boss)', async () => {
      const res = await c.t.app.inject({
        method: 'POST',
        url: c.url(),
        headers: c.admin.headers,
        payload: c.body(),
      });
      assert.equal(res.statusCode, 201, res.body);
      await waitForSyncs(c.t.ctx);
      const config = { ...c.t.config, sync: { ...c.t.config.sync, schedulerEnabled: true } };
      const clockA = fixedClock('2026-11-02T12:00:00.000Z');
      const clockB = fixedClock('2026-11-02T12:00:00.000Z');
      const a = await createContext(config, { clock: clockA, log: createLogger('silent') });
      const b = await createContext(config, { clock: clockB, log: createLogger('silent') });
      try {
        const started = Date.now();
        const [sa, sb] = await Promise.all([
          startScheduler(a, { pollingIntervalSeconds: 0.5 }),
          startScheduler(b, { pollingIntervalSeconds: 0.5 }),
        ]);
        assert.ok(Date.now() - started < 5000, 'pg-boss starts quickly');
        const before = (await runsBy(a, 'schedule')).length;
        for (const due of ['2026-11-03T05:50:00.000Z', '2026-11-04T05:50:00.000Z']) {
          clockA.set(due);
          clockB.set(due);
          const dispatched = await Promise.all([sa!.tick(), sb!.tick()]);
          assert.equal(dispatched[0]! + dispatched[1]!, 1, `one instance claims ${due}`);
          await waitUntil(async () => {
            const runs = await runsBy(a, 'schedule');
            return runs.some((r) => r.started_at >= due && r.status !== 'running');
          });
        }
        // Give a duplicate, if any, the time to show up before counting.
        await new Promise((r) => setTimeout(r, 1200));
        assert.equal((await runsBy(a, 'schedule')).length, before + 2);
      } finally {
        await Promise.all([a.destroy(), b.destroy()]);
      }
    });
  }
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
}
