// The sync engine against the real sandbox over loopback, with the real client (short retry delays),
// on both engines: catalogue changes made through the sandbox and each of its fault knobs.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestContext, type TestContext } from '../helpers/engines.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';
import { createOpenSesameClient } from '../../src/opensesame/opensesame.client.js';
import { createLogger } from '../../src/logger.js';
import { runSync, type SyncSummary } from '../../src/catalog/catalog.sync.js';
import { createIntegrationFor } from '../helpers/integration.js';
import { mapCourse } from '../../src/catalog/catalog.mapping.js';
import type { FaultKnobs } from '../../sandbox/sandbox.faults.js';

const COURSES = 120;

forEachEngine('catalog sync against the sandbox', (engine) => {
  let sandbox: Sandbox;
  let t: TestContext;
  let integrationId: string;

  before(async () => {
    sandbox = await startSandbox({ courses: COURSES, seed: 42 });
    const log = createLogger('silent');
    t = await createTestContext(
      engine,
      {},
      {
        openSesameClient: (connection) =>
          createOpenSesameClient(connection, {
            pageSize: 10,
            log,
            attempts: 3,
            baseDelayMs: 5,
            maxDelayMs: 20,
            maxRetryAfterMs: 1000,
          }),
      },
    );
  });
  after(async () => {
    await t.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    sandbox.reset();
    integrationId = (
      await createIntegrationFor(t.ctx, sandbox.connection, { groupName: `g-${Math.random()}` })
    ).id;
  });

  const sync = async (): Promise<Extract<SyncSummary, { status: 'succeeded' | 'failed' }>> => {
    const s = await runSync(t.ctx, integrationId, { trigger: 'manual' });
    assert.notEqual(s.status, 'refused');
    return s as Extract<SyncSummary, { status: 'succeeded' | 'failed' }>;
  };
  const courses = () =>
    t.ctx.db
      .selectFrom('courses')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .orderBy('external_id')
      .execute();
  const course = async (externalId: string) => (await courses()).find((c) => c.external_id === externalId)!;
  const expected = () => {
    const items = sandbox.catalogue.slice(0, sandbox.catalogue.size());
    return { listed: items.length, valid: items.filter((i) => mapCourse(i).ok).length };
  };
  const someActiveId = () => {
    const item = sandbox.catalogue.slice(0, COURSES).find((i) => {
      const m = mapCourse(i);
      return m.ok && m.course.active;
    });
    return String(item!.id);
  };
  const assertComplete = async (s: Awaited<ReturnType<typeof sync>>) => {
    assert.equal(s.status, 'succeeded', JSON.stringify(s.error));
    assert.equal(s.listingComplete, true);
    const e = expected();
    assert.equal(s.counts.listed, e.listed);
    const rows = await courses();
    assert.equal(rows.length, e.valid);
    assert.equal(new Set(rows.map((r) => r.external_id)).size, rows.length);
  };

  describe('catalogue changes', () => {
    it('first sync stores every valid course, rejects the broken ones, and a re-sync is a no-op', async () => {
      const first = await sync();
      await assertComplete(first);
      assert.equal(first.counts.created + first.counts.rejected, COURSES);
      assert.ok(first.counts.rejected > 0, 'the sandbox generates a few broken items');
      const inactive = (await courses()).filter((c) => c.archived);
      assert.ok(inactive.length > 0 && inactive.every((c) => c.archived_reason === 'inactive'));
      const again = await sync();
      assert.equal(again.courseRowsWritten, 0);
      assert.equal(again.counts.unchanged, first.counts.created);
    });

    it('an edit in the sandbox updates exactly that course on the next sync', async () => {
      await sync();
      const id = someActiveId();
      sandbox.catalogue.edit(id, { title: 'Edited in the sandbox', categories: ['|New|Leaf'] });
      const s = await sync();
      assert.deepEqual([s.counts.updated, s.courseRowsWritten], [1, 1]);
      const row = await course(id);
      assert.equal(row.name, 'Edited in the sandbox');
      assert.deepEqual(JSON.parse(row.subjects), ['New', 'Leaf']);
    });

    it('a retired course is archived and restored when it comes back', async () => {
      await sync();
      const id = someActiveId();
      sandbox.catalogue.retire(id);
      assert.equal((await sync()).counts.archived, 1);
      assert.deepEqual([(await course(id)).archived, (await course(id)).archived_reason], [1, 'inactive']);
      sandbox.catalogue.edit(id, { active: 'true' });
      assert.equal((await sync()).counts.restored, 1);
      assert.equal((await course(id)).archived, 0);
    });

    it('a course removed from a complete listing is archived; from a failed listing it is kept', async () => {
      await sync();
      const id = someActiveId();
      const item = sandbox.catalogue.get(id)!;
      sandbox.catalogue.remove(id);
      sandbox.faults.set({ serverErrors: 1000 });
      const failed = await sync();
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'retries_exhausted');
      assert.equal((await course(id)).archived, 0);
      sandbox.faults.reset();
      const ok = await sync();
      assert.equal(ok.counts.archived, 1);
      assert.deepEqual([(await course(id)).archived, (await course(id)).archived_reason], [1, 'absent']);
      sandbox.catalogue.add(item);
      assert.equal((await sync()).counts.restored, 1);
    });
  });

  describe('fault knobs', () => {
    it('tokens revoked mid-run: the client signs in again and the run completes', async () => {
      // Twelve pages of 150 ms each; every token dies a third of the way through.
      sandbox.faults.set({ slow: 100, delayMs: 150 });
      const timer = setTimeout(() => sandbox.invalidateTokens(), 400);
      const s = await runSync(t.ctx, integrationId, { trigger: 'manual' });
      clearTimeout(timer);
      assert.equal(s.status, 'succeeded');
      assert.ok(sandbox.stats().statuses['401']! >= 1);
      assert.ok(sandbox.stats().token >= 2);
    });

    const recovers: Array<[string, Partial<FaultKnobs>]> = [
      ['429 with Retry-After', { rateLimit: 2, retryAfter: '0' }],
      ['a burst of 5xx', { serverErrors: 2, serverErrorStatus: 502 }],
      ['5xx on the token endpoint', { serverErrors: 2, target: 'token' }],
      ['slow responses', { slow: 3, delayMs: 150 }],
      ['a body cut short', { cutBody: 1 }],
      ['tokens that expire mid-run', { tokenTtlSeconds: 1, slow: 100, delayMs: 250 }],
      ['cursor-style next', { nextStyle: 'cursor' }],
      ['last page: next null', { lastPage: 'null' }],
      ['last page: next absent', { lastPage: 'absent' }],
      ['last page: no paging', { lastPage: 'no-paging' }],
      ['last page: one more empty page', { lastPage: 'empty-page' }],
    ];
    for (const [name, knobs] of recovers) {
      it(`${name}: the run completes with the whole catalogue`, async () => {
        sandbox.faults.set(knobs);
        await assertComplete(await sync());
        // The faults really happened (the knobs wear off as they are used).
        if (knobs.tokenTtlSeconds) assert.ok(sandbox.stats().token >= 2, 'a new token was needed mid-run');
        else if (knobs.rateLimit) assert.equal(sandbox.stats().statuses['429'], knobs.rateLimit);
        else if (knobs.serverErrors)
          assert.equal(sandbox.stats().statuses[String(knobs.serverErrorStatus ?? 503)], 2);
      });
    }

    const fails: Array<[string, Partial<FaultKnobs>, string]> = [
      ['5xx until retries run out', { serverErrors: 1000 }, 'retries_exhausted'],
      ['429 until retries run out', { rateLimit: 1000, retryAfter: '0' }, 'retries_exhausted'],
      ['a next that loops', { loopNext: true }, 'paging_loop'],
    ];
    for (const [name, knobs, code] of fails) {
      it(`${name}: the run fails with ${code} and archives nothing`, async () => {
        await sync();
        const before = (await courses()).filter((c) => c.archived).length;
        sandbox.catalogue.remove(someActiveId());
        sandbox.faults.set(knobs);
        const s = await sync();
        assert.equal(s.status, 'failed');
        assert.equal(s.error?.code, code);
        assert.match(s.error?.message ?? '', /OpenSesame/);
        assert.equal(s.listingComplete, false);
        assert.equal((await courses()).filter((c) => c.archived).length, before);
        const run = await t.ctx.db
          .selectFrom('sync_runs')
          .selectAll()
          .where('id', '=', s.runId)
          .executeTakeFirstOrThrow();
        assert.deepEqual([run.status, run.error_code], ['failed', code]);
      });
    }
  });
});
