// Paths, enough to build them from synced courses: authors and admins of a group list and create
// paths, add courses (the catalog's search), reorder and remove steps, and enrol the group's
// learners; learners see their paths step by step (locked, open, completed) and START open steps
// with the path as entry point. Every call goes through the paths service, which checks the roles.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireGroupAction, requireUser } from '../platform/guards.js';
import {
  addStep,
  createPath,
  enrolLearners,
  getPathView,
  listPaths,
  moveStep,
  pathStats,
  pathsOfLearner,
  removeStep,
} from '../paths/paths.service.js';
import { html } from './web.html.js';
import { csrfField, sendPage } from './web.layout.js';
import { groupNav } from './web.group-nav.js';
import { findCourses, groupLearners, groupListPages } from './web.sequence.pages.js';
import { CourseForm, LearnersForm, MoveForm, idParams } from './web.sequence.forms.js';
import { when } from './web.format.js';
import { actionButton, courseFinder, learnerPicker, sequenceList, viewerOf } from './web.sequence.view.js';

const PathParams = idParams('pathId');

/** What the editor says after an action (the redirect carries the key, never free text). */
const NOTICES = new Map([
  ['added', 'Step added at the end.'],
  ['moved', 'Step moved.'],
  ['removed', 'Step removed.'],
  ['enrolled', 'Learners enrolled.'],
] as const);
type Notice = typeof NOTICES extends Map<infer K, string> ? K : never;

