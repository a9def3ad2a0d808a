// POST /api/opensesame/oauth2/token — OAuth 2.0 client credentials (RFC 6749 §4.4) for content
// providers. Answers in RFC 6749's own format (§5.1, §5.2), not the app's error envelope.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { checkClient, failureLimiter, issueToken } from './xapi.auth.js';
import { parseBasic, parseScope, TOKEN_TTL_SECONDS } from './xapi.credentials.js';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

function oauthError(reply: FastifyReply, status: number, error: OAuthError, description: string) {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="sesame-bridge", charset="UTF-8"');
  return reply.status(status).send({ error, error_description: description });
}

const field = (body: Record<string, unknown>, k: string): string | undefined => {
  const v = body[k];
  return typeof v === 'string' ? v : undefined;
};

export const oauthRoutes: FastifyPluginAsync = async (app) => {
  // Form bodies are parsed by @fastify/formbody (app.ts); JSON by Fastify itself.
  app.post(
    '/api/opensesame/oauth2/token',
    { schema: { hide: false, tags: ['xAPI'], summary: 'OAuth 2.0 token (client credentials)' } },
    async (request, reply) => {
      const ctx = app.ctx;
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
        string,
        unknown
      >;
      const header = request.headers.authorization;
      const basic = parseBasic(header);
      if (header && !basic)
        return oauthError(reply, 401, 'invalid_client', 'Unsupported Authorization header; use Basic.');
      const bodyId = field(body, 'client_id');
      const bodySecret = field(body, 'client_secret');
      if (
        basic &&
        (bodyId !== undefined || bodySecret !== undefined) &&
        (bodyId !== basic.id || bodySecret !== undefined)
      )
        return oauthError(
          reply,
          400,
          'invalid_request',
          'Send client credentials in one place only (Basic or body).',
        );
      const grantType = field(body, 'grant_type');
      if (!grantType) return oauthError(reply, 400, 'invalid_request', 'grant_type is required.');
      const clientId = basic?.id ?? bodyId;
      const secret = basic?.secret ?? bodySecret;
      if (!clientId || secret === undefined)
        return oauthError(reply, 401, 'invalid_client', 'Client authentication is required.');

      const nowMs = ctx.clock.now().getTime();
      const keys = [`client:${clientId}`, `ip:${request.ip}`];
      const wait = failureLimiter(ctx).blockedFor(keys, nowMs);
      if (wait > 0) {
        reply.header('Retry-After', String(wait)).header('Cache-Control', 'no-store');
        return reply
          .status(429)
          .send({ error: 'too_many_requests', error_description: 'Too many failed attempts; retry later.' });
      }
      const integration = await checkClient(ctx, clientId, secret);
      if (!integration) {
        failureLimiter(ctx).fail(keys, nowMs);
        return oauthError(
          reply,
          401,
          'invalid_client',
          'Unknown client, wrong secret, or credentials no longer valid.',
        );
      }
      if (grantType !== 'client_credentials')
        return oauthError(reply, 400, 'unsupported_grant_type', 'Only client_credentials is supported.');
      const scopes = parseScope(body.scope);
      if (!scopes)
        return oauthError(reply, 400, 'invalid_scope', 'Known scopes: xapi:write, xapi:read, xapi:all.');
      const token = await issueToken(ctx, integration, scopes);
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      return {
        access_token: token,
        token_type: 'Bearer',
        expires_in: TOKEN_TTL_SECONDS,
        scope: scopes.join(' '),
      };
    },
  );
};
