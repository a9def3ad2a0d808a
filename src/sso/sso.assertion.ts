// Builds the SAML 2.0 Response an identity provider POSTs to a service provider's ACS, with the
// Assertion signed (RSA-SHA256, exclusive C14N, enveloped) and the Response signed around it, so an
// SP that checks either signature accepts it. Pure apart from the signing key it is given.
import crypto from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { IdpKeys } from './sso.keys.js';
import { NS, x } from './sso.xml.js';

export type SamlSubject = {
  readonly email: string;
  readonly name: string;
};

export type SamlResponseInput = {
  readonly idp: { readonly entityId: string; readonly keys: IdpKeys };
  readonly sp: { readonly entityId: string; readonly acsUrl: string };
  readonly subject: SamlSubject;
  readonly now: Date;
  /** How long the assertion may be used: a few minutes, the time for a browser to POST it. */
  readonly ttlSeconds?: number;
  /** Set when answering an SP's AuthnRequest; absent for IdP-initiated sign-in. */
  readonly inResponseTo?: string;
  /** Fixed ids for reproducible tests; random otherwise. */
  readonly ids?: { readonly response: string; readonly assertion: string };
};

export const DEFAULT_ASSERTION_TTL_SECONDS = 300;
/** Clock skew allowed between us and the SP on NotBefore. */
const NOT_BEFORE_SKEW_MS = 30_000;

const newId = () => `_${crypto.randomUUID().replace(/-/g, '')}`;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function splitName(name: string): { first: string; last: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length <= 1) return { first: parts[0] ?? '', last: '' };
  return { first: parts.slice(0, -1).join(' '), last: parts[parts.length - 1] ?? '' };
}

function attribute(name: string, value: string): string {
  return (
    `<saml:Attribute Name="${x(name)}" NameFormat="${NS.attrNameFormatBasic}">` +
    `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${x(value)}</saml:AttributeValue>` +
    `</saml:Attribute>`
  );
}

/** The unsigned Response XML (exported for tests that tamper before signing). */
export function buildUnsignedResponse(input: SamlResponseInput): {
  xml: string;
  ids: { response: string; assertion: string };
} {
  const ids = input.ids ?? { response: newId(), assertion: newId() };
  const now = input.now;
  const ttl = (input.ttlSeconds ?? DEFAULT_ASSERTION_TTL_SECONDS) * 1000;
  const issued = iso(now);
  const notBefore = iso(new Date(now.getTime() - NOT_BEFORE_SKEW_MS));
  const notOnOrAfter = iso(new Date(now.getTime() + ttl));
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${x(input.inResponseTo)}"` : '';
  const { first, last } = splitName(input.subject.name);
  const issuer = `<saml:Issuer>${x(input.idp.entityId)}</saml:Issuer>`;
  const xml =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${ids.response}" ` +
    `Version="2.0" IssueInstant="${issued}" Destination="${x(input.sp.acsUrl)}"${inResponseTo}>` +
    issuer +
    `<samlp:Status><samlp:StatusCode Value="${NS.success}"/></samlp:Status>` +
    `<saml:Assertion xmlns:saml="${NS.assertion}" ID="${ids.assertion}" Version="2.0" IssueInstant="${issued}">` +
    issuer +
    `<saml:Subject>` +
    `<saml:NameID Format="${NS.emailFormat}">${x(input.subject.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${NS.bearer}">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${x(input.sp.acsUrl)}"${inResponseTo}/>` +
    `</saml:SubjectConfirmation>` +
    `</saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${x(input.sp.entityId)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${ids.assertion}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${NS.passwordProtected}</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    attribute('email', input.subject.email) +
    attribute('name', input.subject.name) +
    attribute('displayName', input.subject.name) +
    attribute('firstName', first) +
    attribute('lastName', last) +
    `</saml:AttributeStatement>` +
    `</saml:Assertion>` +
    `</samlp:Response>`;
  return { xml, ids };
}

function sign(
  xml: string,
  keys: IdpKeys,
  elementId: string,
  afterIssuerOf: 'Assertion' | 'Response',
): string {
  const signer = new SignedXml({
    privateKey: keys.privateKeyPem,
    publicCert: keys.certPem,
    signatureAlgorithm: NS.rsaSha256,
    canonicalizationAlgorithm: NS.excC14n,
  });
  signer.addReference({
    xpath: `//*[@ID='${elementId}']`,
    digestAlgorithm: NS.sha256,
    transforms: [NS.enveloped, NS.excC14n],
  });
  // SAML's schema puts the Signature right after the Issuer of the element it signs.
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `//*[local-name(.)='${afterIssuerOf}' and @ID='${elementId}']/*[local-name(.)='Issuer']`,
      action: 'after',
    },
  });
  return signer.getSignedXml();
}

/** Signs an unsigned Response: the Assertion first, then the Response around it. */
export function signResponse(
  xml: string,
  ids: { response: string; assertion: string },
  keys: IdpKeys,
): string {
  const withSignedAssertion = sign(xml, keys, ids.assertion, 'Assertion');
  return sign(withSignedAssertion, keys, ids.response, 'Response');
}

export function buildSignedResponse(input: SamlResponseInput): {
  xml: string;
  ids: { response: string; assertion: string };
} {
  const { xml, ids } = buildUnsignedResponse(input);
  return { xml: signResponse(xml, ids, input.idp.keys), ids };
}
