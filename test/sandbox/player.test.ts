import { courseKeyCandidates } from '../../src/stats/stats.mapping.js';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';
import { generateCatalogue } from '../../sandbox/sandbox.catalogue.js';
import { isoDuration } from '../../sandbox/sandbox.lms.js';
import { samlResponseXml, signAssertion, signResponse } from './saml-idp.js';

const IDP = 'http://127.0.0.1/test-idp';

describe('sandbox SAML SP and player', () => {
  let sb: Sandbox;
  let lms: FastifyInstance;
  let lmsUrl: string;
  let privateKey: string;
  let otherKey: string;
  let certificate: string;
  let sp: { spEntityId: string; acsUrl: string };
  const received: {
    tokens: Array<{ auth: string | undefined; body: unknown }>;
    statements: Array<{ headers: Record<string, unknown>; body: unknown }>;
  } = {
    tokens: [],
    statements: [],
  };
  let statementFailures = 0;

  before(async () => {
    // The IdP's key pair and a self-signed certificate, as the platform will publish in its metadata.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-idp-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
        '-days',
        '2',
        '-subj',
        '/CN=test-idp',
      ],
      { stdio: 'ignore' },
    );
    privateKey = fs.readFileSync(`${dir}/key.pem`, 'utf8');
    certificate = fs.readFileSync(`${dir}/cert.pem`, 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    otherKey = crypto
      .generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

    // A stand-in LMS: token endpoint, statements resource, and the IdP metadata.
    lms = Fastify();
    await lms.register(formbody);
    lms.post('/oauth2/token', async (req) => {
      received.tokens.push({ auth: req.headers.authorization, body: req.body });
      return { access_token: 'lms-token', token_type: 'Bearer', expires_in: 3600 };
    });
    lms.post('/xapi/statements', async (req, reply) => {
      received.statements.push({ headers: req.headers, body: req.body });
      if (statementFailures > 0) {
        statementFailures--;
        return reply.code(503).send({});
      }
      return [(req.body as { id: string }).id];
    });
    lms.get('/idp/metadata', async (_req, reply) => {
      const b64 = certificate.replace(/-----[^-]+-----|\s/g, '');
      return reply
        .type('application/xml')
        .send(
          `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>`,
        );
    });
    lmsUrl = (await lms.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
    sb = await startSandbox({ courses: 20, seed: 11, adminKey: 'k' });
  });
  after(async () => {
    await sb.close();
    await lms.close();
  });
  beforeEach(async () => {
    sb.reset();
    received.tokens.length = 0;
    received.statements.length = 0;
    // Configured over the admin HTTP surface, from the IdP's metadata URL.
    const res = await fetch(`${sb.url}/admin/customers/${sb.connection.customerIntegrationId}/saml`, {
      method: 'PUT',
      headers: { 'x-admin-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ idpMetadataUrl: `${lmsUrl}/idp/metadata` }),
    });
    assert.equal(res.status, 200);
    sp = (await res.json()) as typeof sp;
    assert.equal(sp.acsUrl, `${sb.url}/saml/acs`);
    sb.configureLms(sb.connection.customerIntegrationId, {
      authUrl: `${lmsUrl}/oauth2/token`,
      lmsUrl: `${lmsUrl}/xapi`,
      clientId: 'webhook-id',
      clientSecret: 'webhook-secret',
    });
  });

  const course = () =>
    generateCatalogue({ seed: 11, launchBaseUrl: sb.url }, 20).find(
      (c) => c.xApiActivityId && !c.sandboxDefect,
    ) as Record<string, string>;
  const assertion = (over: Partial<Parameters<typeof samlResponseXml>[0]> = {}) =>
    samlResponseXml({
      idpEntityId: IDP,
      spEntityId: sp.spEntityId,
      acsUrl: sp.acsUrl,
      email: 'Jane.Doe@Example.com',
      displayName: 'Jane Doe',
      ...over,
    });
  const post = (xml: string, relay: string) =>
    fetch(`${sb.url}/saml/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        SAMLResponse: Buffer.from(xml).toString('base64'),
        RelayState: relay,
      }).toString(),
    });

  it('signs in with a signed assertion, plays the course and sends the completion to the LMS', async () => {
    const c = course();
    const res = await post(signAssertion(assertion(), privateKey), String(c.quickLaunchUrl));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/player/${c.id}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    assert.match(cookie, /^sbx_session=/);

    const player = await fetch(`${sb.url}/player/${c.id}`, { headers: { cookie } });
    assert.equal(player.status, 200);
    const html = await player.text();
    assert.ok(html.includes('jane.doe@example.com') && html.includes('Finish'));
    assert.equal((await fetch(`${sb.url}/player/${c.id}`)).status, 401);

    statementFailures = 1; // the LMS fails once: the same statement is sent again
    const finish = await fetch(`${sb.url}/player/${c.id}/finish`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=85&outcome=passed',
    });
    assert.equal(finish.status, 200);
    assert.equal(
      received.tokens[0]?.auth,
      `Basic ${Buffer.from('webhook-id:webhook-secret').toString('base64')}`,
    );
    assert.deepEqual(
      { ...(received.tokens[0]?.body as object) },
      { grant_type: 'client_credentials', scope: 'xapi:write' },
    );
    assert.equal(received.statements.length, 2);
    const [first, second] = received.statements;
    assert.equal((first?.body as { id: string }).id, (second?.body as { id: string }).id);
    assert.equal(second?.headers['x-experience-api-version'], '1.0.3');
    assert.equal(second?.headers.authorization, 'Bearer lms-token');
    const s = second?.body as {
      id: string;
      actor: unknown;
      verb: { id: string };
      object: { id: string };
      result: { completion: boolean; success: boolean; score: { scaled: number }; duration: string };
    };
    assert.deepEqual(s.actor, { objectType: 'Agent', name: 'Jane Doe', mbox: 'mailto:jane.doe@example.com' });
    assert.equal(s.verb.id, 'http://adlnet.gov/expapi/verbs/completed');
    assert.equal(s.object.id, c.xApiActivityId);
    assert.equal(s.result.completion, true);
    assert.equal(s.result.success, true);
    assert.equal(s.result.score.scaled, 0.85);
    assert.match(s.result.duration, /^PT(\d+H)?(\d+M)?(\d+S)?$/);
    assert.match(s.id, /^[0-9a-f-]{36}$/);
    assert.equal(sb.deliveries()[0]?.ok, true);
  });

  it('sends an absolute IRI ending with the course id when the course has no xApiActivityId', async () => {
    const c = generateCatalogue({ seed: 11, launchBaseUrl: sb.url }, 200).find(
      (x) => !x.xApiActivityId && !x.sandboxDefect,
    ) as Record<string, string>;
    const res = await post(signAssertion(assertion(), privateKey), String(c.quickLaunchUrl));
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const before = received.statements.length;
    const finish = await fetch(`${sb.url}/player/${c.id}/finish`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=passed',
    });
    assert.equal(finish.status, 200);
    const objectId = (received.statements[before]?.body as { object: { id: string } }).object.id;
    // xAPI Data 2.4.4.1: object.id is an absolute IRI; the LMS finds the course by its last segment.
    assert.equal(new URL(objectId).protocol, 'https:');
    assert.ok(courseKeyCandidates(objectId).includes(String(c.id)));
  });

  it('accepts a signed Response, and a public key instead of a certificate', async () => {
    assert.equal((await post(signResponse(assertion(), privateKey), '/player')).status, 303);
    const pub = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
    await sb.configureSaml(sb.connection.customerIntegrationId, {
      idpCertificate: pub,
      idpEntityId: IDP,
      spEntityId: sp.spEntityId,
    });
    assert.equal((await post(signAssertion(assertion(), privateKey), '/player')).status, 303);
  });

  it('refuses tampered, expired, foreign, replayed and wrapped assertions with a 403 page', async () => {
    const signed = signAssertion(assertion(), privateKey);
    const cases: Array<[string, string, RegExp]> = [
      ['tampered', signed.replace('Jane.Doe@Example.com', 'eve@example.com'), /signature/],
      ['wrong key', signAssertion(assertion(), otherKey), /signature/],
      ['unsigned', assertion(), /signature/],
      [
        'expired',
        signAssertion(
          assertion({
            notBefore: new Date(Date.now() - 3_600_000),
            notOnOrAfter: new Date(Date.now() - 600_000),
          }),
          privateKey,
        ),
        /expired/,
      ],
      ['not an e-mail', signAssertion(assertion({ email: 'jane' }), privateKey), /e-mail/],
      ['another issuer', signAssertion(assertion({ idpEntityId: 'http://evil' }), privateKey), /issuer/],
      [
        'wrapped',
        signed.replace(
          '<saml:Assertion ',
          `${assertion({ email: 'eve@example.com' }).match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)?.[0]}<saml:Assertion `,
        ),
        /exactly one assertion/,
      ],
    ];
    for (const [label, xml, reason] of cases) {
      const res = await post(xml, '/player');
      assert.equal(res.status, 403, label);
      const html = await res.text();
      assert.match(html, reason, label);
      assert.equal(res.headers.get('set-cookie'), null, label);
    }
    const other = await post(
      signAssertion(assertion({ spEntityId: 'http://someone-else' }), privateKey),
      '/player',
    );
    assert.equal(other.status, 403);
    assert.equal((await post(signed, '/player')).status, 303);
    assert.equal((await post(signed, '/player')).status, 403, 'replayed');
  });

  it('never redirects off the sandbox', async () => {
    const res = await post(signAssertion(assertion(), privateKey), 'https://evil.example/phish');
    assert.equal(res.headers.get('location'), '/player');
  });

  it('refuses bad SP and LMS settings', async () => {
    const put = (p: string, body: unknown) =>
      fetch(`${sb.url}/admin/customers/${p}`, {
        method: 'PUT',
        headers: { 'x-admin-key': 'k', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal(
      (await put(`${sb.connection.customerIntegrationId}/saml`, { idpCertificate: 'nope' })).status,
      400,
    );
    assert.equal((await put('unknown-ciid/saml', { idpCertificate: certificate })).status, 404);
    assert.equal(
      (await put(`${sb.connection.customerIntegrationId}/lms`, { authUrl: 'ftp://x' })).status,
      400,
    );
    const meta = await fetch(sp.spEntityId);
    assert.equal(meta.status, 200);
    assert.ok((await meta.text()).includes(sp.acsUrl));
    assert.ok(
      !sp.spEntityId.includes(sb.connection.customerIntegrationId),
      'the CIID stays out of public URLs',
    );
  });

  it('formats xAPI durations', () => {
    assert.equal(isoDuration(42 * 60_000 + 10_000), 'PT42M10S');
    assert.equal(isoDuration(3_600_000), 'PT1H');
    assert.equal(isoDuration(0), 'PT0S');
  });
});
