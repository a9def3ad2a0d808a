// Statistics for people: per course and per group for the group's admins and coaches, per learner
// for the learner and those who coach them, unmatched statements for the integration group's admins.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Forbidden, NotFound } from '../errors.js';
import { requireGroupRole, requireUser } from '../platform/guards.js';
import { userHasGroupRole } from '../platform/access.js';
import {
  attemptsForCourse,
  attemptsForGroup,
  attemptsForUser,
  countGroupMembers,
  courseOwnerGroup,
  groupsOfMember,
  integrationGroup,
} from './stats.read.repository.js';
import { listUnmatched } from './stats.repository.js';
import { completionRates, summarize, toCsv } from './stats.summary.js';
import { applyPendingStatements } from './stats.worker.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const Paging = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
const STAFF = ['admin', 'coach'] as const;

async function guardCourse(request: FastifyRequest, courseId: string): Promise<void> {
  const groupId = await courseOwnerGroup(request.server.ctx.db, courseId);
  if (!groupId) throw NotFound('course_not_found', `No course ${courseId}.`);
  await requireGroupRole(request, groupId, STAFF);
}

async function guardLearner(request: FastifyRequest, userId: string): Promise<void> {
  const me = await requireUser(request);
  if (me.isPlatformAdmin || me.userId === userId) return;
  const db = request.server.ctx.db;
  for (const g of await groupsOfMember(db, userId))
    if (await userHasGroupRole(db, me.userId, g, STAFF)) return;
  throw Forbidden(
    'insufficient_role',
    'Only the learner, or an admin or coach of one of their groups, sees these statistics.',
  );
}

export const statsRoutes: FastifyPluginAsync = async (app) => {
  const db = app.ctx.db;
  const tags = ['Statistics'];

  app.get('/api/v1/courses/:id/statistics', { schema: { tags, params: IdParams } }, async (request) => {
    const { id } = request.params as { id: string };
    await guardCourse(request, id);
    return { items: summarize(await attemptsForCourse(db, id)) };
  });

  app.get(
    '/api/v1/courses/:id/statistics.csv',
    { schema: { tags, params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await guardCourse(request, id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="course-${id}-statistics.csv"`)
        .send(toCsv(summarize(await attemptsForCourse(db, id))));
    },
  );

  app.get('/api/v1/users/:id/statistics', { schema: { tags, params: IdParams } }, async (request) => {
    const { id } = request.params as { id: string };
    await guardLearner(request, id);
    return { items: summarize(await attemptsForUser(db, id)) };
  });

  app.get('/api/v1/groups/:id/statistics', { schema: { tags, params: IdParams } }, async (request) => {
    const { id } = request.params as { id: string };
    await requireGroupRole(request, id, STAFF);
    const lines = summarize(await attemptsForGroup(db, id));
    return { members: await countGroupMembers(db, id), courses: completionRates(lines), items: lines };
  });

  app.get(
    '/api/v1/groups/:id/statistics.csv',
    { schema: { tags, params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await requireGroupRole(request, id, STAFF);
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="group-${id}-statistics.csv"`)
        .send(toCsv(summarize(await attemptsForGroup(db, id))));
    },
  );

  app.get(
    '/api/v1/integrations/:id/unmatched-statements',
    { schema: { tags, params: IdParams, querystring: Paging } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { limit, offset } = request.query as { limit: number; offset: number };
      const groupId = await integrationGroup(db, id);
      if (!groupId) throw NotFound('integration_not_found', `No integration ${id}.`);
      await requireGroupRole(request, groupId, ['admin']);
      return { items: await listUnmatched(db, id, limit, offset) };
    },
  );

  app.post(
    '/api/v1/integrations/:id/unmatched-statements/retry',
    { schema: { tags, params: IdParams } },
    async (request) => {
      const { id } = request.params as { id: string };
      const groupId = await integrationGroup(db, id);
      if (!groupId) throw NotFound('integration_not_found', `No integration ${id}.`);
      await requireGroupRole(request, groupId, ['admin']);
      return { requeued: await applyPendingStatements(app.ctx, { integrationId: id }) };
    },
  );
};
