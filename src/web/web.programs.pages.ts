// Programs, enough to use synced courses: authors list and create program templates, find courses
// (the same search as the catalog) and append them as blocks, and start a session for members of
// the group; learners see their sessions, block by block, with what is open. Every call goes
// through the programs service, which checks the roles (course.author to edit).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireGroupAction, requireUser } from '../platform/guards.js';
import {
  addBlock,
  createSession,
  createTemplate,
  getTemplateView,
  listTemplateSessions,
  listTemplates,
  sessionsOfLearner,
} from '../programs/programs.service.js';
import { html } from './web.html.js';
import { csrfField, sendPage } from './web.layout.js';
import { groupNav } from './web.group-nav.js';
import { findCourses, groupLearners, groupListPages } from './web.sequence.pages.js';
import { CourseForm, SessionForm, idParams } from './web.sequence.forms.js';
import { when } from './web.format.js';
import { courseFinder, learnerPicker, sequenceList, viewerOf as viewer } from './web.sequence.view.js';

const TemplateParams = idParams('templateId');

export async function programPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  groupListPages(app, {
    section: 'programs',
    title: 'Programs',
    noun: 'program',
    intro: '',
    description: false,
    list: listTemplates,
    create: createTemplate,
  });

  r.get(
    '/programs/:templateId',
    {
      schema: {
        hide: true,
        params: TemplateParams,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const t = await getTemplateView(ctx, viewer(principal), request.params.templateId);
      const grant = await requireGroupAction(request, t.groupId, 'course.author');
      const csrf = reply.generateCsrf();
      const q = request.query.q?.trim();
      const found = await findCourses(ctx, viewer(principal), q);
      const sessions = await listTemplateSessions(ctx, viewer(principal), t.id);
      const members = await groupLearners(ctx, t.groupId);
      const body = html`<h1>${t.name}</h1>
        <section class="panel" aria-labelledby="blocks-h">
          <h2 id="blocks-h">Blocks</h2>
          ${sequenceList(t.blocks, { listClass: 'blocks', empty: 'No blocks yet.' })}
        </section>
        <section class="panel" aria-labelledby="add-h">
          <h2 id="add-h">Add a course</h2>
          ${courseFinder({
            page: `/programs/${t.id}`,
            addAction: `/programs/${t.id}/blocks`,
            csrf,
            q,
            found,
            already: new Set(t.blocks.map((b) => b.id)),
            alreadyLabel: 'In the program',
          })}
        </section>
        <section class="panel" aria-labelledby="sessions-h">
          <h2 id="sessions-h">Sessions</h2>
          <ul>
            ${sessions.map((s) => html`<li>${s.name} — starts ${when(s.startsAt)}</li>`)}
          </ul>
          <form method="post" action="/programs/${t.id}/sessions">
            ${csrfField(csrf)}
            <label for="session-name">New session name</label>
            <input id="session-name" name="name" type="text" required maxlength="200" />
            ${learnerPicker(members)}
            <div class="actions"><button type="submit" class="primary">Start session now</button></div>
          </form>
        </section>`;
      return sendPage(reply, {
        title: t.name,
        principal,
        csrf,
        body: await groupNav(ctx, grant, 'programs', body),
      });
    },
  );

  r.post(
    '/programs/:templateId/blocks',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: TemplateParams,
        body: CourseForm,
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      await addBlock(ctx, viewer(principal), request.params.templateId, request.body.courseId);
      return reply.redirect(`/programs/${request.params.templateId}`, 303);
    },
  );

  r.post(
    '/programs/:templateId/sessions',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: TemplateParams,
        body: SessionForm,
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      await createSession(ctx, viewer(principal), request.params.templateId, {
        name: request.body.name.trim(),
        startsAt: ctx.clock.now().toISOString(),
        learnerIds: request.body.learnerIds ?? [],
      });
      return reply.redirect(`/programs/${request.params.templateId}`, 303);
    },
  );

  r.get('/my/programs', { schema: { hide: true } }, async (request, reply) => {
    const principal = await requireUser(request);
    const sessions = await sessionsOfLearner(ctx, viewer(principal));
    const body = html`<h1>My programs</h1>
      ${sessions.length === 0 ? html`<p>You are not enrolled in a program.</p>` : ''}
      ${sessions.map(
        (s) =>
          html`<section class="panel" aria-label="${s.name}">
            <h2>${s.name}</h2>
            ${s.started ? '' : html`<p>Starts ${when(s.startsAt)}.</p>`}
            ${s.progress ? html`<p>${s.progress.completionRate}% completed</p>` : ''}
            ${sequenceList(s.blocks, { listClass: 'blocks', empty: 'No blocks yet.', from: `session:${s.id}` })}
          </section>`,
      )}`;
    return sendPage(reply, {
      title: 'My programs',
      principal,
      csrf: reply.generateCsrf(),
      section: 'programs',
      body,
    });
  });
}