export async function pathPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const back = (pathId: string, notice: Notice, anchor: string) =>
    `/paths/${pathId}?notice=${notice}#${anchor}`;

  groupListPages(app, {
    section: 'paths',
    title: 'Paths',
    noun: 'path',
    intro: html`<p class="hint">
      A path is a list of courses taken in order: each step opens when the one before is completed.
    </p>`,
    description: true,
    list: listPaths,
    create: createPath,
  });

  r.get(
    '/paths/:pathId',
    {
      schema: {
        hide: true,
        params: PathParams,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          notice: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const who = viewerOf(principal);
      const p = await getPathView(ctx, who, request.params.pathId);
      const grant = await requireGroupAction(request, p.groupId, 'course.author');
      const csrf = reply.generateCsrf();
      const q = request.query.q?.trim();
      const found = await findCourses(ctx, who, q);
      const stats = await pathStats(ctx, who, p.id);
      const enrolled = new Set(stats.rows.map((row) => row.userId));
      const learners = await groupLearners(ctx, p.groupId);
      const toEnrol = learners.filter((m) => !enrolled.has(m.userId));
      const notice = NOTICES.get(request.query.notice as Notice);
      const last = p.steps.length - 1;
      const stepAction = (suffix: string) => `/paths/${p.id}/steps${suffix}`;
      const body = html`<h1>${p.name}</h1>
        ${p.description ? html`<p>${p.description}</p>` : ''}
        ${notice ? html`<p class="alert success" role="status">${notice}</p>` : ''}
        <section class="panel" aria-labelledby="steps-h">
          <h2 id="steps-h">Steps</h2>
          <p class="hint">
            Learners take the steps in this order; each opens when the one before is completed.
          </p>
          ${sequenceList(p.steps, {
            listClass: 'steps',
            empty: 'No steps yet: find a course below and add it.',
            controls: (step, i) => html`
              ${i > 0 ? actionButton(stepAction('/move'), csrf, { courseId: step.id, direction: 'up' }, 'Move up', step.name) : ''}
              ${i < last ? actionButton(stepAction('/move'), csrf, { courseId: step.id, direction: 'down' }, 'Move down', step.name) : ''}
              ${actionButton(stepAction('/remove'), csrf, { courseId: step.id }, 'Remove', step.name, 'danger')}
              ${step.archived ? html`<span class="hint">Archived: it stays for learners, but cannot be added again once removed.</span>` : ''}
            `,
          })}
        </section>
        <section class="panel" aria-labelledby="add-h">
          <h2 id="add-h">Add a course</h2>
          ${courseFinder({
            page: `/paths/${p.id}`,
            addAction: stepAction(''),
            csrf,
            q,
            found,
            already: new Set(p.steps.map((s) => s.id)),
            alreadyLabel: 'In the path',
          })}
        </section>
        <section class="panel" aria-labelledby="learners-h">
          <h2 id="learners-h">Learners</h2>
          ${
            stats.rows.length === 0
              ? html`<p>No learner enrolled yet.</p>`
              : html`<div class="table-wrap">
                  <table>
                    <caption class="visually-hidden">
                      Enrolled learners and their progress
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Learner</th>
                        <th scope="col">Steps completed</th>
                        <th scope="col">Last activity</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${stats.rows.map(
                        (row) =>
                          html`<tr>
                            <td>${row.name} <span class="hint">${row.email}</span></td>
                            <td>${row.completedSteps} of ${stats.steps} (${row.completionRate}%)</td>
                            <td>${when(row.lastActivityAt)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
          }
          ${
            toEnrol.length === 0 && learners.length > 0
              ? html`<p class="hint">Every learner of the group is enrolled.</p>`
              : html`<form method="post" action="/paths/${p.id}/learners">
                  ${csrfField(csrf)} ${learnerPicker(toEnrol, 'Enrol learners of the group')}
                  <div class="actions"><button type="submit" class="primary">Enrol</button></div>
                </form>`
          }
        </section>`;
      return sendPage(reply, {
        title: p.name,
        principal,
        csrf,
        body: await groupNav(ctx, grant, 'paths', body),
      });
    },
  );

  // Adding and removing a step take the same form and answer alike.
  for (const [suffix, change, notice] of [
    ['', addStep, 'added'],
    ['/remove', removeStep, 'removed'],
  ] as const)
    r.post(
      `/paths/:pathId/steps${suffix}`,
      { preHandler: app.csrfProtection, schema: { hide: true, params: PathParams, body: CourseForm } },
      async (request, reply) => {
        const principal = await requireUser(request);
        await change(ctx, viewerOf(principal), request.params.pathId, request.body.courseId);
        return reply.redirect(back(request.params.pathId, notice, 'steps-h'), 303);
      },
    );

  r.post(
    '/paths/:pathId/steps/move',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: PathParams,
        body: MoveForm,
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const { courseId, direction } = request.body;
      await moveStep(ctx, viewerOf(principal), request.params.pathId, courseId, direction);
      return reply.redirect(back(request.params.pathId, 'moved', 'steps-h'), 303);
    },
  );

  r.post(
    '/paths/:pathId/learners',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: PathParams,
        body: LearnersForm,
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      await enrolLearners(ctx, viewerOf(principal), request.params.pathId, request.body.learnerIds ?? []);
      return reply.redirect(back(request.params.pathId, 'enrolled', 'learners-h'), 303);
    },
  );

  r.get('/my/paths', { schema: { hide: true } }, async (request, reply) => {
    const principal = await requireUser(request);
    const csrf = reply.generateCsrf();
    const paths = await pathsOfLearner(ctx, viewerOf(principal));
    const body = html`<h1>My paths</h1>
      ${paths.length === 0 ? html`<p>You are not enrolled in a path.</p>` : ''}
      ${paths.map(
        (p) =>
          html`<section class="panel" aria-labelledby="path-${p.id}">
            <h2 id="path-${p.id}">${p.name}</h2>
            ${p.description ? html`<p>${p.description}</p>` : ''}
            ${p.progress ? html`<p>${p.progress.completionRate}% completed</p>` : ''}
            ${sequenceList(p.steps, {
              listClass: 'steps',
              empty: 'No steps yet.',
              from: `path:${p.id}`,
              controls: (step) =>
                step.state === 'locked'
                  ? html`<span class="hint">Opens when the step before is completed.</span>`
                  : actionButton(
                      `/courses/${step.id}/start`,
                      csrf,
                      { from: `path:${p.id}` },
                      'START',
                      step.name,
                      'primary',
                    ),
            })}
          </section>`,
      )}`;
    return sendPage(reply, { title: 'My paths', principal, csrf, section: 'paths', body });
  });
}
