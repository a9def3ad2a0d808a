import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { createOpenSesameClient } from '../../src/opensesame/opensesame.client.js';
import { resolveDefaultConnection } from '../../src/opensesame/opensesame.defaults.js';

// resolveDefaultConnection needs only config, log and onDestroy: no database for this one.
function fakeContext(env: Record<string, string>) {
  const lines: string[] = [];
  const hooks: Array<() => Promise<void> | void> = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const ctx = {
    config: parseConfig(env),
    log,
    onDestroy: (fn: () => Promise<void> | void) => void hooks.push(fn),
  };
  return { ctx: ctx as unknown as AppContext, lines, hooks };
}

it('uses the configured OpenSesame when set', async () => {
  const { ctx, hooks } = fakeContext({
    OPENSESAME_API_URL: 'https://api.example.test',
    OPENSESAME_TOKEN_URL: 'https://auth.example.test/token',
    OPENSESAME_CLIENT_ID: 'id',
    OPENSESAME_CLIENT_SECRET: 'secret',
    OPENSESAME_CIID: 'ciid',
  });
  const connection = await resolveDefaultConnection(ctx);
  assert.equal(connection.apiUrl, 'https://api.example.test');
  assert.equal(hooks.length, 0);
});

it('starts the embedded sandbox otherwise, says so, and stops it on destroy', async () => {
  const { ctx, lines, hooks } = fakeContext({ SANDBOX_COURSES: '60', SANDBOX_SEED: '3' });
  const connection = await resolveDefaultConnection(ctx);
  try {
    assert.match(connection.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(lines.some((l) => l.includes('embedded OpenSesame sandbox') && l.includes(connection.apiUrl)));
    assert.ok(!lines.join('').includes(connection.clientSecret));
    const client = createOpenSesameClient(connection, { log: ctx.log });
    let count = 0;
    for await (const page of client.listCatalogue()) count += page.items.length;
    await client.close();
    assert.equal(count, 60);
  } finally {
    for (const h of hooks) await h();
  }
  await assert.rejects(fetch(`${connection.apiUrl}/`));
});
