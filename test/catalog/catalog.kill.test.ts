// kill -9 in the middle of a sync (the real CLI in a child process, a sandbox with slow pages), then
// a re-run: the right final state, no duplicates, the killed run marked interrupted.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { forEachEngine, createTestContext, type TestContext } from '../helpers/engines.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';
import { mapCourse } from '../../src/catalog/catalog.mapping.js';
import { createIntegrationFor } from '../helpers/integration.js';

const COURSES = 600;

forEachEngine('catalog sync killed with -9', (engine) => {
  let sandbox: Sandbox;
  let t: TestContext;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    sandbox = await startSandbox({ courses: COURSES, seed: 9 });
    const c = sandbox.connection;
    const settings = {
      OPENSESAME_API_URL: c.apiUrl,
      OPENSESAME_TOKEN_URL: c.tokenUrl,
      OPENSESAME_CLIENT_ID: c.clientId,
      OPENSESAME_CLIENT_SECRET: c.clientSecret,
      OPENSESAME_CIID: c.customerIntegrationId,
    };
    t = await createTestContext(engine, settings);
    // `sync` works on activated integrations: make one the way the tests do.
    await createIntegrationFor(t.ctx, c);
    env = {
      ...process.env,
      ...t.database.env,
      ...settings,
      SECRET_KEY: t.config.secretKey ?? '',
      LOG_LEVEL: 'error',
      SCHEDULER_ENABLED: 'false',
    };
  });
  after(async () => {
    await t.close();
    await sandbox.close();
  });

  const cli = (...args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const count = async () => {
    const row = await t.ctx.db
      .selectFrom('courses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('a re-run after kill -9 mid-sync gives the full catalogue once', { timeout: 120_000 }, async () => {
    sandbox.faults.set({ slow: 10_000, delayMs: 250 });
    const child = cli('sync', '--json');
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal ? -1 : _code)),
    );
    // Kill once at least one page is committed, well before the listing ends.
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = await count().catch(() => 0);
      if (seen > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seen > 0 && seen < COURSES, `killed mid-run (${seen} courses stored)`);
    child.kill('SIGKILL');
    assert.equal(await exited, -1);
    const running = await t.ctx.db.selectFrom('sync_runs').selectAll().execute();
    assert.deepEqual(
      running.map((r) => r.status),
      ['running'],
    );

    sandbox.faults.reset();
    const rerun = cli('sync', '--json');
    let out = '';
    rerun.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => rerun.on('exit', resolve));
    assert.equal(code, 0, out);
    const summary = JSON.parse(out.trim().split('\n').at(-1)!) as {
      status: string;
      counts: { created: number; unchanged: number };
    };
    assert.equal(summary.status, 'succeeded');
    assert.ok(summary.counts.unchanged >= seen, 'the pages stored before the kill are unchanged');

    const items = sandbox.catalogue.slice(0, COURSES);
    const valid = items.filter((i) => mapCourse(i).ok).length;
    const rows = await t.ctx.db.selectFrom('courses').select(['id', 'external_id']).execute();
    assert.equal(rows.length, valid);
    assert.equal(new Set(rows.map((r) => r.external_id)).size, valid);
    const entries = await t.ctx.db.selectFrom('catalog_entries').select('course_id').execute();
    assert.equal(entries.length, valid);
    assert.equal((await t.ctx.db.selectFrom('integrations').select('id').execute()).length, 1);
    const runs = await t.ctx.db.selectFrom('sync_runs').selectAll().orderBy('started_at').execute();
    assert.deepEqual(
      runs.map((r) => [r.status, r.error_code]),
      [
        ['failed', 'interrupted'],
        ['succeeded', null],
      ],
    );
  });
});
