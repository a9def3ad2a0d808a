// A minimal SAML IdP for tests: builds and signs a Response the way the platform's IdP will.
// Test-only; the real IdP lives in src/sso/.
import crypto from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export type AssertionInput = {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  email: string;
  displayName?: string;
  /** Validity window; defaults to now-1min .. now+5min. */
  notBefore?: Date;
  notOnOrAfter?: Date;
};

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function samlResponseXml(input: AssertionInput): string {
  const now = new Date();
  const notBefore = input.notBefore ?? new Date(now.getTime() - 60_000);
  const notOnOrAfter = input.notOnOrAfter ?? new Date(now.getTime() + 300_000);
  const id = () => `_${crypto.randomBytes(16).toString('hex')}`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${esc(input.acsUrl)}">` +
    `<saml:Issuer>${esc(input.idpEntityId)}</saml:Issuer>` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    `<saml:Assertion ID="${id()}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${esc(input.idpEntityId)}</saml:Issuer>` +
    '<saml:Subject>' +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(input.email)}</saml:NameID>` +
    '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
    `<saml:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(input.acsUrl)}"/>` +
    '</saml:SubjectConfirmation></saml:Subject>' +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(input.spEntityId)}</saml:Audience></saml:AudienceRestriction>` +
    '</saml:Conditions>' +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (input.displayName
      ? `<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>${esc(input.displayName)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
      : '') +
    '</saml:Assertion></samlp:Response>'
  );
}

/** Signs the assertion (enveloped, exclusive c14n, RSA-SHA256), signature placed after its Issuer. */
export function signAssertion(xml: string, privateKeyPem: string): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
  });
  return sig.getSignedXml();
}

/** Signs the whole Response instead (the other placement IdPs use). */
export function signResponse(xml: string, privateKeyPem: string): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: "/*[local-name(.)='Response']",
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", action: 'after' },
  });
  return sig.getSignedXml();
}
