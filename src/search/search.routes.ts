// GET /api/v1/search: full-text course search with filters, facets and paging.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { SECURITY, errors } from '../platform/platform.schemas.js';
import { search, MAX_PAGE_SIZE } from './search.service.js';
import { CourseSummarySchema } from './search.mapping.js';

const Many = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 });
const Facet = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500, description: 'Words; the last one matches as a prefix' })),
  lang: Type.Optional(Many),
  subject: Type.Optional(Many),
  contentType: Type.Optional(Many),
  source: Type.Optional(Many),
  minDuration: Type.Optional(Type.Integer({ minimum: 0, description: 'Minutes' })),
  maxDuration: Type.Optional(Type.Integer({ minimum: 0, description: 'Minutes' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
});

export const SearchResultSchema = Type.Object({
  total: Type.Integer(),
  approximate: Type.Boolean({
    description:
      'True for very broad matches: total and facet counts were counted over the first 1,000 visible matches ' +
      '(with words and no facet filter, the first 1,000 in candidate order, see rankedAmong) and are lower ' +
      'bounds (show "1,000+")',
  }),
  rankedAmong: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Null when every match was ranked by relevance. A number N when the query matched more than N visible ' +
      'courses: the first N positions are the best N candidates ranked by relevance, candidates being taken ' +
      'courses with every word in their name first, then the others, each in index order; positions after N ' +
      'follow in that same candidate order, unranked. Consecutive pages never repeat or skip a course',
  }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(
    Type.Intersect([
      CourseSummarySchema,
      Type.Object({
        score: Type.Union([Type.Number(), Type.Null()], { description: 'Relevance, higher is better' }),
      }),
    ]),
  ),
  facets: Type.Object({ lang: Facet, subject: Facet, contentType: Facet, source: Facet }),
});

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search the courses the caller can see (archived courses are never listed)',
        description:
          'Visible: catalogs of the caller’s groups and of their public ancestors, libraries of groups where ' +
          'the caller is an admin or author; platform admins see everything. Repeat a filter to OR values.',
        security: SECURITY,
        querystring: SearchQuery,
        response: { 200: SearchResultSchema, ...errors(400, 401) },
      },
    },
    async (request) => {
      const principal = await requireUser(request);
      return search(app.ctx, principal, request.query);
    },
  );
};
