// The OAuth 2.0 token endpoint (RFC 6749 §4.4, §5.1, §5.2) and what makes a token stop working.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../src/clock.js';
import { updateIntegration } from '../../src/integrations/integrations.repository.js';
import { invalidateCredentials } from '../../src/xapi/xapi.auth.js';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { completion, makeIntegration, XAPI_HEADERS, type TestIntegration } from './fixtures.js';

const URL_TOKEN = '/api/opensesame/oauth2/token';
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

forEachEngine('xAPI token endpoint', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  const clock = fixedClock('2026-03-05T10:00:00.000Z');
  before(async () => {
    t = await createTestApp(engine, {}, { clock });
    i = await makeIntegration(t.ctx);
  });
  after(() => t.close());

  const token = async (scope?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { ...FORM, authorization: i.basic },
      payload: form({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().access_token as string;
  };
  const post = (auth: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/opensesame/stats',
      headers: { ...XAPI_HEADERS, authorization: auth },
      payload: completion('x@example.com', 'https://c.example/1'),
    });

  it('RFC 6749 §4.4: form body + Basic auth → a Bearer token, 3600 s, scope xapi:write, no-store', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { ...FORM, authorization: i.basic },
      payload: form({ grant_type: 'client_credentials', scope: 'xapi:write' }),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'xapi:write');
    assert.equal(body.access_token.split('.').length, 3);
  });
  it('RFC 6749 §2.3.1: credentials in the form body, in a JSON body, and Basic with a JSON body', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: FORM,
      payload: form({ grant_type: 'client_credentials', client_id: i.clientId, client_secret: i.secret }),
    });
    const b = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      payload: { grant_type: 'client_credentials', client_id: i.clientId, client_secret: i.secret },
    });
    const c = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: { grant_type: 'client_credentials' },
    });
    for (const r of [a, b, c]) {
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().scope, 'xapi:write'); // absent scope → xapi:write
    }
  });
  it('RFC 6749 §5.2 invalid_client: wrong secret → 401 with WWW-Authenticate', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      payload: { grant_type: 'client_credentials', client_id: i.clientId, client_secret: 'nope' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.match(String(res.headers['www-authenticate']), /^Basic/);
  });
  it('RFC 6749 §5.2 invalid_client: no credentials at all → 401', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      payload: { grant_type: 'client_credentials' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
  });
  it('RFC 6749 §5.2 invalid_request: grant_type missing, or credentials in two places', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: {},
    });
    assert.equal(a.statusCode, 400);
    assert.equal(a.json().error, 'invalid_request');
    const b = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: { grant_type: 'client_credentials', client_secret: i.secret },
    });
    assert.equal(b.json().error, 'invalid_request');
  });
  it('RFC 6749 §5.2 unsupported_grant_type: only client_credentials', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: { grant_type: 'password' },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'unsupported_grant_type');
  });
  it('RFC 6749 §5.2 invalid_scope: unknown scope', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: { grant_type: 'client_credentials', scope: 'admin' },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_scope');
  });

  it('a write-only token cannot read (403); xapi:read cannot write; xapi:all can both', async () => {
    const write = await token('xapi:write');
    const read = await token('xapi:read');
    const all = await token('xapi:all');
    const get = (tok: string) =>
      t.app.inject({
        url: '/api/opensesame/stats',
        headers: { ...XAPI_HEADERS, authorization: `Bearer ${tok}` },
      });
    assert.equal((await get(write)).statusCode, 403);
    assert.equal((await post(`Bearer ${read}`)).statusCode, 403);
    assert.equal((await get(all)).statusCode, 200);
    assert.equal((await post(`Bearer ${all}`)).statusCode, 200);
  });

  it('a wrong or expired token → 401', async () => {
    assert.equal((await post('Bearer not.a.jwt')).statusCode, 401);
    const tok = await token();
    assert.equal((await post(`Bearer ${tok}`)).statusCode, 200);
    clock.advance(3601_000);
    const res = await post(`Bearer ${tok}`);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'invalid_token');
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
  });

  it('a rotation (credentials_version bump) ends existing tokens; the old secret works during its grace only', async () => {
    const tok = await token();
    assert.equal((await post(`Bearer ${tok}`)).statusCode, 200);
    const oldBasic = i.basic;
    const newSecret = 'rotated-secret-0123456789';
    await updateIntegration(t.ctx.db, i.row.id, {
      credentials_version: 2,
      webhook_secret_sealed: t.ctx.secrets.seal(newSecret),
      previous_webhook_secret_sealed: t.ctx.secrets.seal(i.secret),
      previous_secret_valid_until: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    invalidateCredentials(t.ctx, i.row.id);
    assert.equal((await post(`Bearer ${tok}`)).statusCode, 401);
    assert.equal((await post(oldBasic)).statusCode, 200); // previous secret, within grace
    clock.advance(61_000);
    invalidateCredentials(t.ctx);
    assert.equal((await post(oldBasic)).statusCode, 401);
    i = {
      ...i,
      secret: newSecret,
      basic: `Basic ${Buffer.from(`${i.clientId}:${newSecret}`).toString('base64')}`,
    };
    assert.equal((await post(i.basic)).statusCode, 200);
  });

  it('statements after the deactivation grace period → 401 (without any cache flush, within 1 s)', async () => {
    const tok = await token();
    await updateIntegration(t.ctx.db, i.row.id, {
      status: 'inactive',
      credentials_valid_until: new Date(clock.now().getTime() + 1000).toISOString(),
    });
    clock.advance(1500); // past the cache TTL and the grace
    assert.equal((await post(`Bearer ${tok}`)).statusCode, 401);
    assert.equal((await post(i.basic)).statusCode, 401);
    const res = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      headers: { authorization: i.basic },
      payload: { grant_type: 'client_credentials' },
    });
    assert.equal(res.statusCode, 401);
  });

  it('repeated failures for one client id → 429 with Retry-After', async () => {
    const other = await makeIntegration(t.ctx);
    let last;
    for (let n = 0; n < 12; n++)
      last = await t.app.inject({
        method: 'POST',
        url: URL_TOKEN,
        remoteAddress: `10.0.0.${n}`,
        payload: { grant_type: 'client_credentials', client_id: other.clientId, client_secret: 'wrong' },
      });
    assert.equal(last?.statusCode, 429);
    assert.ok(Number(last?.headers['retry-after']) > 0);
    // Even the right secret waits until the window ends.
    const right = await t.app.inject({
      method: 'POST',
      url: URL_TOKEN,
      remoteAddress: '10.0.1.1',
      payload: { grant_type: 'client_credentials', client_id: other.clientId, client_secret: other.secret },
    });
    assert.equal(right.statusCode, 429);
  });
});
