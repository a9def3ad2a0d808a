// The `integration` commands as an operator runs them: a real process on the test's database.
// SQLite only: each command is a process start (seconds on a shared machine), and the commands call
// the same services that the HTTP tests cover on both engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { engines } from '../helpers/engines.js';
import { createCompany, type Company } from './setup.js';

const run = promisify(execFile);

for (const engine of engines().filter((e) => e === 'sqlite'))
  describe(`integration CLI [${engine}]`, () => {
    let c: Company;
    before(async () => {
      c = await createCompany(engine, {}, {}, 6);
    });
    after(() => c.close());

    const cli = async (...args: string[]) => {
      const env = {
        ...process.env,
        ...c.t.database.env,
        SECRET_KEY: c.t.config.secretKey!,
        PUBLIC_BASE_URL: 'https://lms.example.test',
        LOG_LEVEL: 'silent',
        SCHEDULER_ENABLED: 'false',
      };
      try {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env });
        return { code: 0, json: JSON.parse(stdout) };
      } catch (err) {
        const e = err as { code: number; stdout: string };
        return { code: e.code, json: JSON.parse(e.stdout) };
      }
    };

    it('activates (waiting for the first sync) and lists every integration with its webhook block', async () => {
      const conn = c.sandbox.connection;
      const activated = await cli(
        ...['integration', 'activate', '--group', c.groupId, '--json', '--ciid', conn.customerIntegrationId],
        ...['--connector-email', c.author.user.email, '--client-id', conn.clientId],
        ...[
          '--client-secret',
          conn.clientSecret,
          '--api-url',
          c.sandbox.apiUrl,
          '--token-url',
          c.sandbox.tokenUrl,
        ],
      );
      assert.equal(activated.code, 0);
      assert.equal(activated.json.status, 'active', 'the CLI waits for the first sync');
      assert.equal(activated.json.lastRun.trigger, 'activation');

      const all = await cli('integration', 'show', '--json');
      assert.equal(all.json.length, 1);
      const [entry] = all.json;
      assert.equal(entry.groupId, c.groupId);
      assert.equal(entry.status, 'active');
      assert.ok(entry.courses.live > 0);
      for (const key of ['lmsAuthUrl', 'lmsUrl', 'clientId', 'clientSecret', 'scope'])
        assert.ok(entry.xapi[key], `xapi.${key}`);
      assert.equal(entry.xapi.lmsUrl, 'https://lms.example.test/api/opensesame/stats');
      assert.equal(entry.webhook.clientSecret, entry.xapi.clientSecret);
    });
  });
