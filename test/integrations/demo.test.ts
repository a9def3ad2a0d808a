// The demo set-up on an empty database: seeds once, activates against the embedded sandbox (the
// default connection, no credentials given), runs the first sync; a second run does not reseed.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import { setupDemo } from '../../src/demo/demo.js';
import { showIntegration, syncNow } from '../../src/integrations/integrations.service.js';
import { waitForSyncs } from '../../src/integrations/integrations.jobs.js';

forEachEngine('demo', (engine) => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext(engine, { SANDBOX_COURSES: '12' });
  });
  after(() => t.close());

  it('seeds a company and activates its integration against the embedded sandbox, once', async () => {
    const first = await setupDemo(t.ctx);
    assert.equal(first.seededNow, true);
    assert.deepEqual(first.people.map((p) => p.role).sort(), [
      'admin',
      'author',
      'coach',
      'learner',
      'learner',
    ]);
    assert.equal(first.integration.status, 'active');
    assert.equal(first.integration.lastRun?.status, 'succeeded');
    assert.equal(first.integration.courses.live > 0, true);
    assert.equal(first.integration.xapi.scope, 'xapi:write');

    const users = await t.ctx.db.selectFrom('users').select('id').execute();
    const second = await setupDemo(t.ctx);
    assert.equal(second.seededNow, false);
    assert.equal(second.integration.id, first.integration.id);
    assert.equal((await t.ctx.db.selectFrom('users').select('id').execute()).length, users.length);
    assert.equal((await t.ctx.db.selectFrom('integrations').select('id').execute()).length, 1);
  });

  it('follows the embedded sandbox when it listens elsewhere (a restart without SANDBOX_PORT)', async () => {
    const row = await t.ctx.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('integrations')
      .set({ api_url: 'http://127.0.0.1:9', token_url: 'http://127.0.0.1:9/oauth2/token' })
      .execute();
    await syncNow(t.ctx, row.group_id, 'manual');
    await waitForSyncs(t.ctx);
    const view = await showIntegration(t.ctx, row.group_id);
    assert.equal(view.lastRun?.trigger, 'manual');
    assert.equal(view.lastRun?.status, 'succeeded');
    assert.equal(view.openSesame.apiUrl, (await t.ctx.openSesameDefaults()).apiUrl);
  });
});
