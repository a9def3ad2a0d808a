// Paths under /api/v1: build (authors), enrol (admins, coaches, authors), follow (learners).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { IdParams, SECURITY, errors } from '../platform/platform.schemas.js';
import {
  AddCourseBody,
  CreateHeadBody,
  HeadFields,
  LearnerFields,
  ProgressSchema,
  learnerProgressFields,
  learnersSummaryFields,
  sequenceItemSchema,
} from './sequence.schemas.js';
import * as paths from './paths.service.js';

const tags = ['paths'];
const StepSchema = sequenceItemSchema('Archived courses stay in the paths that hold them');
const PathSchema = Type.Object({ ...HeadFields, steps: Type.Array(StepSchema), progress: ProgressSchema });
const PathStatsSchema = Type.Object({
  pathId: Type.String(),
  steps: Type.Integer(),
  ...learnersSummaryFields('Share of enrolled learners who completed every step, %'),
  rows: Type.Array(
    Type.Object({
      ...LearnerFields,
      completedSteps: Type.Integer(),
      ...learnerProgressFields('Plays after the integration was set up'),
    }),
  ),
});

export const pathsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.post(
    '/api/v1/groups/:id/paths',
    {
      schema: {
        tags,
        summary: 'Create a path in a group (admin or author)',
        security: SECURITY,
        params: IdParams,
        body: CreateHeadBody,
        response: { 201: PathSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const who = await requireUser(request);
      return reply.status(201).send(await paths.createPath(ctx, who, request.params.id, request.body));
    },
  );

  app.get(
    '/api/v1/groups/:id/paths',
    {
      schema: {
        tags,
        summary: "A group's paths (any role in the group)",
        security: SECURITY,
        params: IdParams,
        response: {
          200: Type.Object({ paths: Type.Array(Type.Object(HeadFields)) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => ({ paths: await paths.listPaths(ctx, await requireUser(request), request.params.id) }),
  );

  app.get(
    '/api/v1/me/paths',
    {
      schema: {
        tags,
        summary: 'Paths the caller is enrolled in, with the state of each step',
        security: SECURITY,
        response: { 200: Type.Object({ paths: Type.Array(PathSchema) }), ...errors(401) },
      },
    },
    async (request) => ({ paths: await paths.pathsOfLearner(ctx, await requireUser(request)) }),
  );

  app.get(
    '/api/v1/paths/:id',
    {
      schema: {
        tags,
        summary: 'A path and its steps (group members and enrolled learners; learners get step states)',
        security: SECURITY,
        params: IdParams,
        response: { 200: PathSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => paths.getPathView(ctx, await requireUser(request), request.params.id),
  );

  app.post(
    '/api/v1/paths/:id/steps',
    {
      schema: {
        tags,
        summary: 'Append a course as the next step (admin or author of the group; a course they can see)',
        description:
          'An archived course answers 409 course_archived; one already in the path 409 course_already_in_path.',
        security: SECURITY,
        params: IdParams,
        body: AddCourseBody,
        response: { 201: PathSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const who = await requireUser(request);
      return reply.status(201).send(await paths.addStep(ctx, who, request.params.id, request.body.courseId));
    },
  );

  app.post(
    '/api/v1/paths/:id/learners',
    {
      schema: {
        tags,
        summary: "Enrol members of the path's group (admin, coach or author)",
        security: SECURITY,
        params: IdParams,
        body: Type.Object({
          userIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000 }),
        }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await paths.enrolLearners(ctx, await requireUser(request), request.params.id, request.body.userIds);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/paths/:id/stats',
    {
      schema: {
        tags,
        summary: 'Per learner progress and the completion rate of a path (admin, coach or author)',
        security: SECURITY,
        params: IdParams,
        response: { 200: PathStatsSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => paths.pathStats(ctx, await requireUser(request), request.params.id),
  );
};
