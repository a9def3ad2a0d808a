// The course homepage: what the course is, and START. START is a POST (it records the launch) that
// the launch service answers by sending the learner to OpenSesame, signed in by SAML.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { addToCollection, readCourse } from '../platform/courses.service.js';
import { getCourse } from '../platform/courses.repository.js';
import { AppError } from '../errors.js';
import { courseInCatalog, loadScope } from '../search/search.scope.repository.js';
import { isSessionLearner, learnerBlockStates, requireSession } from '../programs/programs.service.js';
import { isPathLearner, learnerStepStates } from '../paths/paths.service.js';
import { launchCourse, type LaunchEntry } from '../launch/launch.service.js';
import { sendToCourse } from '../sso/sso.launch.js';
import type { AppContext } from '../context.js';
import { requireGroupAction } from '../platform/guards.js';
import { groupsOfUser } from '../platform/access.js';
import { listGroups } from '../platform/groups.repository.js';
import { can } from '../platform/roles.js';
import { courseView } from '../platform/platform.mapping.js';
import sanitizeHtml from 'sanitize-html';
import { html, trustedHtml } from './web.html.js';
import { csrfField, sendPage } from './web.layout.js';
import { badge, when } from './web.format.js';
import type { Principal } from '../platform/auth.service.js';

// Synced descriptions are sanitised when synced; native ones are not: sanitise again on the way out.
const DESCRIPTION_ALLOW: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    'ul',
    'ol',
    'li',
    'a',
    'h3',
    'h4',
    'blockquote',
    'code',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

const Params = Type.Object({ courseId: Type.String({ minLength: 1, maxLength: 100 }) });

/** `from` as the course page carries it: `session:<id>`, `path:<id>` or `catalog:<groupId>`. */
export function entryFrom(from: string | undefined): LaunchEntry | undefined {
  const [kind, id] = (from ?? '').split(':', 2);
  if (!id) return undefined;
  if (kind === 'session') return { type: 'program', sessionId: id };
  if (kind === 'path') return { type: 'path', pathId: id };
  if (kind === 'catalog') return { type: 'catalog', groupId: id };
  return undefined;
}

/** A catalog the caller sees that holds the course: START from the course page without `from`. */
async function catalogEntry(
  ctx: AppContext,
  principal: Principal,
  courseId: string,
): Promise<LaunchEntry | undefined> {
  const scope = await loadScope(ctx.db, principal);
  const groupIds = scope.all ? (await listGroups(ctx.db)).map((g) => g.id) : scope.catalogGroupIds;
  for (const groupId of groupIds)
    if (await courseInCatalog(ctx.db, groupId, courseId)) return { type: 'catalog', groupId };
  return undefined;
}

/** Is the course a block of a session, or a step of a path, that the caller follows? */
async function inFollowedSequence(
  ctx: AppContext,
  userId: string,
  courseId: string,
  entry: LaunchEntry | undefined,
): Promise<boolean> {
  if (entry?.type === 'program') {
    if (!(await isSessionLearner(ctx, entry.sessionId, userId))) return false;
    const { session } = await requireSession(ctx, entry.sessionId);
    const { blocks } = await learnerBlockStates(ctx, session, userId);
    return blocks.some((b) => b.id === courseId);
  }
  if (entry?.type === 'path') {
    if (!(await isPathLearner(ctx, entry.pathId, userId))) return false;
    const { steps } = await learnerStepStates(ctx, entry.pathId, userId);
    return steps.some((s) => s.id === courseId);
  }
  return false;
}

/** The course, if the caller sees it in a catalog, or it is in a session or path they follow. */
async function courseFor(ctx: AppContext, principal: Principal, courseId: string, from: string | undefined) {
  try {
    return await readCourse(ctx, principal, courseId);
  } catch (err) {
    if (!(err instanceof AppError) || err.kind !== 'not_found') throw err;
    if (!(await inFollowedSequence(ctx, principal.userId, courseId, entryFrom(from)))) throw err;
    const course = await getCourse(ctx.db, courseId);
    if (!course) throw err;
    return course;
  }
}

