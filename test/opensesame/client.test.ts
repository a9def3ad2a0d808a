import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import {
  createOpenSesameClient,
  type OpenSesameClientOptions,
} from '../../src/opensesame/opensesame.client.js';
import { OpenSesameError, type OpenSesameConnection } from '../../src/opensesame/opensesame.types.js';
import { generateCatalogue } from '../../sandbox/sandbox.catalogue.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';

const COURSES = 137; // three pages of 50, the last one short

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('debug', stream), lines };
}

describe('OpenSesame client against the sandbox', () => {
  let sandbox: Sandbox;
  let logs: ReturnType<typeof capture>;
  const clients: Array<{ close(): Promise<void> }> = [];

  const client = (
    options: Partial<OpenSesameClientOptions> = {},
    connection?: Partial<OpenSesameConnection>,
  ) => {
    const c = createOpenSesameClient(
      { ...sandbox.connection, ...connection },
      { log: logs.log, attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000, ...options },
    );
    clients.push(c);
    return c;
  };
  const listAll = async (c: ReturnType<typeof client>) => {
    const items: unknown[] = [];
    const pages: number[] = [];
    for await (const page of c.listCatalogue()) {
      pages.push(page.page);
      items.push(...page.items);
    }
    return { items, pages };
  };
  const failure = async (promise: Promise<unknown>): Promise<OpenSesameError> => {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof OpenSesameError, String(err));
      return err;
    }
    assert.fail('expected an OpenSesameError');
  };

  before(async () => {
    sandbox = await startSandbox({ courses: COURSES, seed: 42 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
    logs = capture();
  });

  it('lists the whole generated catalogue, following next URLs, with one token', async () => {
    const { items, pages } = await listAll(client());
    assert.deepEqual(items, generateCatalogue({ seed: 42, launchBaseUrl: sandbox.url }, COURSES));
    assert.deepEqual(pages, [1, 2, 3]);
    assert.equal(sandbox.stats().token, 1);
    assert.equal(sandbox.stats().content, 3);
  });

  it('sends page+1 when next is a cursor, and stops however the last page says so', async () => {
    const expected = generateCatalogue({ seed: 42, launchBaseUrl: sandbox.url }, COURSES);
    for (const lastPage of ['null', 'absent', 'no-paging', 'empty-page'] as const) {
      sandbox.faults.set({ nextStyle: 'cursor', lastPage });
      sandbox.resetStats();
      const { items } = await listAll(client({ pageSize: 20 }));
      assert.deepEqual(items, expected, lastPage);
      assert.equal(sandbox.stats().content, lastPage === 'empty-page' ? 8 : 7, lastPage);
    }
  });

  it('lists without prefetching too', async () => {
    const { items } = await listAll(client({ prefetch: false }));
    assert.equal(items.length, COURSES);
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    sandbox.faults.set({ rateLimit: 1, retryAfter: '1' });
    const started = Date.now();
    const { items } = await listAll(client({ baseDelayMs: 1 }));
    assert.equal(items.length, COURSES);
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    assert.equal(sandbox.stats().statuses['429'], 1);
  });

  it('caps a long Retry-After (HTTP date form too)', async () => {
    sandbox.faults.set({ rateLimit: 2, retryAfter: new Date(Date.now() + 3_600_000).toUTCString() });
    const started = Date.now();
    const { items } = await listAll(client({ maxRetryAfterMs: 20 }));
    assert.equal(items.length, COURSES);
    assert.ok(Date.now() - started < 1500);
  });

  it('retries a burst of 5xx, then succeeds', async () => {
    sandbox.faults.set({ serverErrors: 2, serverErrorStatus: 502 });
    const { items } = await listAll(client());
    assert.equal(items.length, COURSES);
    assert.equal(sandbox.stats().statuses['502'], 2);
    assert.equal(sandbox.stats().content, 5);
  });

  it('fails with retries_exhausted and the status when the 5xx never stop', async () => {
    sandbox.faults.set({ serverErrors: 100, serverErrorStatus: 503 });
    const err = await failure(listAll(client()));
    assert.equal(err.code, 'retries_exhausted');
    assert.equal(err.step, 'list');
    assert.equal(err.status, 503);
    assert.match(err.message, /HTTP 503/);
    assert.equal(sandbox.stats().content, 3);
  });

  it('retries the token request too', async () => {
    sandbox.faults.set({ serverErrors: 2, target: 'token' });
    const { items } = await listAll(client());
    assert.equal(items.length, COURSES);
    assert.equal(sandbox.stats().token, 3);
  });

  it('retries a body cut short', async () => {
    sandbox.faults.set({ cutBody: 2 });
    const { items } = await listAll(client());
    assert.equal(items.length, COURSES);
    assert.equal(sandbox.stats().content, 5);
  });

  it('times out a slow answer, then retries', async () => {
    // Wide margins: on a loaded machine a normal answer can take a few hundred milliseconds.
    sandbox.faults.set({ slow: 1, delayMs: 3000 });
    const { items } = await listAll(client({ timeoutMs: 1000 }));
    assert.equal(items.length, COURSES);
    assert.equal(sandbox.stats().content, 4);
  });

  it('reports a timeout when every try is too slow', async () => {
    sandbox.faults.set({ slow: 10, delayMs: 300 });
    const err = await failure(listAll(client({ timeoutMs: 50, attempts: 2 })));
    assert.equal(err.code, 'timeout');
    assert.match(err.message, /after 2 attempt/);
  });

  it('renews a token that died early, once', async () => {
    const c = client();
    const iterator = c.listCatalogue()[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    sandbox.invalidateTokens();
    let count = 1;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) count++;
    assert.equal(count, 3);
    assert.equal(sandbox.stats().token, 2);
    assert.equal(sandbox.stats().statuses['401'], 1);
  });

  it('renews a short-lived token before it expires', async () => {
    sandbox.faults.set({ tokenTtlSeconds: 1 });
    const c = client();
    await listAll(c);
    await new Promise((r) => setTimeout(r, 1100));
    const { items } = await listAll(c);
    assert.equal(items.length, COURSES);
    assert.equal(sandbox.stats().token, 2);
    assert.equal(sandbox.stats().statuses['401'], undefined);
  });

  it('stops a looping next with paging_loop, and at the page cap', async () => {
    sandbox.faults.set({ loopNext: true });
    const loop = await failure(listAll(client()));
    assert.equal(loop.code, 'paging_loop');
    sandbox.faults.set({ loopNext: false, nextStyle: 'cursor' });
    const cap = await failure(listAll(client({ maxPages: 2 })));
    assert.equal(cap.code, 'paging_loop');
    assert.match(cap.message, /page cap/);
  });

  it('does not retry 400, 403 or 404', async () => {
    const wrong = await failure(listAll(client({}, { customerIntegrationId: 'someone-else' })));
    assert.equal(wrong.code, 'invalid_customer_integration_id');
    assert.equal(wrong.status, 403);
    const missing = await failure(listAll(client({}, { apiUrl: `${sandbox.url}/nowhere` })));
    assert.equal(missing.status, 404);
    assert.equal(sandbox.stats().content, 1);
    assert.equal(sandbox.stats().statuses['404'], 1);
  });

  it('refuses a next URL on another host (the token would go with it)', async () => {
    const c = client({}, { apiUrl: sandbox.url.replace('127.0.0.1', 'localhost') });
    const err = await failure(listAll(c));
    assert.equal(err.code, 'bad_response');
  });

  it('verify names the wrong field', async () => {
    assert.deepEqual(await client().verify(), { ok: true });
    const badSecret = await client({}, { clientSecret: 'wrong-secret-123' }).verify();
    assert.equal(badSecret.ok, false);
    assert.equal(!badSecret.ok && badSecret.field, 'credentials');
    assert.equal(!badSecret.ok && badSecret.code, 'invalid_credentials');
    const badCiid = await client({}, { customerIntegrationId: 'ciid-of-someone-else' }).verify();
    assert.equal(!badCiid.ok && badCiid.field, 'customerIntegrationId');
    const down = await client({ attempts: 1 }, { tokenUrl: 'http://127.0.0.1:1/token' }).verify();
    assert.equal(!down.ok && down.field, 'connection');
    assert.equal(!down.ok && down.code, 'network');
  });

  it('never puts a secret, the token or the CIID in errors or logs', async () => {
    const secret = 'super-secret-value-xyz';
    const ciid = 'private-ciid-987';
    sandbox.addCustomer({ clientId: 'other', clientSecret: secret, customerIntegrationId: 'real-ciid' });
    const messages: string[] = [];
    const bad = await client(
      {},
      { clientId: 'other', clientSecret: secret, customerIntegrationId: ciid },
    ).verify();
    assert.equal(!bad.ok && bad.field, 'customerIntegrationId');
    messages.push(!bad.ok ? bad.message : '');
    sandbox.faults.set({ serverErrors: 100 });
    const c = client({}, { clientId: 'other', clientSecret: secret, customerIntegrationId: 'real-ciid' });
    messages.push((await failure(listAll(c))).message);
    const text = messages.join('\n') + logs.lines.join('\n');
    assert.ok(
      logs.lines.some((l) => l.includes('retrying')),
      'retries were logged',
    );
    for (const s of [secret, ciid, 'real-ciid', Buffer.from(`other:${secret}`).toString('base64')])
      assert.ok(!text.includes(s), `leaked ${s}`);
    assert.ok(!/Bearer|access_token/i.test(text));
  });
});
