// Each group's catalog (what its learners see) and library (what its authors build with).
// Coaches and admins curate catalogs; authors and admins fill libraries; archived courses stay out.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFound } from '../errors.js';
import { requireGroupAction } from './guards.js';
import { addToCollection } from './courses.service.js';
import { deleteEntry, getEntry, listEntries, type Collection } from './courses.repository.js';
import { courseView } from './platform.mapping.js';
import { EntrySchema, IdParams, Paging, SECURITY, errors } from './platform.schemas.js';

const EntryParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  courseId: Type.String({ minLength: 1 }),
});
const ACTION = { catalog: 'catalog.add', library: 'library.add' } as const;
const WHO = { catalog: 'coach or admin', library: 'author or admin' } as const;

function collectionRoutes(collection: Collection): FastifyPluginAsyncTypebox {
  return async (app) => {
    const ctx = app.ctx;
    const tags = [collection];
    const base = `/groups/:id/${collection}`;

    app.get(
      base,
      {
        schema: {
          tags,
          summary: `The group's ${collection} (any role in the group)`,
          security: SECURITY,
          params: IdParams,
          querystring: Type.Object({
            includeArchived: Type.Optional(Type.Boolean({ default: false })),
            ...Paging,
          }),
          response: { 200: Type.Object({ entries: Type.Array(EntrySchema) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        await requireGroupAction(request, request.params.id, 'group.read');
        const { includeArchived = false, limit = 100, offset = 0 } = request.query;
        const rows = await listEntries(ctx.db, collection, request.params.id, {
          includeArchived,
          limit,
          offset,
        });
        return { entries: rows.map((e) => ({ ...e, course: courseView(e.course) })) };
      },
    );

    const add = async (
      groupId: string,
      courseId: string,
      request: Parameters<typeof requireGroupAction>[0],
    ) => {
      const grant = await requireGroupAction(request, groupId, ACTION[collection]);
      const { created, course } = await addToCollection(
        ctx,
        collection,
        groupId,
        courseId,
        grant.principal.userId,
      );
      const entry = await getEntry(ctx.db, collection, groupId, courseId);
      return {
        created,
        body: {
          groupId,
          course: courseView(course),
          addedBy: entry?.added_by ?? null,
          addedAt: entry?.added_at ?? ctx.clock.now().toISOString(),
        },
      };
    };
    const addResponses = { 200: EntrySchema, 201: EntrySchema, ...errors(400, 401, 403, 404, 409) };

    app.post(
      base,
      {
        schema: {
          tags,
          summary: `Add a course to the group's ${collection} (${WHO[collection]}); 201 new, 200 already there; 409 course_archived`,
          security: SECURITY,
          params: IdParams,
          body: Type.Object({ courseId: Type.String({ minLength: 1 }) }),
          response: addResponses,
        },
      },
      async (request, reply) => {
        const { created, body } = await add(request.params.id, request.body.courseId, request);
        return reply.status(created ? 201 : 200).send(body);
      },
    );

    app.post(
      `${base}/:courseId`,
      {
        schema: {
          tags,
          summary: `Add a course to the group's ${collection}, course id in the path (same rules)`,
          security: SECURITY,
          params: EntryParams,
          response: addResponses,
        },
      },
      async (request, reply) => {
        const { created, body } = await add(request.params.id, request.params.courseId, request);
        return reply.status(created ? 201 : 200).send(body);
      },
    );

    app.delete(
      `${base}/:courseId`,
      {
        schema: {
          tags,
          summary: `Take a course out of the group's ${collection} (${WHO[collection]})`,
          security: SECURITY,
          params: EntryParams,
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id, courseId } = request.params;
        await requireGroupAction(request, id, ACTION[collection]);
        if (!(await deleteEntry(ctx.db, collection, id, courseId)))
          throw NotFound('entry_not_found', `Course ${courseId} is not in the ${collection} of group ${id}.`);
        return reply.status(204).send(null);
      },
    );
  };
}

export const catalogRoutes = collectionRoutes('catalog');
export const libraryRoutes = collectionRoutes('library');
