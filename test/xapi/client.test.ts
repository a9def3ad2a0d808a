// A real xAPI client (@xapi/xapi, used as its README shows) against the real server over loopback:
// token from our OAuth endpoint, then statements the way OpenSesame sends them.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import XAPIModule from '@xapi/xapi';
import type { Statement } from '@xapi/xapi';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { completion, makeIntegration, type TestIntegration } from './fixtures.js';

// The package is CommonJS; its class is also exposed as `.default` (typed that way under NodeNext).
const XAPI = XAPIModule.default;

forEachEngine('xAPI with a published client library', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  let base: string;
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
  });
  after(() => t.close());

  it('OpenSesame flow: client-credentials token, then POST statements with @xapi/xapi, read them back', async () => {
    const tokenRes = await fetch(`${base}/api/opensesame/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: i.clientId,
        client_secret: i.secret,
        scope: 'xapi:all',
      }),
    });
    assert.equal(tokenRes.status, 200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const xapi = new XAPI({ endpoint: `${base}/api/opensesame/stats/`, auth: `Bearer ${access_token}` });

    const one = completion(
      'client@example.com',
      'https://opensesame.example/courses/C1',
    ) as unknown as Statement;
    const sent = await xapi.sendStatement({ statement: one });
    assert.deepEqual(sent.data, [one.id]);
    const back = await xapi.getStatement({ statementId: String(one.id) });
    assert.equal(back.data.id, one.id);
    assert.ok(back.data.stored);

    const batch = Array.from(
      { length: 3 },
      () => completion('client@example.com', 'https://opensesame.example/courses/C2') as unknown as Statement,
    );
    const ids = await xapi.sendStatements({ statements: batch });
    assert.deepEqual(
      ids.data,
      batch.map((s) => s.id),
    );

    const page = await xapi.getStatements({ activity: 'https://opensesame.example/courses/C2', limit: 2 });
    assert.equal(page.data.statements.length, 2);
    assert.ok(page.data.more);
    const rest = await xapi.getMoreStatements({ more: page.data.more });
    assert.ok(!Array.isArray(rest.data));
    assert.equal(rest.data.statements.length, 1);

    await xapi.voidStatement({ actor: { mbox: 'mailto:admin@example.com' }, statementId: String(one.id) });
    const voided = await xapi.getVoidedStatement({ voidedStatementId: String(one.id) });
    assert.equal(voided.data.id, one.id);

    const about = await xapi.getAbout();
    assert.ok(about.data.version.includes('1.0.3'));
  });

  it('standard xAPI tooling with HTTP Basic (the webhook client id and secret)', async () => {
    const xapi = new XAPI({
      endpoint: `${base}/api/opensesame/stats/`,
      auth: XAPI.toBasicAuth(i.clientId, i.secret),
      version: '2.0.0' as never,
    });
    const s = {
      ...completion('basic@example.com', 'https://opensesame.example/courses/C3'),
      id: crypto.randomUUID(),
    } as unknown as Statement;
    assert.deepEqual((await xapi.sendStatement({ statement: s })).data, [s.id]);
    // Resending after a lost answer is safe (idempotent on id).
    assert.deepEqual((await xapi.sendStatement({ statement: s })).data, [s.id]);
    await assert.rejects(xapi.sendStatement({ statement: { ...s, result: { completion: false } } }), /409/);
  });
});
