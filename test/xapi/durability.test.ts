// Nothing acknowledged is ever lost: the real server as a child process, concurrent statements,
// `kill -9` under load, a restart, and every acknowledged id is there; batches are all or nothing.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { once } from 'node:events';
import { createDb } from '../../src/db/db.js';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import { completion, makeIntegration, type TestIntegration } from './fixtures.js';

const SECRET_KEY = 'durability-test-secret-key-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SECRET_KEY,
      SCHEDULER_ENABLED: 'false',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/opensesame/stats/about`);
      if (res.ok) return child;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

forEachEngine('xAPI durability', (engine) => {
  let t: TestContext;
  let i: TestIntegration;
  let child: ChildProcess | undefined;
  before(async () => {
    t = await createTestContext(engine, { SECRET_KEY });
    i = await makeIntegration(t.ctx);
    await t.ctx.destroy(); // the child process owns the database from here
  });
  after(async () => {
    child?.kill('SIGKILL');
    await t.database.drop();
  });

  it(
    'kill -9 under concurrent load loses no acknowledged statement and leaves no half batch',
    { timeout: 90_000 },
    async () => {
      const port = await freePort();
      child = await startServer(t.database.env, port);
      const url = `http://127.0.0.1:${port}/api/opensesame/stats`;
      const headers = {
        'content-type': 'application/json',
        'x-experience-api-version': '1.0.3',
        authorization: i.basic,
      };
      const acknowledged: string[] = [];
      const batches: string[] = [];
      let stop = false;
      const worker = async (n: number) => {
        while (!stop) {
          const registration = crypto.randomUUID();
          const payload =
            n % 2 === 0
              ? completion('load@example.com', 'https://opensesame.example/courses/L')
              : Array.from({ length: 5 }, () =>
                  completion('load@example.com', 'https://opensesame.example/courses/L', {
                    context: { registration },
                  }),
                );
          try {
            const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(payload) });
            if (res.status === 200) {
              acknowledged.push(...((await res.json()) as string[]));
              if (Array.isArray(payload)) batches.push(registration);
            }
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, n) => worker(n));
      while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');

      child = await startServer(t.database.env, port);
      const config = (await import('../../src/config.js')).parseConfig({ ...t.database.env, SECRET_KEY });
      const handle = createDb(config.database);
      try {
        const found = new Set<string>();
        for (let k = 0; k < acknowledged.length; k += 500) {
          const rows = await handle.db
            .selectFrom('xapi_statements')
            .select('id')
            .where('integration_id', '=', i.row.id)
            .where('id', 'in', acknowledged.slice(k, k + 500))
            .execute();
          for (const r of rows) found.add(r.id);
        }
        const lost = acknowledged.filter((id) => !found.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged statements lost`);
        // Every batch in the database is whole (5 statements per registration, never fewer).
        const perRegistration = await handle.db
          .selectFrom('xapi_statements')
          .select(['registration', (eb) => eb.fn.countAll<number>().as('n')])
          .where('registration', 'is not', null)
          .groupBy('registration')
          .execute();
        assert.ok(
          perRegistration.every((r) => Number(r.n) === 5),
          'a batch was half written',
        );
        assert.ok(perRegistration.length >= batches.length);
        // The restarted server answers for them.
        const res = await fetch(`${url}/statements?statementId=${acknowledged[acknowledged.length - 1]}`, {
          headers,
        });
        assert.equal(res.status, 200);
      } finally {
        await handle.destroy();
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
        child = undefined;
      }
    },
  );
});
