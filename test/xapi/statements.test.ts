// The statements resource: xAPI 1.0.3 / 2.0 Communication section 2.1 and 3, with the rule named.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { countStatements } from '../../src/xapi/xapi.repository.js';
import { buildMultipart } from '../../src/xapi/xapi.multipart.js';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { completion, makeIntegration, XAPI_HEADERS, type TestIntegration } from './fixtures.js';

const BASE = '/api/opensesame/stats';
const STATEMENTS = '/api/opensesame/stats/statements';

forEachEngine('xAPI statements resource', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  let other: TestIntegration;
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
    other = await makeIntegration(t.ctx);
  });
  after(() => t.close());

  const headers = (extra: Record<string, string> = {}) => ({
    ...XAPI_HEADERS,
    authorization: i.basic,
    ...extra,
  });
  const post = (payload: unknown, url = BASE, h: Record<string, string> = headers()) =>
    t.app.inject({ method: 'POST', url, headers: h, payload: payload as object });
  const get = (query: string, h: Record<string, string> = headers()) =>
    t.app.inject({ url: `${STATEMENTS}?${query}`, headers: h });
  const count = () => countStatements(t.ctx.db, i.row.id);

  it('Communication 2.1.2: POST one statement → 200 with its id; GET by statementId returns it with stored and authority', async () => {
    const s = completion('jane@example.com', 'https://c.example/1');
    const res = await post(s);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), [s.id]);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    const back = await get(`statementId=${String(s.id)}`);
    assert.equal(back.statusCode, 200);
    const body = back.json();
    assert.equal(body.id, s.id);
    assert.ok(body.stored);
    assert.equal(body.authority.account.name, i.clientId);
    assert.ok(back.headers['x-experience-api-consistent-through']);
    assert.ok(back.headers['last-modified']);
  });

  it('Communication 2.1.2: POST a batch → 200 with ids in order; ids are assigned when missing; /statements works too', async () => {
    const a = completion('a@example.com', 'https://c.example/1');
    const b = { ...completion('b@example.com', 'https://c.example/1'), id: undefined };
    const res = await post([a, b], STATEMENTS);
    assert.equal(res.statusCode, 200, res.body);
    const ids = res.json();
    assert.equal(ids.length, 2);
    assert.equal(ids[0], a.id);
    assert.match(ids[1], /^[0-9a-f-]{36}$/);
  });

  it('Communication 2.1.1: PUT ?statementId= → 204; a different body id → 400; missing statementId → 400', async () => {
    const s = completion('put@example.com', 'https://c.example/1');
    const id = String(s.id);
    const { id: _drop, ...noId } = s;
    const res = await t.app.inject({
      method: 'PUT',
      url: `${BASE}?statementId=${id}`,
      headers: headers(),
      payload: noId,
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    const mismatch = await t.app.inject({
      method: 'PUT',
      url: `${BASE}?statementId=${crypto.randomUUID()}`,
      headers: headers(),
      payload: s,
    });
    assert.equal(mismatch.statusCode, 400);
    const missing = await t.app.inject({ method: 'PUT', url: BASE, headers: headers(), payload: s });
    assert.equal(missing.statusCode, 400);
  });

  it('Communication 2.1.2 (idempotency): the same id with the same content → success and one row', async () => {
    const s = completion('dup@example.com', 'https://c.example/1');
    const before = await count();
    assert.equal((await post(s)).statusCode, 200);
    // Re-sent with reordered keys, upper-case language tag and a different timestamp: still "the same".
    const again = {
      ...s,
      timestamp: '2026-03-06T00:00:00Z',
      verb: { display: { 'EN-US': 'completed' }, id: (s.verb as { id: string }).id },
    };
    const res = await post(again);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), [s.id]);
    assert.equal(await count(), before + 1);
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `${BASE}?statementId=${String(s.id)}`,
          headers: headers(),
          payload: s,
        })
      ).statusCode,
      204,
    );
  });

  it('Communication 2.1.2 (immutability): the same id with different content → 409, nothing overwritten', async () => {
    const s = completion('conflict@example.com', 'https://c.example/1');
    await post(s);
    const res = await post({ ...s, result: { completion: false } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'statement_conflict');
    assert.deepEqual((await get(`statementId=${String(s.id)}`)).json().result, s.result);
  });

  it('Communication 3.2: a bad statement in a batch → 400 and nothing of the batch stored', async () => {
    const before = await count();
    const good = completion('g@example.com', 'https://c.example/1');
    const badOne = completion('g@example.com', 'https://c.example/1', { result: { score: { scaled: 2 } } });
    const res = await post([good, badOne]);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_statement');
    assert.match(res.json().error.message, /Data 2.4.5.1/);
    assert.equal(await count(), before);
    assert.equal((await get(`statementId=${String(good.id)}`)).statusCode, 404);
  });

  it('Communication 3.2: a batch that conflicts with a stored statement → 409 and nothing of it stored', async () => {
    const s = completion('c2@example.com', 'https://c.example/1');
    await post(s);
    const before = await count();
    const res = await post([completion('new@example.com', 'https://c.example/1'), { ...s, result: {} }]);
    assert.equal(res.statusCode, 409);
    assert.equal(await count(), before);
  });

  it('Communication 2.1.2: two statements with the same id in one batch → 400', async () => {
    const s = completion('twice@example.com', 'https://c.example/1');
    const res = await post([s, s]);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'duplicate_statement_id');
  });

  it('Communication 3.3: X-Experience-API-Version is required (400) and answered on every response; 2.0 is accepted', async () => {
    const res = await post(completion('v@example.com', 'https://c.example/1'), BASE, {
      'content-type': 'application/json',
      authorization: i.basic,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'missing_version_header');
    assert.ok(res.headers['x-experience-api-version']);
    const bad = await post(
      completion('v@example.com', 'https://c.example/1'),
      BASE,
      headers({ 'x-experience-api-version': '0.9' }),
    );
    assert.equal(bad.statusCode, 400);
    const v2 = await post(
      completion('v@example.com', 'https://c.example/1', { timestamp: '2026-03-05T20:00:00+02:00' }),
      BASE,
      headers({ 'x-experience-api-version': '2.0.0' }),
    );
    assert.equal(v2.statusCode, 200);
    assert.equal(v2.headers['x-experience-api-version'], '2.0.0');
    const stored = (
      await get(`statementId=${String(v2.json()[0])}`, headers({ 'x-experience-api-version': '2.0.0' }))
    ).json();
    assert.equal(stored.version, '2.0.0');
    assert.equal(stored.timestamp, '2026-03-05T18:00:00.000Z');
  });

  it('Communication 2.1.3: unknown query parameters → 400 (GET, POST and PUT)', async () => {
    assert.equal((await get('foo=1')).statusCode, 400);
    assert.equal(
      (await post(completion('q@example.com', 'https://c.example/1'), `${BASE}?foo=1`)).statusCode,
      400,
    );
  });

  it('Data 2.4.6.2: contextActivities single object and {} are accepted and stored as arrays / {}', async () => {
    const s = completion('ctx@example.com', 'https://c.example/1', {
      context: { contextActivities: { parent: { id: 'https://p.example/1' } } },
    });
    const empty = completion('ctx@example.com', 'https://c.example/1', {
      context: { contextActivities: {} },
    });
    assert.equal((await post([s, empty])).statusCode, 200);
    const back = (await get(`statementId=${String(s.id)}`)).json();
    assert.deepEqual(back.context.contextActivities.parent, [{ id: 'https://p.example/1' }]);
    assert.deepEqual((await get(`statementId=${String(empty.id)}`)).json().context.contextActivities, {});
  });

  it('Data 2.3.2 (voiding): a voided statement is only returned by voidedStatementId; a voiding statement cannot be voided', async () => {
    const target = completion('void@example.com', 'https://c.example/void');
    await post(target);
    const voiding = {
      id: crypto.randomUUID(),
      actor: { mbox: 'mailto:admin@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target.id },
    };
    assert.equal((await post(voiding)).statusCode, 200);
    assert.equal((await get(`statementId=${String(target.id)}`)).statusCode, 404);
    assert.equal((await get(`voidedStatementId=${String(target.id)}`)).statusCode, 200);
    const list = (await get(`activity=${encodeURIComponent('https://c.example/void')}`)).json();
    assert.equal(list.statements.length, 0);
    const voidVoid = {
      ...voiding,
      id: crypto.randomUUID(),
      object: { objectType: 'StatementRef', id: voiding.id },
    };
    assert.equal((await post(voidVoid)).statusCode, 400);
    // An unknown target is not an error.
    assert.equal(
      (
        await post({
          ...voiding,
          id: crypto.randomUUID(),
          object: { objectType: 'StatementRef', id: crypto.randomUUID() },
        })
      ).statusCode,
      200,
    );
  });

  it('Communication 2.1.3: filters (agent, verb, activity, registration, related_*, since/until) and paging with more', async () => {
    const reg = crypto.randomUUID();
    const mail = `pager-${crypto.randomBytes(3).toString('hex')}@example.com`;
    const batch = Array.from({ length: 5 }, (_, n) =>
      completion(mail, `https://c.example/page/${n}`, {
        context: { registration: reg, contextActivities: { parent: [{ id: 'https://p.example/pager' }] } },
      }),
    );
    const since = new Date(Date.now() - 1000).toISOString();
    assert.equal((await post(batch)).statusCode, 200);
    const agent = encodeURIComponent(JSON.stringify({ mbox: `mailto:${mail}` }));
    const page1 = await get(`agent=${agent}&limit=2&ascending=true`);
    assert.equal(page1.statusCode, 200);
    const p1 = page1.json();
    assert.deepEqual(
      p1.statements.map((s: { id: string }) => s.id),
      [batch[0]?.id, batch[1]?.id],
    );
    assert.ok(p1.more.startsWith('/api/opensesame/stats/statements?'));
    const p2 = (await t.app.inject({ url: p1.more, headers: headers() })).json();
    assert.deepEqual(
      p2.statements.map((s: { id: string }) => s.id),
      [batch[2]?.id, batch[3]?.id],
    );
    const p3 = (await t.app.inject({ url: p2.more, headers: headers() })).json();
    assert.equal(p3.statements.length, 1);
    assert.equal(p3.more, '');
    assert.equal((await get(`registration=${reg}`)).json().statements.length, 5);
    assert.equal(
      (await get(`activity=${encodeURIComponent('https://p.example/pager')}`)).json().statements.length,
      0,
    );
    assert.equal(
      (await get(`activity=${encodeURIComponent('https://p.example/pager')}&related_activities=true`)).json()
        .statements.length,
      5,
    );
    assert.equal(
      (await get(`agent=${agent}&verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/passed')}`)).json()
        .statements.length,
      0,
    );
    assert.equal(
      (await get(`agent=${agent}&since=${since}&until=${new Date(Date.now() + 1000).toISOString()}`)).json()
        .statements.length,
      5,
    );
    const ids = (await get(`agent=${agent}&format=ids&limit=1`)).json().statements[0];
    assert.deepEqual(Object.keys(ids.actor), ['objectType', 'mbox']);
  });

  it('Communication 2.1.3: related_agents matches the authority the LRS set on every statement, agent alone does not', async () => {
    const batch = [
      completion('auth-a@example.com', 'https://c.example/auth'),
      completion('auth-b@example.com', 'https://c.example/auth'),
    ];
    assert.equal((await post(batch)).statusCode, 200);
    const { authority } = (await get(`statementId=${String(batch[0]?.id)}`)).json();
    const agent = (a: unknown) => encodeURIComponent(JSON.stringify(a));
    const newest = (await get(`agent=${agent(authority)}&related_agents=true&limit=2`)).json();
    assert.deepEqual(
      newest.statements.map((s: { id: string }) => s.id),
      [batch[1]?.id, batch[0]?.id],
    );
    assert.equal((await get(`agent=${agent(authority)}`)).json().statements.length, 0);
    const elsewhere = {
      ...authority,
      account: { ...authority.account, homePage: 'https://elsewhere.example' },
    };
    assert.equal((await get(`agent=${agent(elsewhere)}&related_agents=true`)).json().statements.length, 0);
    // Another integration's authority matches none of this integration's statements.
    const theirs = { ...authority, account: { ...authority.account, name: other.clientId } };
    assert.equal((await get(`agent=${agent(theirs)}&related_agents=true`)).json().statements.length, 0);
  });

  it('Communication 1.5.2: attachments in multipart/mixed are matched by sha2 and stored; GET attachments=true returns them', async () => {
    const content = Buffer.from('certificate of completion');
    const sha2 = crypto.createHash('sha256').update(content).digest('hex');
    const s = completion('att@example.com', 'https://c.example/1', {
      attachments: [
        {
          usageType: 'http://id.tincanapi.com/attachment/certificate-of-completion',
          display: { 'en-US': 'Certificate' },
          contentType: 'text/plain',
          length: content.length,
          sha2,
        },
      ],
    });
    const { contentType, body } = buildMultipart(s, [{ sha2, contentType: 'text/plain', content }]);
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: headers({ 'content-type': contentType }),
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
    const back = await get(`statementId=${String(s.id)}&attachments=true`);
    assert.match(String(back.headers['content-type']), /^multipart\/mixed/);
    assert.ok(back.rawPayload.includes(content));
    // Without the part: 400.
    const missing = await post({ ...s, id: crypto.randomUUID() });
    assert.equal(missing.statusCode, 400);
  });

  it('Data 2.6: a signed statement (JWS signature attachment) is accepted; a tampered one is refused', async () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { SignJWT } = await import('jose');
    const s = completion('signed@example.com', 'https://c.example/1');
    const jws = await new SignJWT(s).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const sig = Buffer.from(jws);
    const sha2 = crypto.createHash('sha256').update(sig).digest('hex');
    const attachment = {
      usageType: 'http://adlnet.gov/expapi/attachments/signature',
      display: { 'en-US': 'Signature' },
      contentType: 'application/octet-stream',
      length: sig.length,
      sha2,
    };
    const ok = buildMultipart({ ...s, attachments: [attachment] }, [
      { sha2, contentType: 'application/octet-stream', content: sig },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: headers({ 'content-type': ok.contentType }),
      payload: ok.body,
    });
    assert.equal(res.statusCode, 200, res.body);
    const tampered = buildMultipart(
      { ...s, id: crypto.randomUUID(), result: { completion: false }, attachments: [attachment] },
      [{ sha2, contentType: 'application/octet-stream', content: sig }],
    );
    const bad = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: headers({ 'content-type': tampered.contentType }),
      payload: tampered.body,
    });
    assert.equal(bad.statusCode, 400);
  });

  it("one integration never sees another integration's statements", async () => {
    const s = completion('iso@example.com', 'https://c.example/1');
    await post(s);
    assert.equal(
      (await get(`statementId=${String(s.id)}`, headers({ authorization: other.basic }))).statusCode,
      404,
    );
  });

  it('no credentials → 401 with a JSON error code; /about answers without them', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: XAPI_HEADERS,
      payload: completion('n@example.com', 'https://c.example/1'),
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'authentication_required');
    const about = await t.app.inject({ url: '/api/opensesame/stats/about' });
    assert.equal(about.statusCode, 200);
    assert.deepEqual(about.json().version, ['1.0.3', '2.0.0']);
  });
});
