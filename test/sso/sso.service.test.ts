import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createContext } from '../../src/context.js';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember } from '../../src/platform/platform.seed.js';
import { insertIntegration } from '../../src/integrations/integrations.repository.js';
import { configureServiceProvider, idpKeys, samlPostFor } from '../../src/sso/sso.service.js';
import { getSetting } from '../../src/sso/sso.repository.js';
import { verifySamlResponse } from '../../src/sso/sso.verify.js';
import { encodeRedirectAuthnRequest } from '../../src/sso/sso.authn-request.js';
import { seedSession } from '../../src/platform/platform.seed.js';
import type { AppContext } from '../../src/context.js';

async function insertTestIntegration(ctx: AppContext, groupId: string): Promise<string> {
  const id = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  await insertIntegration(ctx.db, {
    id,
    group_id: groupId,
    provider: 'opensesame',
    status: 'active',
    api_url: 'http://127.0.0.1:1',
    token_url: 'http://127.0.0.1:1/token',
    client_id: 'c',
    client_secret_sealed: ctx.secrets.seal('s'),
    ciid_sealed: ctx.secrets.seal('ciid'),
    cron: '50 6 * * *',
    time_zone: 'Europe/Paris',
    mass_archive_threshold: 0.2,
    webhook_client_id: `wh-${id}`,
    webhook_secret_sealed: ctx.secrets.seal('w'),
    credentials_version: 1,
    created_at: now,
    updated_at: now,
  });
  return id;
}

const SP_METADATA = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.test/saml">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.test/saml/acs" index="0"/>
</md:SPSSODescriptor></md:EntityDescriptor>`;

forEachEngine('SSO service and routes', (engine) => {
  let t: TestApp;
  let groupId: string;
  let integrationId: string;
  before(async () => {
    t = await createTestApp(engine);
    groupId = (await seedGroup(t.ctx, { name: 'OpenSesame' })).id;
    integrationId = await insertTestIntegration(t.ctx, groupId);
  });
  after(() => t.close());

  it('keeps one key pair, sealed in settings, across contexts', async () => {
    const keys = await idpKeys(t.ctx);
    const stored = await getSetting(t.ctx.db, 'sso.idp.keys.v1');
    assert.ok(stored && !stored.includes('PRIVATE KEY'), 'stored sealed');
    const again = await createContext(t.config, { log: t.ctx.log });
    try {
      assert.equal((await idpKeys(again)).certPem, keys.certPem);
    } finally {
      await again.destroy();
    }
  });

  it('publishes metadata with the certificate', async () => {
    const res = await t.app.inject({ url: '/saml/metadata' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /samlmetadata\+xml/);
    const cert = (await idpKeys(t.ctx)).certPem.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.ok(res.body.includes(cert));
  });

  it('lets a group admin set the SP from metadata, and refuses learners', async () => {
    const admin = await seedMember(t.ctx, { groupId, email: 'ga@sso.test', role: 'admin' });
    const learner = await seedMember(t.ctx, { groupId, email: 'l@sso.test', role: 'learner' });
    const url = `/api/v1/groups/${groupId}/integrations/opensesame/saml`;
    const refused = await t.app.inject({
      method: 'PUT',
      url,
      headers: learner.headers,
      payload: { metadataXml: SP_METADATA },
    });
    assert.equal(refused.statusCode, 403);
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: admin.headers,
      payload: { metadataXml: '<nope>not metadata</nope>' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_sp_metadata');
    const ok = await t.app.inject({
      method: 'PUT',
      url,
      headers: admin.headers,
      payload: { metadataXml: SP_METADATA },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(
      [ok.json().entityId, ok.json().acsUrl, ok.json().fromMetadata],
      ['https://sp.test/saml', 'https://sp.test/saml/acs', true],
    );
    const read = await t.app.inject({ url, headers: admin.headers });
    assert.equal(read.json().serviceProvider.entityId, 'https://sp.test/saml');
  });

  it('issues a signed POST for a learner that the SP verifies', async () => {
    await configureServiceProvider(
      t.ctx,
      integrationId,
      { entityId: 'https://sp.test/saml', acsUrl: 'https://sp.test/saml/acs' },
      null,
    );
    const post = await samlPostFor(t.ctx, {
      integrationId,
      subject: { email: 'Jane.Doe@example.com', name: 'Jane Doe' },
      relayState: 'https://sp.test/launch?course=1',
    });
    assert.equal(post.acsUrl, 'https://sp.test/saml/acs');
    const xml = Buffer.from(post.samlResponse, 'base64').toString('utf8');
    const out = verifySamlResponse(xml, {
      idpCertPem: (await idpKeys(t.ctx)).certPem,
      audience: 'https://sp.test/saml',
      expectedIssuer: `${t.config.publicBaseUrl}/saml/metadata`,
      now: new Date(),
    });
    assert.ok(out.ok, JSON.stringify(out));
    assert.equal(out.assertion.nameId, 'Jane.Doe@example.com');
  });

  it('refuses to sign for an integration whose SP is not configured', async () => {
    const other = await seedGroup(t.ctx, { name: 'No SSO' });
    const otherIntegration = await insertTestIntegration(t.ctx, other.id);
    await assert.rejects(
      samlPostFor(t.ctx, {
        integrationId: otherIntegration,
        subject: { email: 'a@b.c', name: 'A' },
        relayState: 'x',
      }),
      /not configured/,
    );
  });

  it('answers an SP-initiated request at the configured ACS only, after sign-in', async () => {
    await configureServiceProvider(
      t.ctx,
      integrationId,
      { entityId: 'https://sp.test/saml', acsUrl: 'https://sp.test/saml/acs' },
      null,
    );
    const now = new Date();
    const good = encodeRedirectAuthnRequest(
      { id: '_req1', issuer: 'https://sp.test/saml', acsUrl: 'https://sp.test/saml/acs' },
      now,
    );
    const url = `/saml/sso?SAMLRequest=${encodeURIComponent(good)}&RelayState=${encodeURIComponent('https://sp.test/c/1')}`;
    const anonymous = await t.app.inject({ url });
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/login\?next=%2Fsaml%2Fsso/);
    const { user } = await seedMember(t.ctx, {
      groupId,
      email: 'sp-init@sso.test',
      role: 'learner',
      name: 'Sam Pinit',
    });
    const { cookie } = await seedSession(t.ctx, user.id);
    const page = await t.app.inject({ url, headers: { cookie } });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<form method="post" action="https:\/\/sp.test\/saml\/acs"/);
    assert.match(page.body, /name="RelayState" value="https:\/\/sp.test\/c\/1"/);
    const b64 = /name="SAMLResponse" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const xml = Buffer.from(b64, 'base64').toString('utf8');
    assert.match(xml, /InResponseTo="_req1"/);
    const out = verifySamlResponse(xml, {
      idpCertPem: (await idpKeys(t.ctx)).certPem,
      audience: 'https://sp.test/saml',
      now: new Date(),
    });
    assert.ok(out.ok);
    assert.equal(out.assertion.nameId, 'sp-init@sso.test');
    const elsewhere = encodeRedirectAuthnRequest(
      { id: '_req2', issuer: 'https://sp.test/saml', acsUrl: 'https://evil.test/acs' },
      now,
    );
    const refused = await t.app.inject({
      url: `/saml/sso?SAMLRequest=${encodeURIComponent(elsewhere)}`,
      headers: { cookie },
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'acs_mismatch');
    const garbage = await t.app.inject({ url: '/saml/sso?SAMLRequest=bm9wZQ==', headers: { cookie } });
    assert.equal(garbage.json().error.code, 'invalid_authn_request');
  });
});
