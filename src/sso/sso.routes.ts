// SAML endpoints: the IdP metadata OpenSesame is given, and each integration's SP settings (group
// admins, per group, like the rest of Settings → Integrations → OpenSesame).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFound } from '../errors.js';
import { groupActionGuard, requireUser } from '../platform/guards.js';
import { SECURITY, errors } from '../platform/platform.schemas.js';
import { getIntegrationByGroup } from '../integrations/integrations.repository.js';
import { getPrincipal } from '../platform/auth.plugin.js';
import { Invalid } from '../errors.js';
import { decodeRedirectAuthnRequest } from './sso.authn-request.js';
import { sendSamlPostPage } from './sso.post-page.js';
import { pageSecurityHeaders } from '../web/web.security.js';
import {
  configureServiceProvider,
  idpEntityId,
  idpMetadata,
  samlPostForRequest,
  serviceProviderOf,
} from './sso.service.js';

const tags = ['sso'];

const SpSchema = Type.Object({
  integrationId: Type.String(),
  entityId: Type.String(),
  acsUrl: Type.String(),
  fromMetadata: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SpBody = Type.Union([
  Type.Object(
    { metadataXml: Type.String({ minLength: 20, maxLength: 200_000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      entityId: Type.String({ minLength: 1, maxLength: 1000 }),
      acsUrl: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' }),
    },
    { additionalProperties: false },
  ),
]);

export const ssoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  await pageSecurityHeaders(app); // /saml/sso is a page (and so are its redirects)

  app.get(
    '/saml/metadata',
    { schema: { tags, summary: 'SAML 2.0 identity provider metadata (give it to OpenSesame)' } },
    async (_request, reply) =>
      reply.type('application/samlmetadata+xml; charset=utf-8').send(await idpMetadata(ctx)),
  );

  app.get(
    '/saml/sso',
    {
      schema: {
        tags,
        summary: 'SP-initiated sign-in (HTTP-Redirect binding): signs the caller in to the asking SP',
        querystring: Type.Object({
          SAMLRequest: Type.String({ minLength: 1, maxLength: 200_000 }),
          RelayState: Type.Optional(Type.String({ maxLength: 4000 })),
        }),
      },
    },
    async (request, reply) => {
      const authn = decodeRedirectAuthnRequest(request.query.SAMLRequest);
      if (!authn) throw Invalid('invalid_authn_request', 'The SAMLRequest is not a readable AuthnRequest.');
      const principal = await getPrincipal(request);
      if (!principal) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      const post = await samlPostForRequest(ctx, {
        request: authn,
        subject: { email: principal.email, name: principal.name },
        relayState: request.query.RelayState ?? '',
      });
      return sendSamlPostPage(ctx.config, reply, post);
    },
  );

  const integrationOf = async (groupId: string) => {
    const integration = await getIntegrationByGroup(ctx.db, groupId);
    if (!integration)
      throw NotFound('integration_not_found', `Group ${groupId} has no OpenSesame integration.`);
    return integration;
  };

  app.get(
    '/api/v1/groups/:groupId/integrations/opensesame/saml',
    {
      preHandler: groupActionGuard('integration.manage', 'groupId'),
      schema: {
        tags,
        summary: "The integration's SAML service provider (OpenSesame) and our IdP entity id",
        security: SECURITY,
        params: Type.Object({ groupId: Type.String() }),
        response: {
          200: Type.Object({
            idpEntityId: Type.String(),
            serviceProvider: Type.Union([SpSchema, Type.Null()]),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => {
      const integration = await integrationOf(request.params.groupId);
      return { idpEntityId: idpEntityId(ctx), serviceProvider: await serviceProviderOf(ctx, integration.id) };
    },
  );

  app.put(
    '/api/v1/groups/:groupId/integrations/opensesame/saml',
    {
      preHandler: groupActionGuard('integration.manage', 'groupId'),
      schema: {
        tags,
        summary: 'Set the SAML service provider from its metadata XML, or from its entity id and ACS URL',
        security: SECURITY,
        params: Type.Object({ groupId: Type.String() }),
        body: SpBody,
        response: { 200: SpSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      const integration = await integrationOf(request.params.groupId);
      return configureServiceProvider(ctx, integration.id, request.body, principal.userId);
    },
  );
};
