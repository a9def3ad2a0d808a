// Program templates and sessions under /api/v1, and the course usage view.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { IdParams, SECURITY, errors } from '../platform/platform.schemas.js';
import {
  AddCourseBody,
  CreateHeadBody,
  HeadFields,
  LearnerFields,
  Nullable,
  ProgressSchema,
  learnerProgressFields,
  learnersSummaryFields,
  sequenceItemSchema,
} from '../paths/sequence.schemas.js';
import * as programs from './programs.service.js';
import { courseUsage } from './usage.service.js';

const tags = ['programs'];
const BlockSchema = sequenceItemSchema();
const TemplateSchema = Type.Object({ ...HeadFields, blocks: Type.Array(BlockSchema) });
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
  progress: ProgressSchema,
});
const UserIds = Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 });

export const programsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.post(
    '/api/v1/groups/:id/programs',
    {
      schema: {
        tags,
        summary: 'Create a program template in a group (admin or author)',
        security: SECURITY,
        params: IdParams,
        body: CreateHeadBody,
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
          200: Type.Object({ programs: Type.Array(Type.Object(HeadFields)) }),
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
        body: AddCourseBody,
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
            ...learnersSummaryFields(),
            rows: Type.Array(
              Type.Object({
                ...LearnerFields,
                unlockedBlocks: Type.Integer(),
                completedBlocks: Type.Integer(),
                ...learnerProgressFields(),
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
