// START. POST /api/v1/courses/:id/launch (JSON answers {redirectUrl, attemptIds}; an HTML form post
// is redirected) and GET of the same URL for links in pages (redirected). The entry point says
// where the learner pressed START: catalog + groupId, path + pathId, program + sessionId.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { IdParams, SECURITY, errors } from '../platform/platform.schemas.js';
import { launchCourse, parseEntry } from './launch.service.js';
import { redirectResponder, type LaunchResponder } from './launch.responder.js';

const EntrySchema = Type.Object({
  entry: Type.Union([Type.Literal('catalog'), Type.Literal('path'), Type.Literal('program')]),
  groupId: Type.Optional(Type.String({ minLength: 1 })),
  pathId: Type.Optional(Type.String({ minLength: 1 })),
  sessionId: Type.Optional(Type.String({ minLength: 1 })),
});
const ERRORS = errors(400, 401, 403, 404, 409);

export const launchRoutes: FastifyPluginAsyncTypebox<{ responder?: LaunchResponder }> = async (app, opts) => {
  const ctx = app.ctx;
  const responder = opts.responder ?? redirectResponder;

  app.post(
    '/api/v1/courses/:id/launch',
    {
      schema: {
        tags: ['launch'],
        summary: 'Launch a course (START): records an attempt and answers where to go',
        description:
          'Archived courses launch only from a path or program session that already holds them (409 course_archived). ' +
          'Locked path steps and program blocks answer 409 step_locked / block_locked.',
        security: SECURITY,
        params: IdParams,
        body: EntrySchema,
        response: {
          200: Type.Object({
            redirectUrl: Type.String(),
            attemptIds: Type.Array(Type.String()),
            unlockedPosition: Type.Optional(
              Type.Integer({ description: 'Program block this launch unlocked' }),
            ),
          }),
          ...ERRORS,
        },
      },
    },
    async (request, reply) => {
      const who = await requireUser(request);
      const outcome = await launchCourse(ctx, who, request.params.id, parseEntry(request.body));
      const browser = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      await responder({ ctx, request, reply, outcome, browser });
      return reply;
    },
  );

  app.get(
    '/api/v1/courses/:id/launch',
    {
      schema: {
        tags: ['launch'],
        summary: 'Launch a course from a link (redirects)',
        security: SECURITY,
        params: IdParams,
        querystring: EntrySchema,
        response: ERRORS,
      },
    },
    async (request, reply) => {
      const who = await requireUser(request);
      const outcome = await launchCourse(ctx, who, request.params.id, parseEntry(request.query));
      await responder({ ctx, request, reply, outcome, browser: true });
      return reply;
    },
  );
};
