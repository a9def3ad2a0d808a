// The embedded sandbox keeps its port across restarts (remembered in `settings`), so launch URLs do
// not change and a re-sync after a restart writes nothing.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.js';
import { getSetting } from '../../src/integrations/integrations.repository.js';
import { resolveDefaultConnection, SANDBOX_PORT_SETTING } from '../../src/opensesame/opensesame.defaults.js';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';

forEachEngine('embedded sandbox port', (engine) => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext(engine, { SANDBOX_COURSES: '5' });
  });
  after(() => t.close());

  /** A "process start": the test context's database, its own destroy hooks. */
  const start = async () => {
    const hooks: Array<() => Promise<void> | void> = [];
    const ctx = { ...t.ctx, onDestroy: (fn: () => Promise<void> | void) => void hooks.push(fn) };
    const connection = await resolveDefaultConnection(ctx as AppContext);
    return { url: connection.apiUrl, stop: async () => Promise.all(hooks.map((h) => h())) };
  };

  it('reuses the first port after a restart, and takes a free one while it is busy', async () => {
    const first = await start();
    const port = new URL(first.url).port;
    assert.equal(await getSetting(t.ctx.db, SANDBOX_PORT_SETTING), port);
    // A second process while the first still runs: another port, the remembered one unchanged.
    const beside = await start();
    assert.notEqual(new URL(beside.url).port, port);
    await beside.stop();
    assert.equal(await getSetting(t.ctx.db, SANDBOX_PORT_SETTING), port);
    await first.stop();
    const restarted = await start();
    try {
      assert.equal(restarted.url, first.url);
    } finally {
      await restarted.stop();
    }
  });
});
