// IdP metadata we publish, and the little we read from an SP's metadata (its entity id and its
// HTTP-POST assertion consumer service).
import { NS, parseXml, pemBody, x } from './sso.xml.js';

export type IdpDescription = {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly certPem: string;
};

export function idpMetadataXml(idp: IdpDescription): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${x(idp.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.protocol}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(idp.certPem)}` +
    `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>${NS.emailFormat}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${NS.redirectBinding}" Location="${x(idp.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor>` +
    `</md:EntityDescriptor>\n`
  );
}

export type SpDescription = { readonly entityId: string; readonly acsUrl: string };

export type SpMetadataResult = { ok: true; sp: SpDescription } | { ok: false; message: string };

/** Reads an SP's entity id and its HTTP-POST ACS (the lowest index, or the default one). */
export function parseSpMetadata(xml: string): SpMetadataResult {
  const doc = parseXml(xml);
  const root = doc?.documentElement;
  if (!doc || !root) return { ok: false, message: 'The metadata is not well-formed XML.' };
  const entity =
    root.localName === 'EntityDescriptor'
      ? root
      : Array.from(doc.getElementsByTagNameNS(NS.metadata, 'EntityDescriptor'))[0];
  const entityId = entity?.getAttribute('entityID') ?? '';
  if (!entity || !entityId) return { ok: false, message: 'No EntityDescriptor with an entityID.' };
  const acs = Array.from(entity.getElementsByTagNameNS(NS.metadata, 'AssertionConsumerService'))
    .filter((e) => e.getAttribute('Binding') === NS.postBinding)
    .sort((a, b) => {
      const def = (e: typeof a) => (e.getAttribute('isDefault') === 'true' ? 0 : 1);
      return def(a) - def(b) || Number(a.getAttribute('index') ?? 0) - Number(b.getAttribute('index') ?? 0);
    })[0];
  const acsUrl = acs?.getAttribute('Location') ?? '';
  if (!acsUrl) return { ok: false, message: 'No AssertionConsumerService with the HTTP-POST binding.' };
  if (!/^https?:\/\//.test(acsUrl)) return { ok: false, message: 'The ACS location is not an http(s) URL.' };
  return { ok: true, sp: { entityId, acsUrl } };
}
