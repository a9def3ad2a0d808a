import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { createTestDatabase, forEachEngine, type TestDatabase } from '../helpers/engines.js';
import { parseConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/app.js';
import { announceMissingAdmin } from '../../src/platform/platform.cli.js';

const run = promisify(execFile);
const SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

forEachEngine('platform CLI and first start', (engine) => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(engine);
  });
  after(() => database.drop());

  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, ...database.env, SECRET_KEY, LOG_LEVEL: 'error' },
    });

  it('tells how to create an admin on first start, makes one, and its password and token work', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = parseConfig({ ...database.env, SECRET_KEY, SCHEDULER_ENABLED: 'false' });
    const ctx = await createContext(config, { log: createLogger('warn', sink) });
    try {
      await announceMissingAdmin(ctx);
      assert.match(lines.join(''), /admin create --email/);

      const made = await cli('admin', 'create', '--email', 'Boss@Example.test', '--name', 'Boss');
      const password = made.stdout.match(/Password: (\S+)/)?.[1];
      assert.ok(password, made.stdout);
      const tok = await cli('token', 'create', '--email', 'boss@example.test', '--name', 'ci');
      const token = tok.stdout.trim();
      assert.match(token, /^sb_pat_/);

      lines.length = 0;
      await announceMissingAdmin(ctx);
      assert.equal(lines.join(''), '');

      const app = await buildApp(ctx);
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'boss@example.test', password },
        });
        assert.equal(login.statusCode, 200);
        assert.equal(login.json().user.isPlatformAdmin, true);
        const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
        assert.equal(me.json().user.email, 'Boss@Example.test');
      } finally {
        await app.close();
      }
    } finally {
      await ctx.destroy();
    }
  });
});
