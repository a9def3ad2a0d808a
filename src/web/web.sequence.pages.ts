// The pages paths and programs have alike: a group's list with the form that creates one (its own
// POST), and what an editor page loads besides the sequence itself (the course finder's results,
// the group's learners). Every call goes through the area's service, which checks the roles.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { requireGroupAction, requireUser } from '../platform/guards.js';
import { listMembers } from '../platform/groups.repository.js';
import type { HeadView } from '../paths/sequence.service.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { search } from '../search/search.service.js';
import { html, type HtmlValue } from './web.html.js';
import { sendPage } from './web.layout.js';
import { groupNav } from './web.group-nav.js';
import { CreateForm, GroupParams } from './web.sequence.forms.js';
import { createHeadForm, headList, viewerOf } from './web.sequence.view.js';

/**
 * GET and POST `/groups/:groupId/<section>` (course authors): the list links to `/<section>/<id>`,
 * where a new one lands once created.
 */
export function groupListPages(
  app: FastifyInstance,
  options: {
    section: 'paths' | 'programs';
    title: string;
    noun: string;
    intro: HtmlValue;
    /** Whether the create form asks for a description. */
    description: boolean;
    list: (ctx: AppContext, who: Viewer, groupId: string) => Promise<HeadView[]>;
    create: (
      ctx: AppContext,
      who: Viewer,
      groupId: string,
      input: { name: string; description?: string | null },
    ) => Promise<{ id: string }>;
  },
): void {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { section, noun } = options;

  r.get(
    `/groups/:groupId/${section}`,
    { schema: { hide: true, params: GroupParams } },
    async (request, reply) => {
      const grant = await requireGroupAction(request, request.params.groupId, 'course.author');
      const csrf = reply.generateCsrf();
      const heads = await options.list(ctx, viewerOf(grant.principal), grant.group.id);
      const body = html`<h1>${options.title}</h1>
        ${options.intro} ${headList(heads, (id) => `/${section}/${id}`, `No ${noun} yet.`)}
        ${createHeadForm({ action: `/groups/${grant.group.id}/${section}`, csrf, noun, description: options.description })}`;
      return sendPage(reply, {
        title: options.title,
        principal: grant.principal,
        csrf,
        body: await groupNav(ctx, grant, section, body),
      });
    },
  );

  r.post(
    `/groups/:groupId/${section}`,
    { preHandler: app.csrfProtection, schema: { hide: true, params: GroupParams, body: CreateForm } },
    async (request, reply) => {
      const principal = await requireUser(request);
      const name = request.body.name.trim();
      const description = request.body.description?.trim();
      const input = options.description ? { name, description: description ? description : null } : { name };
      const created = await options.create(ctx, viewerOf(principal), request.params.groupId, input);
      return reply.redirect(`/${section}/${created.id}`, 303);
    },
  );
}

/** The course finder's results for `q` (none without a query), as the catalog search shows them. */
export async function findCourses(ctx: AppContext, who: Viewer, q: string | undefined) {
  return q ? search(ctx, who, { q, pageSize: 10 }) : null;
}

/** The group's members with the learner role, the ones a path or session enrols. */
export async function groupLearners(ctx: AppContext, groupId: string) {
  return (await listMembers(ctx.db, groupId)).filter((m) => m.role === 'learner');
}