export async function coursePages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  /** Groups where the caller may add courses to the catalog or the library (coaches, authors, admins). */
  async function collectionTargets(principal: Principal): Promise<Array<{ id: string; name: string }>> {
    const mine = await groupsOfUser(ctx.db, principal);
    const groups = mine ? await listGroups(ctx.db, [...mine.keys()]) : await listGroups(ctx.db);
    return groups
      .filter((g) => {
        const subject = { isPlatformAdmin: principal.isPlatformAdmin, roles: mine?.get(g.id) ?? [] };
        return can(subject, 'catalog.add') || can(subject, 'library.add');
      })
      .map((g) => ({ id: g.id, name: g.name }));
  }

  r.post(
    '/courses/:courseId/collections',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          groupId: Type.String({ minLength: 1, maxLength: 100 }),
          collection: Type.Union([Type.Literal('catalog'), Type.Literal('library')]),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { groupId, collection } = request.body;
      const grant = await requireGroupAction(
        request,
        groupId,
        collection === 'catalog' ? 'catalog.add' : 'library.add',
      );
      const course = await readCourse(ctx, grant.principal, request.params.courseId);
      await addToCollection(ctx, collection, groupId, course.id, grant.principal.userId);
      return reply.redirect(`/courses/${course.id}?added=${collection}`, 303);
    },
  );

  r.get(
    '/courses/:courseId',
    {
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ maxLength: 200 })),
          added: Type.Optional(Type.Union([Type.Literal('catalog'), Type.Literal('library')])),
        }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const c = courseView(await courseFor(ctx, principal, request.params.courseId, request.query.from));
      const csrf = reply.generateCsrf();
      // Archived courses still launch from the paths and sessions that hold them.
      const entryType = entryFrom(request.query.from)?.type;
      const fromSequence = entryType === 'path' || entryType === 'program';
      const facts = [
        c.author ? ['Author', c.author] : null,
        c.durationMinutes ? ['Duration', `${c.durationMinutes} min`] : null,
        ['Language', [c.lang, ...c.otherLangs].join(', ')],
        ['Type', c.contentType],
        c.subjects.length ? ['Subjects', c.subjects.join(', ')] : null,
        c.source !== 'native' ? ['Source', c.source === 'opensesame' ? 'OpenSesame' : c.source] : null,
      ].filter((f): f is string[] => f !== null);
      const body = html`<article>
        <h1>${c.name}</h1>
        ${c.archived ? html`<p>${badge('Archived', 'warn')} <span class="hint">since ${when(c.archivedAt)}</span></p>` : ''}
        ${c.image ? html`<img src="${c.image}" alt="" class="course-image" referrerpolicy="no-referrer" />` : ''}
        <dl class="fields">
          ${facts.map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
        ${c.description ? html`<section aria-label="Description">${trustedHtml(sanitizeHtml(c.description, DESCRIPTION_ALLOW))}</section>` : ''}
        ${
          c.launchUrl && (!c.archived || fromSequence)
            ? html`<form method="post" action="/courses/${c.id}/start" class="actions">
                  ${csrfField(csrf)}
                  ${request.query.from ? html`<input type="hidden" name="from" value="${request.query.from}" />` : ''}
                  <button type="submit" class="primary">START</button>
                </form>
                ${c.source === 'opensesame' ? html`<p class="hint">Opens the course on OpenSesame, signed in as you.</p>` : ''}`
            : ''
        }
      </article>`;
      const targets = c.archived ? [] : await collectionTargets(principal);
      const added = request.query.added;
      const collections =
        targets.length === 0
          ? ''
          : html`<section class="panel" aria-labelledby="collections-h">
              <h2 id="collections-h">Add to a catalog or library</h2>
              ${added ? html`<p class="alert success" role="status">Added to the ${added}.</p>` : ''}
              <form method="post" action="/courses/${c.id}/collections">
                ${csrfField(csrf)}
                <label for="collection-group">Group</label>
                <select id="collection-group" name="groupId">
                  ${targets.map((g) => html`<option value="${g.id}">${g.name}</option>`)}
                </select>
                <fieldset>
                  <legend>Where</legend>
                  <label
                    ><input type="radio" name="collection" value="catalog" checked /> Catalog (learners see
                    it)</label
                  >
                  <label
                    ><input type="radio" name="collection" value="library" /> Library (authors use it)</label
                  >
                </fieldset>
                <div class="actions"><button type="submit">Add</button></div>
              </form>
            </section>`;
      return sendPage(reply, {
        title: c.name,
        principal,
        csrf,
        section: 'catalog',
        body: html`${body}${collections}`,
      });
    },
  );

  r.post(
    '/courses/:courseId/start',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          from: Type.Optional(Type.String({ maxLength: 200 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const courseId = request.params.courseId;
      const entry = entryFrom(request.body.from) ?? (await catalogEntry(ctx, principal, courseId));
      if (!entry)
        throw new AppError(
          'not_found',
          'course_not_in_catalog',
          'This course is not in a catalog you can start it from.',
        );
      const outcome = await launchCourse(ctx, principal, courseId, entry);
      if (await sendToCourse(ctx, request, reply, outcome)) return reply;
      return reply.redirect(outcome.redirect.url, 303);
    },
  );
}
