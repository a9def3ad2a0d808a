// Per-request loggers are made only when something is logged (src/logger.ts, lazyChildLogger); a
// request that does log still carries its request id, and secrets stay redacted.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createTestContext } from './helpers/engines.js';

it('a failing request is logged once with its request id, its secrets redacted, through the lazy child logger', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const t = await createTestContext('sqlite', { LOG_LEVEL: 'info' }, { log: createLogger('info', sink) });
  const app = await buildApp(t.ctx);
  app.get('/test-boom', async () => {
    throw Object.assign(new Error('boom'), { token: 'do-not-log' });
  });
  try {
    await app.ready();
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    const res = await app.inject({ method: 'GET', url: '/test-boom' });
    assert.equal(res.statusCode, 500);
    const failed = lines.filter((l) => l.msg === 'request failed');
    assert.equal(failed.length, 1, JSON.stringify(lines));
    assert.equal(typeof failed[0]?.reqId, 'string');
    assert.ok(!JSON.stringify(lines).includes('do-not-log'), 'the token is redacted');
  } finally {
    await app.close();
    await t.close();
  }
});
