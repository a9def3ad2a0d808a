// SP-initiated sign-in (HTTP-Redirect binding): the AuthnRequest an SP sends to /saml/sso, inflated
// and read. We only need who asks (Issuer), the request id (for InResponseTo) and, when given, the
// ACS it wants the answer at (which must be the configured one: never post to an address we were
// handed).
import zlib from 'node:zlib';
import { NS, parseXml } from './sso.xml.js';

export type AuthnRequest = { id: string; issuer: string; acsUrl: string | null };

export function decodeRedirectAuthnRequest(samlRequest: string): AuthnRequest | undefined {
  let xml: string;
  try {
    const raw = Buffer.from(samlRequest, 'base64');
    if (raw.length === 0 || raw.length > 100_000) return undefined;
    xml = zlib.inflateRawSync(raw, { maxOutputLength: 1_000_000 }).toString('utf8');
  } catch {
    return undefined;
  }
  const doc = parseXml(xml);
  const root = doc?.documentElement;
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') return undefined;
  const id = root.getAttribute('ID') ?? '';
  const issuer =
    Array.from(root.getElementsByTagNameNS(NS.assertion, 'Issuer'))[0]?.textContent?.trim() ?? '';
  if (!id || !issuer) return undefined;
  return { id, issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL') };
}

/** For tests and tools: the Redirect-binding encoding of an AuthnRequest. */
export function encodeRedirectAuthnRequest(req: AuthnRequest, now: Date): string {
  const acs = req.acsUrl ? ` AssertionConsumerServiceURL="${req.acsUrl}"` : '';
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${req.id}" Version="2.0" ` +
    `IssueInstant="${now.toISOString()}"${acs}><saml:Issuer>${req.issuer}</saml:Issuer></samlp:AuthnRequest>`;
  return zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}
