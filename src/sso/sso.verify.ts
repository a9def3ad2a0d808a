// The service-provider side of what sso.assertion.ts writes, built on the same library (xml-crypto):
// checks the Assertion's signature against a known certificate (never one from KeyInfo), then reads
// everything from the signed bytes only (so a wrapped, unsigned copy is never believed), then the
// audience, recipient and time window. Used by our tests; any SP doing these checks agrees with it.
import { SignedXml } from 'xml-crypto';
import { NS, parseXml as parse } from './sso.xml.js';

export type VerifiedAssertion = {
  readonly issuer: string;
  readonly nameId: string;
  readonly nameIdFormat: string | null;
  readonly audience: string[];
  readonly notOnOrAfter: string;
  readonly attributes: Record<string, string[]>;
};

export type VerifyFailure =
  | 'malformed'
  | 'no_signature'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_recipient'
  | 'not_yet_valid'
  | 'expired';

export type VerifyOutcome =
  { ok: true; assertion: VerifiedAssertion } | { ok: false; reason: VerifyFailure; detail?: string };

export type VerifyOptions = {
  readonly idpCertPem: string;
  readonly audience: string;
  readonly now: Date;
  readonly expectedIssuer?: string;
  readonly recipient?: string;
  readonly skewSeconds?: number;
};

function children(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local)
      out.push(n as Element);
  }
  return out;
}

function descendants(el: Element | Document, ns: string, local: string): Element[] {
  return Array.from(el.getElementsByTagNameNS(ns, local));
}

export function verifySamlResponse(xml: string, opts: VerifyOptions): VerifyOutcome {
  const doc = parse(xml);
  if (!doc) return { ok: false, reason: 'malformed' };
  const assertions = descendants(doc, NS.assertion, 'Assertion');
  if (assertions.length !== 1) return { ok: false, reason: 'malformed', detail: 'expected one Assertion' };
  const assertionEl = assertions[0] as Element;
  const signatureEl = children(assertionEl, NS.dsig, 'Signature')[0];
  if (!signatureEl) return { ok: false, reason: 'no_signature' };

  const checker = new SignedXml({ publicCert: opts.idpCertPem });
  let signed: string | undefined;
  try {
    checker.loadSignature(signatureEl as unknown as Node);
    if (!checker.checkSignature(xml)) return { ok: false, reason: 'bad_signature' };
    const refs = checker.getSignedReferences();
    if (refs.length !== 1) return { ok: false, reason: 'bad_signature', detail: 'expected one reference' };
    signed = refs[0];
  } catch (err) {
    return { ok: false, reason: 'bad_signature', detail: (err as Error).message };
  }
  const signedDoc = signed ? parse(signed) : undefined;
  const a = signedDoc?.documentElement;
  if (!a || a.namespaceURI !== NS.assertion || a.localName !== 'Assertion')
    return { ok: false, reason: 'bad_signature', detail: 'signed reference is not the Assertion' };

  const text = (el: Element | undefined) => el?.textContent?.trim() ?? '';
  const issuer = text(children(a, NS.assertion, 'Issuer')[0]);
  if (opts.expectedIssuer !== undefined && issuer !== opts.expectedIssuer)
    return { ok: false, reason: 'wrong_issuer' };

  const skew = (opts.skewSeconds ?? 30) * 1000;
  const now = opts.now.getTime();
  const conditions = children(a, NS.assertion, 'Conditions')[0];
  if (!conditions) return { ok: false, reason: 'malformed', detail: 'no Conditions' };
  const notBefore = conditions.getAttribute('NotBefore');
  const notOnOrAfter = conditions.getAttribute('NotOnOrAfter') ?? '';
  if (notBefore && now + skew < Date.parse(notBefore)) return { ok: false, reason: 'not_yet_valid' };
  if (!notOnOrAfter || !(now - skew < Date.parse(notOnOrAfter))) return { ok: false, reason: 'expired' };
  const audience = descendants(conditions, NS.assertion, 'Audience').map((e) => text(e));
  if (!audience.includes(opts.audience)) return { ok: false, reason: 'wrong_audience' };

  const subject = children(a, NS.assertion, 'Subject')[0];
  const nameIdEl = subject ? children(subject, NS.assertion, 'NameID')[0] : undefined;
  if (!subject || !nameIdEl) return { ok: false, reason: 'malformed', detail: 'no NameID' };
  for (const data of descendants(subject, NS.assertion, 'SubjectConfirmationData')) {
    const until = data.getAttribute('NotOnOrAfter');
    if (until && !(now - skew < Date.parse(until))) return { ok: false, reason: 'expired' };
    const recipient = data.getAttribute('Recipient');
    if (opts.recipient !== undefined && recipient !== opts.recipient)
      return { ok: false, reason: 'wrong_recipient' };
  }

  const attributes: Record<string, string[]> = {};
  for (const attr of descendants(a, NS.assertion, 'Attribute')) {
    const name = attr.getAttribute('Name') ?? '';
    attributes[name] = descendants(attr, NS.assertion, 'AttributeValue').map((v) => text(v));
  }
  return {
    ok: true,
    assertion: {
      issuer,
      nameId: text(nameIdEl),
      nameIdFormat: nameIdEl.getAttribute('Format'),
      audience,
      notOnOrAfter,
      attributes,
    },
  };
}
