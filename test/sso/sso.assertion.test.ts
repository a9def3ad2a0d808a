import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignedResponse, buildUnsignedResponse, signResponse } from '../../src/sso/sso.assertion.js';
import { createIdpKeys, keysMatch, type IdpKeys } from '../../src/sso/sso.keys.js';
import { verifySamlResponse } from '../../src/sso/sso.verify.js';
import { idpMetadataXml, parseSpMetadata } from '../../src/sso/sso.metadata.js';

const NOW = new Date('2026-03-05T10:00:00.000Z');
const SP = { entityId: 'https://sp.example/saml', acsUrl: 'https://sp.example/saml/acs' };
const IDP_ID = 'https://lms.example/saml/metadata';

describe('SAML assertions', () => {
  let keys: IdpKeys;
  let other: IdpKeys;
  before(() => {
    keys = createIdpKeys('lms.example', NOW);
    other = createIdpKeys('attacker', NOW);
  });
  const input = () => ({
    idp: { entityId: IDP_ID, keys },
    sp: SP,
    subject: { email: 'jane.doe@example.com', name: 'Jane <Q> Doe' },
    now: NOW,
  });
  const verify = (xml: string, at = NOW, cert = keys.certPem) =>
    verifySamlResponse(xml, {
      idpCertPem: cert,
      audience: SP.entityId,
      recipient: SP.acsUrl,
      expectedIssuer: IDP_ID,
      now: at,
    });

  it('makes a key pair whose certificate holds the public key', () => {
    assert.equal(keysMatch(keys), true);
    assert.equal(keysMatch({ privateKeyPem: keys.privateKeyPem, certPem: other.certPem }), false);
  });

  it('signs an assertion an SP verifies: e-mail NameID, attributes, audience, a few minutes', () => {
    const { xml } = buildSignedResponse(input());
    assert.match(xml, /rsa-sha256/);
    const out = verify(xml);
    assert.ok(out.ok, JSON.stringify(out));
    assert.equal(out.assertion.nameId, 'jane.doe@example.com');
    assert.equal(out.assertion.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.deepEqual(out.assertion.attributes.email, ['jane.doe@example.com']);
    assert.deepEqual(out.assertion.attributes.name, ['Jane <Q> Doe']);
    assert.deepEqual(out.assertion.audience, [SP.entityId]);
    assert.equal(out.assertion.notOnOrAfter, '2026-03-05T10:05:00Z');
  });

  it('refuses a tampered assertion', () => {
    const { xml } = buildSignedResponse(input());
    const tampered = xml.replace('jane.doe@example.com</saml:NameID>', 'boss@example.com</saml:NameID>');
    assert.notEqual(tampered, xml);
    assert.deepEqual(verify(tampered).ok, false);
    assert.equal((verify(tampered) as { reason: string }).reason, 'bad_signature');
  });

  it('refuses a signature wrapped around a forged, unsigned assertion', () => {
    const { xml } = buildSignedResponse(input());
    const forged = buildUnsignedResponse({
      ...input(),
      subject: { email: 'boss@example.com', name: 'Boss' },
    }).xml;
    const forgedAssertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(forged)?.[0] ?? '';
    const wrapped = xml.replace('</samlp:Response>', `${forgedAssertion}</samlp:Response>`);
    assert.equal(verify(wrapped).ok, false);
  });

  it('refuses an expired assertion, one signed by another key, and one for another audience', () => {
    const { xml } = buildSignedResponse(input());
    const later = new Date(NOW.getTime() + 6 * 60_000);
    assert.equal((verify(xml, later) as { reason: string }).reason, 'expired');
    assert.equal((verify(xml, NOW, other.certPem) as { reason: string }).reason, 'bad_signature');
    const other_sp = verifySamlResponse(xml, {
      idpCertPem: keys.certPem,
      audience: 'https://evil',
      now: NOW,
    });
    assert.equal((other_sp as { reason: string }).reason, 'wrong_audience');
    const unsigned = buildUnsignedResponse(input()).xml;
    assert.equal((verify(unsigned) as { reason: string }).reason, 'no_signature');
  });

  it('signs the Response too, after its Issuer', () => {
    const { xml, ids } = buildUnsignedResponse(input());
    const signed = signResponse(xml, ids, keys);
    assert.equal((signed.match(/<ds:Signature /g) ?? []).length, 2);
    assert.match(signed, /<samlp:Response[^>]*><saml:Issuer>[^<]*<\/saml:Issuer><ds:Signature/);
  });

  it('publishes IdP metadata and reads SP metadata', () => {
    const md = idpMetadataXml({
      entityId: IDP_ID,
      ssoUrl: 'https://lms.example/saml/sso',
      certPem: keys.certPem,
    });
    assert.match(md, /entityID="https:\/\/lms.example\/saml\/metadata"/);
    assert.match(md, /<ds:X509Certificate>MII/);
    const sp = parseSpMetadata(
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${SP.entityId}"><md:SPSSODescriptor>` +
        `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://x/r" index="0"/>` +
        `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${SP.acsUrl}" index="1"/>` +
        `</md:SPSSODescriptor></md:EntityDescriptor>`,
    );
    assert.deepEqual(sp, { ok: true, sp: SP });
    assert.equal(parseSpMetadata('<nope').ok, false);
    assert.equal(
      parseSpMetadata('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a"/>')
        .ok,
      false,
    );
  });
});
