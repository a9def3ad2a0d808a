// A sync that another instance started before a deactivation (so this one cannot abort it) must not
// leave courses live: its next batch sees the deactivation and stops the run (nothing of that batch
// is kept), and the run's end archives again whatever an earlier batch could have restored.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { runSyncFor, waitForSyncs } from '../../src/integrations/integrations.jobs.js';
import { deactivateIntegration } from '../../src/integrations/integrations.service.js';
import { createCompany, type Company } from './setup.js';

forEachEngine('sync overlapping a deactivation', (engine) => {
  let c: Company;
  before(async () => {
    c = await createCompany(engine, {}, {}, 10);
  });
  after(() => c.close());

  it('stops at its next batch and leaves every course archived', async () => {
    const res = await c.t.app.inject({
      method: 'POST',
      url: c.url(),
      headers: c.admin.headers,
      payload: c.body(),
    });
    assert.equal(res.statusCode, 201, res.body);
    await waitForSyncs(c.t.ctx);
    const integrationId = res.json().id as string;

    // "Another instance": a run this process does not track, slowed down at the listing.
    c.sandbox.faults.set({ slow: 1, delayMs: 600, target: 'content' });
    const run = runSyncFor(c.t.ctx, integrationId, { trigger: 'schedule' });
    await new Promise((r) => setTimeout(r, 150));
    const view = await deactivateIntegration(c.t.ctx, c.groupId);
    assert.equal(view.courses.live, 0);
    const summary = await run;
    assert.ok(summary.status === 'failed', summary.status);
    assert.equal(summary.error?.code, 'integration_deactivated');
    const live = await c.t.ctx.db
      .selectFrom('courses')
      .select('id')
      .where('integration_id', '=', integrationId)
      .where('archived', '=', 0)
      .execute();
    assert.equal(live.length, 0);
  });
});
