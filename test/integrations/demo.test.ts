// The demo set-up on an empty database: seeds once, activates against the embedded sandbox (the
// default connection, no credentials given), runs the first sync; a second run does not reseed.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import { setupDemo } from '../../src/demo/demo.js';

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
});
