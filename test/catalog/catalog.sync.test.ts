// The sync engine on both engines, against an in-test client (exact control over pages and faults).
import { after, before, beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestContext, type TestContext } from '../helpers/engines.js';
import { runSync } from '../../src/catalog/catalog.sync.js';
import { confirmHeldArchives, rejectHeldArchives } from '../../src/catalog/catalog.holds.js';
import { createIntegrationFor } from '../helpers/integration.js';
import { listRunErrors, listRuns } from '../../src/catalog/sync-runs.repository.js';
import { getIntegration } from '../../src/integrations/integrations.repository.js';
import { fakeCatalogue, fakeClientFactory, fakeItem, type FakeCatalogue } from './fake-client.js';

const CONNECTION = {
  apiUrl: 'https://api.example.com',
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'id',
  clientSecret: 'secret',
  customerIntegrationId: 'ciid',
};

forEachEngine('catalog sync engine', (engine) => {
  let t: TestContext;
  let cat: FakeCatalogue;
  let integrationId: string;

  before(async () => {
    cat = fakeCatalogue(0);
    t = await createTestContext(engine, {}, { openSesameClient: fakeClientFactory(cat) });
  });
  after(() => t.close());
  beforeEach(async () => {
    cat.items = [];
    cat.failAtPage = undefined;
    cat.holdPage = undefined;
    cat.pageSize = 10;
    integrationId = (await createIntegrationFor(t.ctx, CONNECTION, { groupName: `g-${Math.random()}` })).id;
  });

  const courses = () =>
    t.ctx.db
      .selectFrom('courses')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .orderBy('external_id')
      .execute();
  const sync = async () => {
    const s = await runSync(t.ctx, integrationId, { trigger: 'manual' });
    assert.notEqual(s.status, 'refused');
    return s as Extract<typeof s, { status: 'succeeded' | 'failed' }>;
  };

  it('first sync creates every course in the group catalog; a re-sync writes nothing', async () => {
    cat.items = fakeCatalogue(25).items;
    cat.items.push(fakeItem(26, { quickLaunchUrl: 'http://insecure' }));
    const first = await sync();
    assert.equal(first.status, 'succeeded');
    assert.deepEqual(
      [first.counts.listed, first.counts.created, first.counts.rejected, first.pages],
      [26, 25, 1, 3],
    );
    assert.equal(first.courseRowsWritten, 25);
    const rows = await courses();
    assert.equal(rows.length, 25);
    assert.equal(rows[0]!.lang, 'en');
    assert.deepEqual(JSON.parse(rows[0]!.subjects), ['Compliance', 'Safety']);
    const integration = await getIntegration(t.ctx.db, integrationId);
    const entries = await t.ctx.db
      .selectFrom('catalog_entries')
      .select('course_id')
      .where('group_id', '=', integration!.group_id)
      .execute();
    assert.equal(entries.length, 25);
    const errors = await listRunErrors(t.ctx.db, first.runId);
    assert.deepEqual(
      errors.map((e) => [e.external_id, e.code, e.severity]),
      [['c-00026', 'invalid_launch_url', 'error']],
    );

    const before = rows.map((r) => r.updated_at);
    const again = await sync();
    assert.equal(again.counts.unchanged, 25);
    assert.equal(again.courseRowsWritten, 0);
    assert.deepEqual(
      (await courses()).map((r) => r.updated_at),
      before,
    );
    const [latest] = await listRuns(t.ctx.db, { integrationId, limit: 1 });
    assert.equal(latest!.id, again.runId);
    assert.equal(latest!.status, 'succeeded');
    assert.equal(latest!.listing_complete, 1);
  });

  it('an edit updates exactly that course and keeps hand-added tags', async () => {
    cat.items = fakeCatalogue(12).items;
    await sync();
    await t.ctx.db
      .updateTable('courses')
      .set({ local_tags: '["mine"]' })
      .where('external_id', '=', 'c-00003')
      .execute();
    cat.items[2] = { ...cat.items[2], title: 'Renamed' };
    const s = await sync();
    assert.deepEqual([s.counts.updated, s.counts.unchanged, s.courseRowsWritten], [1, 11, 1]);
    const row = (await courses()).find((r) => r.external_id === 'c-00003')!;
    assert.equal(row.name, 'Renamed');
    assert.equal(row.local_tags, '["mine"]');
  });

  it('active=false archives (inactive) and active again restores', async () => {
    cat.items = fakeCatalogue(10).items;
    await sync();
    cat.items[0] = { ...cat.items[0], active: 'false' };
    const s1 = await sync();
    assert.equal(s1.counts.archived, 1);
    let row = (await courses())[0]!;
    assert.deepEqual([row.archived, row.archived_reason], [1, 'inactive']);
    cat.items[0] = { ...cat.items[0], active: 1 };
    const s2 = await sync();
    assert.equal(s2.counts.restored, 1);
    row = (await courses())[0]!;
    assert.deepEqual([row.archived, row.archived_reason, row.archived_at], [0, null, null]);
  });

  it('absent from a complete listing → archived; from a failed listing → kept; back → restored', async () => {
    cat.items = fakeCatalogue(30).items;
    await sync();
    cat.items = cat.items.filter((i) => i.id !== 'c-00030');
    cat.failAtPage = 3;
    const failed = await sync();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'retries_exhausted');
    assert.match(failed.error?.message ?? '', /OpenSesame catalogue listing failed/);
    assert.equal(failed.listingComplete, false);
    assert.equal((await courses()).filter((r) => r.archived).length, 0);

    cat.failAtPage = undefined;
    const ok = await sync();
    assert.equal(ok.counts.archived, 1);
    const gone = (await courses()).find((r) => r.external_id === 'c-00030')!;
    assert.deepEqual([gone.archived, gone.archived_reason], [1, 'absent']);

    cat.items.push(fakeItem(30));
    const back = await sync();
    assert.equal(back.counts.restored, 1);
    assert.equal((await courses()).filter((r) => r.archived).length, 0);
  });

  it('a sync restores courses archived by a deactivation', async () => {
    cat.items = fakeCatalogue(5).items;
    await sync();
    await t.ctx.db
      .updateTable('courses')
      .set({ archived: 1, archived_reason: 'deactivated', archived_at: new Date().toISOString() })
      .where('integration_id', '=', integrationId)
      .execute();
    const s = await sync();
    assert.equal(s.counts.restored, 5);
  });

  it('the mass-archive brake holds archives; reject keeps the courses, confirm archives them', async () => {
    cat.items = fakeCatalogue(20).items;
    await sync();
    cat.items = cat.items.slice(0, 10); // half the catalogue gone: over the 20 % share
    const held = await sync();
    assert.equal(held.status, 'succeeded');
    assert.deepEqual([held.counts.archived, held.counts.held_archives], [0, 10]);
    let integration = await getIntegration(t.ctx.db, integrationId);
    assert.equal(integration!.archive_hold_run_id, held.runId);
    assert.equal((await courses()).filter((r) => r.archived).length, 0);

    assert.deepEqual(await rejectHeldArchives(t.ctx, integrationId), { released: 10 });
    integration = await getIntegration(t.ctx.db, integrationId);
    assert.equal(integration!.archive_hold_run_id, null);
    assert.equal((await courses()).filter((r) => r.archived).length, 0);

    const heldAgain = await sync();
    assert.equal(heldAgain.counts.held_archives, 10);
    // One of them comes back before the admin decides: it leaves the hold.
    cat.items.push(fakeItem(11));
    const partial = await sync();
    assert.equal(partial.counts.held_archives, 9);
    assert.deepEqual(await confirmHeldArchives(t.ctx, integrationId), { archived: 9 });
    const rows = await courses();
    assert.equal(rows.filter((r) => r.archived).length, 9);
    assert.ok(rows.filter((r) => r.archived).every((r) => r.archived_reason === 'absent'));
    integration = await getIntegration(t.ctx.db, integrationId);
    assert.equal(integration!.archive_hold_run_id, null);
    const count = await t.ctx.db
      .selectFrom('held_archives')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('two concurrent runs: the second is refused with sync_already_running', async () => {
    cat.items = fakeCatalogue(30).items;
    let release!: () => void;
    cat.holdPage = { page: 2, until: new Promise<void>((r) => (release = r)) };
    const first = runSync(t.ctx, integrationId, { trigger: 'manual' });
    await new Promise((r) => setTimeout(r, 100));
    const second = await runSync(t.ctx, integrationId, { trigger: 'manual' });
    assert.equal(second.status, 'refused');
    assert.equal(second.error?.code, 'sync_already_running');
    release();
    const done = await first;
    assert.equal(done.status, 'succeeded');
    const third = await runSync(t.ctx, integrationId, { trigger: 'manual' });
    assert.equal(third.status, 'succeeded');
  });

  it('a stale running run is marked interrupted by the next run', async () => {
    cat.items = fakeCatalogue(3).items;
    const now = new Date().toISOString();
    await t.ctx.db
      .insertInto('sync_runs')
      .values({
        id: 'dead-run',
        integration_id: integrationId,
        trigger: 'schedule',
        status: 'running',
        started_at: now,
        heartbeat_at: now,
        listing_complete: 0,
        listed: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        archived: 0,
        restored: 0,
        rejected: 0,
        held_archives: 0,
      })
      .execute();
    await t.ctx.db
      .insertInto('sync_locks')
      .values({
        integration_id: integrationId,
        run_id: 'dead-run',
        expires_at: new Date(Date.now() - 1000).toISOString(),
        holder: 'elsewhere:1',
      })
      .execute();
    const s = await sync();
    assert.equal(s.status, 'succeeded');
    const dead = await t.ctx.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('id', '=', 'dead-run')
      .executeTakeFirstOrThrow();
    assert.deepEqual([dead.status, dead.error_code], ['failed', 'interrupted']);
  });

  it('a deactivated integration is not synced', async () => {
    await t.ctx.db
      .updateTable('integrations')
      .set({ status: 'inactive' })
      .where('id', '=', integrationId)
      .execute();
    const s = await runSync(t.ctx, integrationId, { trigger: 'manual' });
    assert.equal(s.status, 'refused');
    assert.equal(s.error?.code, 'integration_inactive');
  });
});
