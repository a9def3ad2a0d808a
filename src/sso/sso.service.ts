// The platform as a SAML identity provider for OpenSesame: the key pair (made at first start,
// stored sealed), the published metadata, each integration's service provider, and the signed
// IdP-initiated POST that START sends the learner through (launch URL as RelayState).
import type { AppContext } from '../context.js';
import { Invalid, NotFound } from '../errors.js';
import { buildSignedResponse, DEFAULT_ASSERTION_TTL_SECONDS, type SamlSubject } from './sso.assertion.js';
import { createIdpKeys, keysMatch, type IdpKeys } from './sso.keys.js';
import type { AuthnRequest } from './sso.authn-request.js';
import { idpMetadataXml, parseSpMetadata, type SpDescription } from './sso.metadata.js';
import {
  findServiceProvidersByEntityId,
  getServiceProvider,
  getSetting,
  insertSettingIfAbsent,
  upsertServiceProvider,
  type ServiceProviderRow,
} from './sso.repository.js';

const KEYS_SETTING = 'sso.idp.keys.v1';
const loaded = new WeakMap<AppContext, Promise<IdpKeys>>();

async function loadOrCreate(ctx: AppContext): Promise<IdpKeys> {
  const stored = await getSetting(ctx.db, KEYS_SETTING);
  if (stored) return JSON.parse(ctx.secrets.open(stored)) as IdpKeys;
  const host = new URL(ctx.config.publicBaseUrl).host;
  const keys = createIdpKeys(`sesame-bridge IdP ${host}`, ctx.clock.now());
  await insertSettingIfAbsent(
    ctx.db,
    KEYS_SETTING,
    ctx.secrets.seal(JSON.stringify(keys)),
    ctx.clock.now().toISOString(),
  );
  // Another instance may have won the insert: what is stored is the truth.
  const winner = await getSetting(ctx.db, KEYS_SETTING);
  const out = winner ? (JSON.parse(ctx.secrets.open(winner)) as IdpKeys) : keys;
  if (!keysMatch(out)) throw new Error('The stored SAML key pair does not match its certificate.');
  ctx.log.info({ area: 'sso' }, 'made the SAML identity provider key pair and certificate');
  return out;
}

/** The IdP key pair, made once per installation and cached per context. */
export function idpKeys(ctx: AppContext): Promise<IdpKeys> {
  let pending = loaded.get(ctx);
  if (!pending) {
    pending = loadOrCreate(ctx);
    pending.catch(() => loaded.delete(ctx));
    loaded.set(ctx, pending);
  }
  return pending;
}

/** Background starter: the key pair exists from the first start, so metadata is stable. */
export async function startSso(ctx: AppContext): Promise<void> {
  await idpKeys(ctx);
}

export function idpEntityId(ctx: AppContext): string {
  return `${ctx.config.publicBaseUrl}/saml/metadata`;
}

export async function idpMetadata(ctx: AppContext): Promise<string> {
  const keys = await idpKeys(ctx);
  return idpMetadataXml({
    entityId: idpEntityId(ctx),
    ssoUrl: `${ctx.config.publicBaseUrl}/saml/sso`,
    certPem: keys.certPem,
  });
}

export type ServiceProviderInput = { metadataXml: string } | { entityId: string; acsUrl: string };

export type ServiceProviderView = {
  integrationId: string;
  entityId: string;
  acsUrl: string;
  fromMetadata: boolean;
  updatedAt: string;
};

export function serviceProviderView(row: ServiceProviderRow): ServiceProviderView {
  return {
    integrationId: row.integration_id,
    entityId: row.entity_id,
    acsUrl: row.acs_url,
    fromMetadata: row.metadata_xml !== null,
    updatedAt: row.updated_at,
  };
}

