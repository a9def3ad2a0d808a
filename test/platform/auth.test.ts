import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../src/clock.js';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember, seedUser } from '../../src/platform/platform.seed.js';
import { SESSION_TTL_MS } from '../../src/platform/auth.service.js';

const PASSWORD = 'correct horse battery';

function sessionCookie(res: { cookies: Array<{ name: string; value: string }> }): string {
  const c = res.cookies.find((x) => x.name === 'sb_session');
  assert.ok(c, 'sets sb_session');
  return `sb_session=${c.value}`;
}

forEachEngine('platform auth', (engine) => {
  let t: TestApp;
  const clock = fixedClock('2026-03-01T10:00:00.000Z');
  before(async () => {
    t = await createTestApp(engine, {}, { clock });
    await seedUser(t.ctx, { email: 'Ann.Smith@Example.test', name: 'Ann', password: PASSWORD });
  });
  after(() => t.close());

  it('signs in with JSON, sets an httpOnly SameSite=Lax cookie, and /me answers', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ann.smith@EXAMPLE.test', password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.equal(res.json().user.email, 'Ann.Smith@Example.test');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: sessionCookie(res) } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().via, 'session');
    assert.equal(me.json().user.name, 'Ann');
  });

  it('signs in with a form and redirects to a same-site path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=ann.smith%40example.test&password=${encodeURIComponent(PASSWORD)}&next=%2Fcourses`,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/courses');
    sessionCookie(res);
    const offsite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ann.smith@example.test', password: PASSWORD, next: '//evil.test/' },
    });
    assert.equal(offsite.statusCode, 400);
  });

  it('refuses a wrong password or unknown e-mail with 401 invalid_credentials', async () => {
    for (const payload of [
      { email: 'ann.smith@example.test', password: 'wrong password!' },
      { email: 'nobody@example.test', password: PASSWORD },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'invalid_credentials');
      assert.equal(res.headers['set-cookie'], undefined);
    }
  });

  it('slows password guessing: 10 failures a minute per e-mail, then 429 with Retry-After, even for the right password', async () => {
    await seedUser(t.ctx, { email: 'carol@example.test', name: 'Carol', password: PASSWORD });
    const attempt = (email: string, password: string, remoteAddress = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        remoteAddress,
      });
    for (let i = 0; i < 10; i++)
      assert.equal((await attempt('carol@example.test', `guess ${i}`)).statusCode, 401);
    // From another address too: the limit is the account's.
    const blocked = await attempt('CAROL@example.test', PASSWORD, '10.0.0.2');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, 'too_many_sign_in_attempts');
    assert.ok(Number(blocked.headers['retry-after']) > 0 && Number(blocked.headers['retry-after']) <= 60);
    // Other accounts are not locked out by it.
    assert.equal((await attempt('ann.smith@example.test', PASSWORD, '10.0.0.2')).statusCode, 200);
    clock.advance(61_000);
    assert.equal((await attempt('carol@example.test', PASSWORD)).statusCode, 200);
  });

  it('slows guessing from one address across accounts: 30 failures a minute', async () => {
    for (let i = 0; i < 30; i++)
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `nobody${i}@example.test`, password: 'x' },
        remoteAddress: '10.9.9.9',
      });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ann.smith@example.test', password: PASSWORD },
      remoteAddress: '10.9.9.9',
    });
    assert.equal(res.statusCode, 429);
    clock.advance(61_000);
  });

  it('answers 401 authentication_required without credentials', async () => {
    const res = await t.app.inject({ url: '/api/v1/me' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'authentication_required');
  });

  it('logs out: the session no longer works', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ann.smith@example.test', password: PASSWORD },
    });
    const cookie = sessionCookie(login);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /sb_session=;/);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie } });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().error.code, 'session_expired');
  });

  it('expires sessions after their lifetime', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ann.smith@example.test', password: PASSWORD },
    });
    const cookie = sessionCookie(login);
    clock.advance(SESSION_TTL_MS - 1000);
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode, 200);
    clock.advance(2000);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie } });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().error.code, 'session_expired');
  });

  it('creates, uses, lists and revokes personal API tokens', async () => {
    const { headers } = await seedUser(t.ctx, { email: 'script@example.test' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers,
      payload: { name: 'nightly export' },
    });
    assert.equal(created.statusCode, 201);
    const { id, token } = created.json();
    assert.match(token, /^sb_pat_/);
    const auth = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ url: '/api/v1/me', headers: auth });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().via, 'token');
    const list = await t.app.inject({ url: '/api/v1/me/tokens', headers: auth });
    const names = list.json().tokens.map((x: { name: string }) => x.name);
    assert.deepEqual(names.sort(), ['nightly export', 'seed']);
    assert.ok(!JSON.stringify(list.json()).includes(token), 'never lists the token itself');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${id}`, headers });
    assert.equal(del.statusCode, 204);
    const after = await t.app.inject({ url: '/api/v1/me', headers: auth });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().error.code, 'invalid_token');
  });

  it("ignores Bearer tokens that are not personal API tokens (another area's OAuth)", async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { authorization: 'Bearer eyJhbGciOi.x.y' } });
    assert.equal(res.statusCode, 200);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer eyJhbGciOi.x.y' } });
    assert.equal(me.json().error.code, 'authentication_required');
  });

  it('keeps e-mails unique regardless of case', async () => {
    const { headers } = await seedUser(t.ctx, { email: 'root@example.test', isPlatformAdmin: true });
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { email: 'Bob@Example.test', name: 'Bob' },
    });
    assert.equal(first.statusCode, 201);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { email: 'bob@example.TEST', name: 'Bobby' },
    });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'email_taken');
    const found = await t.app.inject({ url: '/api/v1/users?email=BOB@example.test', headers });
    assert.equal(found.json().users.length, 1);
  });

  it('lets a group admin create a member of their group, not a platform admin', async () => {
    const g = await seedGroup(t.ctx, { name: 'Team' });
    const { headers } = await seedMember(t.ctx, { groupId: g.id, email: 'lead@example.test', role: 'admin' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { email: 'newbie@example.test', name: 'New', groupId: g.id, role: 'learner' },
    });
    assert.equal(ok.statusCode, 201);
    const members = await t.app.inject({ url: `/api/v1/groups/${g.id}/members`, headers });
    assert.ok(members.json().members.some((m: { email: string }) => m.email === 'newbie@example.test'));
    const escalate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: {
        email: 'boss@example.test',
        name: 'Boss',
        isPlatformAdmin: true,
        groupId: g.id,
        role: 'admin',
      },
    });
    assert.equal(escalate.statusCode, 403);
    assert.equal(escalate.json().error.code, 'platform_admin_required');
  });
});
