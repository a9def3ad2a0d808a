// The sandbox's SAML 2.0 service provider core: checks a POSTed SAML Response the way OpenSesame
// must (signature by the customer's IdP, audience, time window, recipient, NameID as e-mail, no
// replay) and returns the learner. Signatures are checked with xml-crypto; everything is then read
// from the *signed* bytes only, and a document with more than one assertion is refused, which
// defeats signature-wrapping tricks.
import crypto from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
} as const;

export type SpConfig = {
  readonly spEntityId: string;
  readonly acsUrl: string;
  /** PEM: the IdP's signing certificate or its public key. */
  readonly idpCertificate: string;
  /** When set, the assertion's Issuer must equal it. */
  readonly idpEntityId?: string | undefined;
};

export type SamlLearner = { email: string; name?: string; assertionId: string; expiresAt: number };

/** A refusal with a reason fit for the 403 page (nothing secret in it). */
export class SamlRefusal extends Error {
  override readonly name = 'SamlRefusal';
}

type El = Element;

export function parseXml(xml: string): Document {
  // No DTDs: entity tricks (XXE, billion laughs) have no business in a SAML message.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRefusal('XML with a DOCTYPE is not accepted');
  const fail = (msg: string) => {
    throw new SamlRefusal(`not well-formed XML (${msg.split('\n')[0]})`);
  };
  return new DOMParser({
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml');
}

function children(parent: Node, ns: string, name: string): El[] {
  const out: El[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as El).namespaceURI === ns && (n as El).localName === name) out.push(n as El);
  return out;
}
const child = (parent: Node, ns: string, name: string) => children(parent, ns, name)[0];
const text = (el: El | undefined) => el?.textContent?.trim() ?? '';
const all = (doc: Document | El, ns: string, name: string) =>
  Array.from(doc.getElementsByTagNameNS(ns, name));

/** The Audience values, read before any check: only to pick which customer's SP config applies. */
export function claimedAudiences(xml: string): string[] {
  return all(parseXml(xml), NS.assertion, 'Audience').map((a) => text(a));
}

/** The signed element's canonical XML when one of `candidates`' signatures covers `target`. */
function signedCopyOf(xml: string, target: El, config: SpConfig): string | undefined {
  const id = target.getAttribute('ID');
  if (!id) return undefined;
  for (const signature of children(target, NS.ds, 'Signature')) {
    // Only the configured key counts: a certificate inside KeyInfo is ignored.
    const sig = new SignedXml({ publicCert: config.idpCertificate, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    let valid = false;
    try {
      valid = sig.checkSignature(xml);
    } catch {
      valid = false;
    }
    if (!valid) continue;
    const refs = sig.getReferences();
    const signed = sig.getSignedReferences();
    if (refs.length === 1 && refs[0]?.uri === `#${id}` && signed.length === 1) return signed[0];
  }
  return undefined;
}

function checkTime(
  label: string,
  notBefore: string | null,
  notOnOrAfter: string | null,
  now: number,
  skew: number,
) {
  if (notBefore) {
    const t = Date.parse(notBefore);
    if (Number.isNaN(t) || now + skew < t) throw new SamlRefusal(`${label} is not valid yet`);
  }
  if (notOnOrAfter) {
    const t = Date.parse(notOnOrAfter);
    if (Number.isNaN(t) || now - skew >= t) throw new SamlRefusal(`${label} has expired`);
  }
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Verifies a SAML Response (the decoded XML) against one SP config; throws SamlRefusal. */
export function verifySamlResponse(
  xml: string,
  config: SpConfig,
  now = Date.now(),
  skewMs = 60_000,
): SamlLearner {
  const doc = parseXml(xml);
  const response = doc.documentElement;
  if (!response || response.namespaceURI !== NS.protocol || response.localName !== 'Response')
    throw new SamlRefusal('not a SAML Response');
  const status = child(child(response, NS.protocol, 'Status') ?? response, NS.protocol, 'StatusCode');
  if (status?.getAttribute('Value') !== 'urn:oasis:names:tc:SAML:2.0:status:Success')
    throw new SamlRefusal('the identity provider did not report success');
  if (all(doc, NS.assertion, 'EncryptedAssertion').length > 0)
    throw new SamlRefusal('encrypted assertions are not supported by the sandbox');
  const assertions = all(doc, NS.assertion, 'Assertion');
  if (assertions.length !== 1) throw new SamlRefusal('the response must hold exactly one assertion');

  // The assertion is signed itself, or the whole response is.
  let signedAssertion: El | undefined;
  const assertionCopy = signedCopyOf(xml, assertions[0] as El, config);
  if (assertionCopy) signedAssertion = parseXml(assertionCopy).documentElement ?? undefined;
  else {
    const responseCopy = signedCopyOf(xml, response, config);
    if (responseCopy) {
      const signedResponse = parseXml(responseCopy);
      const inner = all(signedResponse, NS.assertion, 'Assertion');
      if (inner.length === 1) signedAssertion = inner[0];
      const destination = signedResponse.documentElement?.getAttribute('Destination');
      if (destination && destination !== config.acsUrl)
        throw new SamlRefusal('the response is for another ACS');
    }
  }
  if (!signedAssertion)
    throw new SamlRefusal('the signature is missing, invalid, or not from this identity provider');

  const issuer = text(child(signedAssertion, NS.assertion, 'Issuer'));
  if (config.idpEntityId && issuer !== config.idpEntityId)
    throw new SamlRefusal('the assertion comes from another issuer');

  const conditions = child(signedAssertion, NS.assertion, 'Conditions');
  if (!conditions) throw new SamlRefusal('the assertion has no Conditions');
  checkTime(
    'the assertion',
    conditions.getAttribute('NotBefore'),
    conditions.getAttribute('NotOnOrAfter'),
    now,
    skewMs,
  );
  const audiences = children(conditions, NS.assertion, 'AudienceRestriction').flatMap((r) =>
    children(r, NS.assertion, 'Audience').map((a) => text(a)),
  );
  if (!audiences.includes(config.spEntityId))
    throw new SamlRefusal('the assertion is meant for another audience');

  const subject = child(signedAssertion, NS.assertion, 'Subject');
  const email = text(subject && child(subject, NS.assertion, 'NameID'));
  if (!EMAIL.test(email)) throw new SamlRefusal('the NameID is not an e-mail address');
  const confirmations = subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [];
  const bearer = confirmations.find(
    (c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  );
  if (!bearer) throw new SamlRefusal('the assertion has no bearer confirmation');
  const data = child(bearer, NS.assertion, 'SubjectConfirmationData');
  const until = data?.getAttribute('NotOnOrAfter') ?? null;
  if (!until) throw new SamlRefusal('the bearer confirmation has no NotOnOrAfter');
  checkTime('the bearer confirmation', data?.getAttribute('NotBefore') ?? null, until, now, skewMs);
  const recipient = data?.getAttribute('Recipient');
  if (recipient && recipient !== config.acsUrl) throw new SamlRefusal('the assertion is for another ACS');

  const attrs = new Map<string, string>();
  for (const a of all(signedAssertion, NS.assertion, 'Attribute'))
    attrs.set(a.getAttribute('Name') ?? '', text(child(a, NS.assertion, 'AttributeValue')));
  const name =
    attrs.get('displayName') ||
    [attrs.get('firstName'), attrs.get('lastName')].filter(Boolean).join(' ') ||
    undefined;
  const assertionId = signedAssertion.getAttribute('ID') ?? '';
  const expiresAt = Math.min(Date.parse(until), Date.parse(conditions.getAttribute('NotOnOrAfter') ?? until));
  return { email: email.toLowerCase(), ...(name ? { name } : {}), assertionId, expiresAt };
}

/** The IdP's entity id and signing certificate (as PEM) from its metadata XML. */
export function parseIdpMetadata(xml: string): { entityId: string; certificate: string } {
  const doc = parseXml(xml);
  const entity = doc.documentElement;
  const entityId = entity?.getAttribute('entityID') ?? '';
  const idp = entity ? all(entity, NS.metadata, 'IDPSSODescriptor')[0] : undefined;
  const keys = idp ? children(idp, NS.metadata, 'KeyDescriptor') : [];
  const signing = keys.find((k) => (k.getAttribute('use') ?? 'signing') === 'signing');
  const b64 = signing ? text(all(signing, NS.ds, 'X509Certificate')[0]).replace(/\s+/g, '') : '';
  if (!entityId || !b64) throw new SamlRefusal('the metadata has no entityID or no signing certificate');
  const certificate = `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
  checkKey(certificate);
  return { entityId, certificate };
}

/** Throws when the PEM is neither a certificate nor a public key. */
export function checkKey(pem: string): void {
  try {
    if (pem.includes('BEGIN CERTIFICATE')) new crypto.X509Certificate(pem);
    else crypto.createPublicKey(pem);
  } catch {
    throw new SamlRefusal('the IdP certificate is not a PEM certificate or public key');
  }
}

/** The SP metadata the customer's IdP (our platform) can import. */
export function spMetadata(config: Pick<SpConfig, 'spEntityId' | 'acsUrl'>): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${esc(config.spEntityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="${NS.protocol}">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(config.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
