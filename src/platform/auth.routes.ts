// Sign-in, sign-out, the caller, and their personal API tokens.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFound } from '../errors.js';
import { SESSION_COOKIE, createApiToken, endSession, login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './auth.plugin.js';
import { requireUser } from './guards.js';
import { deleteApiToken, getUser, listApiTokens } from './users.repository.js';
import { listGroups, userMemberships } from './groups.repository.js';
import { groupView, tokenView, userView } from './platform.mapping.js';
import {
  Email,
  GroupSchema,
  RoleSchema,
  SECURITY,
  TokenSchema,
  UserSchema,
  errors,
} from './platform.schemas.js';

const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with e-mail and password (JSON or form); sets the sb_session cookie',
        body: Type.Object({
          email: Email,
          password: Type.String({ minLength: 1, maxLength: 1024 }),
          next: Type.Optional(
            Type.String({
              pattern: '^/(?![/\\\\])',
              description: 'Same-site path to redirect to (303) after a form sign-in',
            }),
          ),
        }),
        response: {
          200: Type.Object({ user: UserSchema, expiresAt: Type.String() }),
          ...errors(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const { user, session } = await login(ctx, request.body.email, request.body.password, {
        address: request.ip,
      });
      setSessionCookie(reply, session);
      if (request.body.next) return reply.redirect(request.body.next, 303);
      return { user: userView(user), expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the current session (clears the cookie); harmless when not signed in',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await endSession(ctx, cookie);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'The caller, how they signed in, and their group memberships',
        security: SECURITY,
        response: {
          200: Type.Object({
            user: UserSchema,
            via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
            memberships: Type.Array(Type.Object({ group: GroupSchema, role: RoleSchema })),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      const user = await getUser(ctx.db, principal.userId);
      if (!user) throw NotFound('user_not_found', 'The signed-in user no longer exists.');
      const memberships = await userMemberships(ctx.db, user.id);
      const groups = new Map(
        (
          await listGroups(
            ctx.db,
            memberships.map((m) => m.groupId),
          )
        ).map((g) => [g.id, g]),
      );
      return {
        user: userView(user),
        via: principal.via,
        memberships: memberships.flatMap((m) => {
          const g = groups.get(m.groupId);
          return g ? [{ group: groupView(g), role: m.role }] : [];
        }),
      };
    },
  );

  app.post(
    '/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token (shown once) for scripts: Authorization: Bearer <token>',
        security: SECURITY,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: {
          201: Type.Composite([TokenSchema, Type.Object({ token: Type.String() })]),
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const { row, token } = await createApiToken(ctx, principal.userId, request.body.name);
      return reply.status(201).send({ ...tokenView(row), token });
    },
  );

  app.get(
    '/me/tokens',
    {
      schema: {
        tags,
        summary: "The caller's API tokens (never the tokens themselves)",
        security: SECURITY,
        response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }), ...errors(401) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      return { tokens: (await listApiTokens(ctx.db, principal.userId)).map(tokenView) };
    },
  );

  app.delete(
    '/me/tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens',
        security: SECURITY,
        params: Type.Object({ tokenId: Type.String({ minLength: 1 }) }),
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      if (!(await deleteApiToken(ctx.db, principal.userId, request.params.tokenId)))
        throw NotFound('token_not_found', 'No such token.');
      return reply.status(204).send(null);
    },
  );
};