/** Checks and stores the SP of an integration, from its metadata or from an ACS URL and entity id. */
export async function configureServiceProvider(
  ctx: AppContext,
  integrationId: string,
  input: ServiceProviderInput,
  updatedBy: string | null,
): Promise<ServiceProviderView> {
  let sp: SpDescription;
  let metadataXml: string | null = null;
  if ('metadataXml' in input) {
    const parsed = parseSpMetadata(input.metadataXml);
    if (!parsed.ok) throw Invalid('invalid_sp_metadata', parsed.message);
    sp = parsed.sp;
    metadataXml = input.metadataXml;
  } else {
    const entityId = input.entityId.trim();
    const acsUrl = input.acsUrl.trim();
    if (!entityId) throw Invalid('invalid_sp_entity_id', 'The SP entity id is empty.');
    if (!/^https?:\/\/[^\s]+$/.test(acsUrl))
      throw Invalid('invalid_sp_acs_url', 'The ACS URL must be an http(s) URL.');
    sp = { entityId, acsUrl };
  }
  const row: ServiceProviderRow = {
    integration_id: integrationId,
    entity_id: sp.entityId,
    acs_url: sp.acsUrl,
    metadata_xml: metadataXml,
    updated_by: updatedBy,
    updated_at: ctx.clock.now().toISOString(),
  };
  await upsertServiceProvider(ctx.db, row);
  ctx.log.info({ area: 'sso', integrationId, spEntityId: sp.entityId }, 'SAML service provider configured');
  return serviceProviderView(row);
}

export async function serviceProviderOf(
  ctx: AppContext,
  integrationId: string,
): Promise<ServiceProviderView | null> {
  const row = await getServiceProvider(ctx.db, integrationId);
  return row ? serviceProviderView(row) : null;
}

export type SamlPost = { acsUrl: string; samlResponse: string; relayState: string };

/** A signed, IdP-initiated Response for the learner, ready to POST to the integration's ACS. */
export async function samlPostFor(
  ctx: AppContext,
  input: { integrationId: string; subject: SamlSubject; relayState: string },
): Promise<SamlPost> {
  const sp = await getServiceProvider(ctx.db, input.integrationId);
  if (!sp)
    throw NotFound(
      'sso_not_configured',
      'Single sign-on to OpenSesame is not configured for this integration.',
    );
  return signedPost(ctx, sp, input.subject, input.relayState);
}

/** SP-initiated: answers an AuthnRequest from a configured SP, at its configured ACS only. */
export async function samlPostForRequest(
  ctx: AppContext,
  input: { request: AuthnRequest; subject: SamlSubject; relayState: string },
): Promise<SamlPost> {
  const [sp] = await findServiceProvidersByEntityId(ctx.db, input.request.issuer);
  if (!sp) throw Invalid('unknown_service_provider', 'This service provider is not configured here.');
  if (input.request.acsUrl && input.request.acsUrl !== sp.acs_url)
    throw Invalid('acs_mismatch', 'The request asks for an ACS URL that is not the configured one.');
  return signedPost(ctx, sp, input.subject, input.relayState, input.request.id);
}

async function signedPost(
  ctx: AppContext,
  sp: ServiceProviderRow,
  subject: SamlSubject,
  relayState: string,
  inResponseTo?: string,
): Promise<SamlPost> {
  const keys = await idpKeys(ctx);
  const { xml } = buildSignedResponse({
    idp: { entityId: idpEntityId(ctx), keys },
    sp: { entityId: sp.entity_id, acsUrl: sp.acs_url },
    subject,
    now: ctx.clock.now(),
    ttlSeconds: DEFAULT_ASSERTION_TTL_SECONDS,
    ...(inResponseTo ? { inResponseTo } : {}),
  });
  ctx.log.info(
    { area: 'sso', integrationId: sp.integration_id, spEntityId: sp.entity_id },
    'SAML assertion issued',
  );
  return { acsUrl: sp.acs_url, samlResponse: Buffer.from(xml, 'utf8').toString('base64'), relayState };
}
