// The course homepage: what the course is, and START. START is a POST (it records the launch) that
// the launch service answers by sending the learner to OpenSesame, signed in by SAML.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { readCourse } from '../platform/courses.service.js';
import { courseView } from '../platform/platform.mapping.js';
import sanitizeHtml from 'sanitize-html';
import { html, trustedHtml } from './web.html.js';
import { csrfField, sendPage } from './web.layout.js';
import { badge, when } from './web.format.js';

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

export async function coursePages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/courses/:courseId',
    {
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const c = courseView(await readCourse(ctx, principal, request.params.courseId));
      const csrf = reply.generateCsrf();
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
        ${c.image ? html`<img src="${c.image}" alt="" style="max-width:28rem;width:100%;border-radius:6px" referrerpolicy="no-referrer" />` : ''}
        <dl class="fields">
          ${facts.map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
        ${c.description ? html`<section aria-label="Description">${trustedHtml(sanitizeHtml(c.description, DESCRIPTION_ALLOW))}</section>` : ''}
        ${
          c.launchUrl && !c.archived
            ? html`<form method="post" action="/courses/${c.id}/start" class="actions">
                  ${csrfField(csrf)}
                  ${request.query.from ? html`<input type="hidden" name="from" value="${request.query.from}" />` : ''}
                  <button type="submit" class="primary">START</button>
                </form>
                ${c.source === 'opensesame' ? html`<p class="hint">Opens the course on OpenSesame, signed in as you.</p>` : ''}`
            : ''
        }
      </article>`;
      return sendPage(reply, { title: c.name, principal, csrf, section: 'catalog', body });
    },
  );
}
