// Our IdP against the sandbox's SAML service provider (sandbox/sandbox.saml.ts, another engineer's
// code that checks signatures on its own): a fresh assertion signs the learner in; a tampered, an
// expired, a replayed or a foreign-key one is refused.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { forEachEngine, createTestContext, type TestContext } from '../helpers/engines.js';
import { seedGroup } from '../../src/platform/platform.seed.js';
import { insertIntegration } from '../../src/integrations/integrations.repository.js';
import { embeddedSandbox } from '../../src/opensesame/opensesame.defaults.js';
import { connectEmbeddedSandbox, usesEmbeddedSandbox } from '../../src/sso/sso.sandbox.js';
import { idpEntityId, idpKeys, samlPostFor } from '../../src/sso/sso.service.js';
import { buildSignedResponse } from '../../src/sso/sso.assertion.js';
import { createIdpKeys } from '../../src/sso/sso.keys.js';

forEachEngine('SAML sign-in to the sandbox SP', (engine) => {
  let t: TestContext;
  let groupId: string;
  let integrationId: string;
  let acsUrl = '';
  let spEntityId = '';

  before(async () => {
    t = await createTestContext(engine, { SANDBOX_COURSES: '5' });
    const connection = await t.ctx.openSesameDefaults();
    groupId = (await seedGroup(t.ctx, { name: 'OpenSesame' })).id;
    integrationId = crypto.randomUUID();
    const now = t.ctx.clock.now().toISOString();
    await insertIntegration(t.ctx.db, {
      id: integrationId,
      group_id: groupId,
      provider: 'opensesame',
      status: 'active',
      api_url: connection.apiUrl,
      token_url: connection.tokenUrl,
      client_id: connection.clientId,
      client_secret_sealed: t.ctx.secrets.seal(connection.clientSecret),
      ciid_sealed: t.ctx.secrets.seal(connection.customerIntegrationId),
      cron: '50 6 * * *',
      time_zone: 'Europe/Paris',
      mass_archive_threshold: 0.2,
      webhook_client_id: 'osw_test',
      webhook_secret_sealed: t.ctx.secrets.seal('webhook-secret'),
      credentials_version: 1,
      created_at: now,
      updated_at: now,
    });
    assert.equal(await usesEmbeddedSandbox(t.ctx, groupId), true);
    const sp = await connectEmbeddedSandbox(t.ctx, groupId);
    acsUrl = sp.acsUrl;
    spEntityId = sp.entityId;
  });
  after(() => t.close());

  const post = (samlResponse: string, relayState = '/player') =>
    fetch(acsUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
    });
  const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
  const subject = { email: 'lea.learner@acme.test', name: 'Lea Learner' };

  it('signs the learner in and follows RelayState; the same assertion cannot be used twice', async () => {
    const p = await samlPostFor(t.ctx, { integrationId, subject, relayState: '/player' });
    assert.equal(p.acsUrl, acsUrl);
    const res = await post(p.samlResponse);
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(res.headers.get('location'), '/player');
    const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
    const player = await fetch(new URL('/player', acsUrl), { headers: { cookie } });
    assert.match(await player.text(), /lea\.learner@acme\.test/);
    const replay = await post(p.samlResponse);
    assert.equal(replay.status, 403);
    assert.match(await replay.text(), /already used/);
    assert.ok(embeddedSandbox(t.ctx));
  });

  it('refuses a tampered assertion', async () => {
    const p = await samlPostFor(t.ctx, { integrationId, subject, relayState: '/player' });
    const xml = Buffer.from(p.samlResponse, 'base64').toString('utf8');
    const tampered = xml.replace('>lea.learner@acme.test</saml:NameID>', '>boss@acme.test</saml:NameID>');
    assert.notEqual(tampered, xml);
    const res = await post(b64(tampered));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Sign-in refused/);
  });

  it('refuses an expired assertion', async () => {
    const keys = await idpKeys(t.ctx);
    const { xml } = buildSignedResponse({
      idp: { entityId: idpEntityId(t.ctx), keys },
      sp: { entityId: spEntityId, acsUrl },
      subject,
      now: new Date(Date.now() - 10 * 60_000),
    });
    const res = await post(b64(xml));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /expired/);
  });

  it('refuses an assertion signed by another key', async () => {
    const { xml } = buildSignedResponse({
      idp: { entityId: idpEntityId(t.ctx), keys: createIdpKeys('impostor', new Date()) },
      sp: { entityId: spEntityId, acsUrl },
      subject,
      now: new Date(),
    });
    const res = await post(b64(xml));
    assert.equal(res.status, 403);
  });
});
