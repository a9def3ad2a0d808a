// People: platform admins create anyone; a group admin creates people straight into their group.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Forbidden, Invalid, NotFound } from '../errors.js';
import { requireGroupAction, requirePlatformAdmin, requireUser } from './guards.js';
import { addMember, createUser } from './users.service.js';
import { getUser, listUsers } from './users.repository.js';
import { userView } from './platform.mapping.js';
import { Email, IdParams, Paging, RoleSchema, SECURITY, UserSchema, errors } from './platform.schemas.js';

const tags = ['users'];

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Create a user (platform admin; or a group admin, into their group with groupId and role)',
        security: SECURITY,
        body: Type.Object({
          email: Email,
          name: Type.String({ minLength: 1, maxLength: 200 }),
          password: Type.Optional(
            Type.String({ maxLength: 1024, description: 'Omit for a token-only account' }),
          ),
          isPlatformAdmin: Type.Optional(Type.Boolean()),
          groupId: Type.Optional(Type.String({ minLength: 1 })),
          role: Type.Optional(RoleSchema),
        }),
        response: { 201: UserSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.groupId === undefined) !== (body.role === undefined))
        throw Invalid('group_and_role', 'Give groupId and role together.');
      const principal = await requireUser(request);
      if (!principal.isPlatformAdmin) {
        if (body.isPlatformAdmin)
          throw Forbidden('platform_admin_required', 'Only a platform administrator can make one.');
        if (!body.groupId)
          throw Forbidden(
            'platform_admin_required',
            'Give groupId and role to create a member of your group.',
          );
      }
      if (body.groupId) await requireGroupAction(request, body.groupId, 'members.manage');
      const user = await createUser(ctx, {
        email: body.email,
        name: body.name,
        password: body.password ?? null,
        isPlatformAdmin: body.isPlatformAdmin ?? false,
      });
      if (body.groupId && body.role) await addMember(ctx, body.groupId, { userId: user.id }, body.role);
      return reply.status(201).send(userView(user));
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (platform admin); filter by e-mail, case-insensitive',
        security: SECURITY,
        querystring: Type.Object({ email: Type.Optional(Type.String()), ...Paging }),
        response: { 200: Type.Object({ users: Type.Array(UserSchema) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      await requirePlatformAdmin(request);
      const { email, limit = 100, offset = 0 } = request.query;
      return { users: (await listUsers(ctx.db, { email, limit, offset })).map(userView) };
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'One user (platform admin, or yourself)',
        security: SECURITY,
        params: IdParams,
        response: { 200: UserSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      if (!principal.isPlatformAdmin && principal.userId !== request.params.id)
        throw Forbidden('platform_admin_required', 'Only a platform administrator can see other users.');
      const user = await getUser(ctx.db, request.params.id);
      if (!user) throw NotFound('user_not_found', `No user ${request.params.id}.`);
      return userView(user);
    },
  );
};
