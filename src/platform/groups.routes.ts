// The group tree and its memberships.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFound } from '../errors.js';
import { requireGroupAction, requireUser } from './guards.js';
import { groupsOfUser } from './access.js';
import { createGroup, editGroup, removeGroup } from './groups.service.js';
import {
  deleteMembership,
  getMembership,
  listGroups,
  listMembers,
  upsertMembership,
} from './groups.repository.js';
import { addMember } from './users.service.js';
import { groupView } from './platform.mapping.js';
import {
  Email,
  GroupSchema,
  IdParams,
  MemberSchema,
  RoleSchema,
  SECURITY,
  errors,
} from './platform.schemas.js';

const tags = ['groups'];
const MemberParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  userId: Type.String({ minLength: 1 }),
});

export const groupsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/groups',
    {
      schema: {
        tags,
        summary: 'Groups where the caller has a role (all for platform admins), flat with parentId',
        security: SECURITY,
        querystring: Type.Object({ parentId: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ groups: Type.Array(GroupSchema) }), ...errors(401) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      const mine = await groupsOfUser(ctx.db, principal);
      const rows = await listGroups(ctx.db, mine ? [...mine.keys()] : undefined);
      const { parentId } = request.query;
      return {
        groups: rows
          .filter((g) => parentId === undefined || g.parent_id === parentId)
          .map((g) => groupView(g, mine?.get(g.id) ?? [])),
      };
    },
  );

  app.post(
    '/groups',
    {
      schema: {
        tags,
        summary: 'Create a group (root: platform admin; subgroup: admin of the parent)',
        security: SECURITY,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          parentId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
          isPublic: Type.Optional(Type.Boolean({ default: true })),
        }),
        response: { 201: GroupSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const { name, parentId = null, isPublic = true } = request.body;
      const group = await createGroup(ctx, principal, { name, parentId, isPublic });
      return reply.status(201).send(groupView(group));
    },
  );

  app.get(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: "A group and the caller's roles in it (any role)",
        security: SECURITY,
        params: IdParams,
        response: { 200: GroupSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const grant = await requireGroupAction(request, request.params.id, 'group.read');
      return groupView(grant.group, grant.roles);
    },
  );

  app.patch(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: 'Rename, make public/private, or move a group (admin)',
        security: SECURITY,
        params: IdParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          isPublic: Type.Optional(Type.Boolean()),
          parentId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
        }),
        response: { 200: GroupSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const grant = await requireGroupAction(request, request.params.id, 'group.edit');
      const group = await editGroup(ctx, grant.principal, request.params.id, request.body);
      return groupView(group, grant.roles);
    },
  );

  app.delete(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: 'Delete a group without subgroups or integration (admin of the parent, or platform admin)',
        security: SECURITY,
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      await removeGroup(ctx, principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/groups/:id/members',
    {
      schema: {
        tags,
        summary: 'Members and their roles (admin or coach)',
        security: SECURITY,
        params: IdParams,
        response: { 200: Type.Object({ members: Type.Array(MemberSchema) }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      await requireGroupAction(request, request.params.id, 'members.read');
      return { members: await listMembers(ctx.db, request.params.id) };
    },
  );

  app.post(
    '/groups/:id/members',
    {
      schema: {
        tags,
        summary: 'Add an existing user (by userId or e-mail) with a role, or change their role (admin)',
        security: SECURITY,
        params: IdParams,
        body: Type.Object({
          userId: Type.Optional(Type.String({ minLength: 1 })),
          email: Type.Optional(Email),
          role: RoleSchema,
        }),
        response: { 201: MemberSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await requireGroupAction(request, request.params.id, 'members.manage');
      const user = await addMember(ctx, request.params.id, request.body, request.body.role);
      const m = await getMembership(ctx.db, request.params.id, user.id);
      return reply.status(201).send({
        userId: user.id,
        email: user.email,
        name: user.name,
        role: request.body.role,
        since: m?.created_at ?? ctx.clock.now().toISOString(),
      });
    },
  );

  app.patch(
    '/groups/:id/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role (admin)",
        security: SECURITY,
        params: MemberParams,
        body: Type.Object({ role: RoleSchema }),
        response: { 200: MemberSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      await requireGroupAction(request, id, 'members.manage');
      if (!(await getMembership(ctx.db, id, userId)))
        throw NotFound('member_not_found', `User ${userId} is not a member of group ${id}.`);
      await upsertMembership(ctx.db, {
        groupId: id,
        userId,
        role: request.body.role,
        now: ctx.clock.now().toISOString(),
      });
      const member = (await listMembers(ctx.db, id)).find((m) => m.userId === userId);
      if (!member) throw NotFound('member_not_found', `User ${userId} is not a member of group ${id}.`);
      return member;
    },
  );

  app.delete(
    '/groups/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member (admin)',
        security: SECURITY,
        params: MemberParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id, userId } = request.params;
      await requireGroupAction(request, id, 'members.manage');
      if (!(await deleteMembership(ctx.db, id, userId)))
        throw NotFound('member_not_found', `User ${userId} is not a member of group ${id}.`);
      return reply.status(204).send(null);
    },
  );
};
