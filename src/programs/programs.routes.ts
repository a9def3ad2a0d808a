// Program templates and sessions under /api/v1, and the course usage view.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { IdParams, SECURITY, errors } from '../platform/platform.schemas.js';
import { CourseSummarySchema } from '../search/search.mapping.js';
import { ItemStateSchema } from '../paths/paths.routes.js';
import * as programs from './programs.service.js';
import { courseUsage } from './usage.service.js';

const tags = ['programs'];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const BlockSchema = Type.Intersect([
  CourseSummarySchema,
  Type.Object({ position: Type.Integer(), archived: Type.Boolean(), state: Type.Optional(ItemStateSchema) }),
]);
const TemplateHead = {
  id: Type.String(),
  groupId: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  createdAt: Type.String(),
};
const TemplateSchema = Type.Object({ ...TemplateHead, blocks: Type.Array(BlockSchema) });
const SessionHead = {
  id: Type.String(),
  templateId: Type.String(),
  groupId: Type.String(),
  name: Type.String(),
  startsAt: Type.String(),
  started: Type.Boolean(),
};
const SessionSchema = Type.Object({
  ...SessionHead,
  blocks: Type.Array(BlockSchema),
  progress: Type.Optional(Type.Object({ completionRate: Type.Integer() })),
});
const UserIds = Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 });

export const programsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const body = Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  });

  app.post(
    '/api/v1/groups/:id/programs',
    {
      schema: {
        tags,
        summary: 'Create a program template in a group (admin or author)',
        security: SECURITY,
        params: IdParams,
        body,
        response: { 201: TemplateSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await programs.createTemplate(ctx, await requireUser(request), request.params.id, request.body),
        ),
  );

  app.get(
    '/api/v1/groups/:id/programs',
    {
      schema: {
        tags,
        summary: "A group's program templates",
        security: SECURITY,
        params: IdParams,
        response: {
          200: Type.Object({ programs: Type.Array(Type.Object(TemplateHead)) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => ({
      programs: await programs.listTemplates(ctx, await requireUser(request), request.params.id),
    }),
  );

  app.get(
    '/api/v1/programs/:id',
    {
      schema: {
        tags,
        summary: 'A program template and its blocks',
        security: SECURITY,
        params: IdParams,
        response: { 200: TemplateSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => programs.getTemplateView(ctx, await requireUser(request), request.params.id),
  );

  app.post(
    '/api/v1/programs/:id/blocks',
    {
      schema: {
        tags,
        summary: 'Append a course as the next block (admin or author; a course they can see)',
        description: 'An archived course answers 409 course_archived.',
        security: SECURITY,
        params: IdParams,
        body: Type.Object({ courseId: Type.String({ minLength: 1 }) }),
        response: { 201: TemplateSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await programs.addBlock(ctx, await requireUser(request), request.params.id, request.body.courseId),
        ),
  );

  app.post(
    '/api/v1/programs/:id/sessions',
    {
      schema: {
        tags,
        summary: 'Start a session of a template for members of its group (admin, coach or author)',
        security: SECURITY,
        params: IdParams,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          startsAt: Type.String({ format: 'date-time' }),
          learnerIds: Type.Optional(UserIds),
        }),
        response: { 201: SessionSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await programs.createSession(ctx, await requireUser(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/programs/:id/sessions',
    {
      schema: {
        tags,
        summary: "A template's sessions",
        security: SECURITY,
        params: IdParams,
        response: {
          200: Type.Object({ sessions: Type.Array(Type.Object(SessionHead)) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => ({
      sessions: await programs.listTemplateSessions(ctx, await requireUser(request), request.params.id),
    }),
  );

  app.get(
    '/api/v1/program-sessions/:id',
    {
      schema: {
        tags,
        summary: 'A session and its blocks (enrolled learners get block states)',
        security: SECURITY,
        params: IdParams,
        response: { 200: SessionSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => programs.getSessionView(ctx, await requireUser(request), request.params.id),
  );

  app.post(
    '/api/v1/program-sessions/:id/learners',
    {
      schema: {
        tags,
        summary: "Enrol members of the program's group in a session (admin, coach or author)",
        security: SECURITY,
        params: IdParams,
        body: Type.Object({ userIds: UserIds }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await programs.enrolSessionLearners(
        ctx,
        await requireUser(request),
        request.params.id,
        request.body.userIds,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/program-sessions',
    {
      schema: {
        tags,
        summary: 'Sessions the caller is enrolled in, with the state of each block',
        security: SECURITY,
        response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }), ...errors(401) },
      },
    },
    async (request) => ({ sessions: await programs.sessionsOfLearner(ctx, await requireUser(request)) }),
  );

  app.get(
    '/api/v1/program-sessions/:id/stats',
    {
      schema: {
        tags,
        summary: 'Per learner progress and the completion rate of a session (admin, coach or author)',
        security: SECURITY,
        params: IdParams,
        response: {
          200: Type.Object({
            sessionId: Type.String(),
            blocks: Type.Integer(),
            learners: Type.Integer(),
            completedLearners: Type.Integer(),
            completionRate: Type.Integer(),
            rows: Type.Array(
              Type.Object({
                userId: Type.String(),
                name: Type.String(),
                email: Type.String(),
                enrolledAt: Type.String(),
                unlockedBlocks: Type.Integer(),
                completedBlocks: Type.Integer(),
                completionRate: Type.Integer(),
                completed: Type.Boolean(),
                lastActivityAt: Type.Union([Type.String(), Type.Null()]),
                timeSpentMs: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => programs.sessionStats(ctx, await requireUser(request), request.params.id),
  );

  app.get(
    '/api/v1/courses/:id/usage',
    {
      schema: {
        tags: ['courses'],
        summary: 'Paths and program templates that hold a course (platform admins, admins of its group)',
        security: SECURITY,
        params: IdParams,
        response: {
          200: Type.Object({
            course: Type.Object({
              id: Type.String(),
              name: Type.String(),
              archived: Type.Boolean(),
              archivedAt: Nullable(Type.String()),
              archivedReason: Nullable(Type.String()),
            }),
            paths: Type.Array(
              Type.Object({
                id: Type.String(),
                groupId: Type.String(),
                name: Type.String(),
                position: Type.Integer(),
                learners: Type.Integer(),
              }),
            ),
            programs: Type.Array(
              Type.Object({
                id: Type.String(),
                groupId: Type.String(),
                name: Type.String(),
                position: Type.Integer(),
                sessions: Type.Integer(),
                learners: Type.Integer(),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => courseUsage(ctx, await requireUser(request), request.params.id),
  );
};
