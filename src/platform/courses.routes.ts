// Courses: read any course you can see; synced ones are read-only except local tags; authors make
// and edit their group's own courses.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireGroupAction, requireUser } from './guards.js';
import { courseScopeOf, createNativeCourse, editCourse, readCourse } from './courses.service.js';
import { listCourses } from './courses.repository.js';
import { courseView } from './platform.mapping.js';
import { CourseSchema, IdParams, Paging, SECURITY, errors } from './platform.schemas.js';

const tags = ['courses'];
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const ContentFields = {
  description: Type.Optional(Type.Union([Type.String({ maxLength: 100_000 }), Type.Null()])),
  image: Type.Optional(Nullable(Type.String({ pattern: '^https?://', maxLength: 2000 }))),
  durationMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()])),
  launchUrl: Type.Optional(Nullable(Type.String({ pattern: '^https?://', maxLength: 2000 }))),
  contentType: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  subjects: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
};

export const coursesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/courses',
    {
      schema: {
        tags,
        summary: 'Courses the caller can see (all for platform admins); archived hidden unless asked',
        security: SECURITY,
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ maxLength: 200, description: 'Words in the name, case-insensitive' }),
          ),
          source: Type.Optional(Type.String({ description: "'native', 'opensesame', …" })),
          includeArchived: Type.Optional(Type.Boolean({ default: false })),
          ...Paging,
        }),
        response: {
          200: Type.Object({ courses: Type.Array(CourseSchema), total: Type.Integer() }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      const { q, source, includeArchived = false, limit = 100, offset = 0 } = request.query;
      const scope = await courseScopeOf(ctx, principal);
      const { courses, total } = await listCourses(ctx.db, {
        scope,
        q,
        source,
        includeArchived,
        limit,
        offset,
      });
      return { courses: courses.map(courseView), total };
    },
  );

  app.get(
    '/courses/:id',
    {
      schema: {
        tags,
        summary: 'One course (404 when it does not exist or the caller cannot see it)',
        security: SECURITY,
        params: IdParams,
        response: { 200: CourseSchema, ...errors(401, 404) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      return courseView(await readCourse(ctx, principal, request.params.id));
    },
  );

  app.post(
    '/courses',
    {
      schema: {
        tags,
        summary:
          "Create a platform-authored course in a group (author or admin); it joins the group's library",
        security: SECURITY,
        body: Type.Object({
          groupId: Type.String({ minLength: 1 }),
          name: Type.String({ minLength: 1, maxLength: 500 }),
          lang: Type.String({ minLength: 2, maxLength: 10 }),
          ...ContentFields,
        }),
        response: { 201: CourseSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { groupId, ...input } = request.body;
      const grant = await requireGroupAction(request, groupId, 'course.author');
      const course = await createNativeCourse(ctx, grant.principal, groupId, input);
      return reply.status(201).send(courseView(course));
    },
  );

  app.patch(
    '/courses/:id',
    {
      schema: {
        tags,
        summary:
          'Edit a course. Synced courses answer 409 course_read_only to any content field but accept localTags',
        security: SECURITY,
        params: IdParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          lang: Type.Optional(Type.String({ minLength: 2, maxLength: 10 })),
          archived: Type.Optional(Type.Boolean()),
          ...ContentFields,
          localTags: Type.Optional(
            Type.Array(Type.String({ maxLength: 100 }), {
              maxItems: 100,
              description: 'Replaces the hand-added tags; kept across syncs',
            }),
          ),
        }),
        response: { 200: CourseSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      return courseView(await editCourse(ctx, principal, request.params.id, request.body));
    },
  );
};
