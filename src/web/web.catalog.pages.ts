// Catalog search with facets, for everyone signed in: the search service (search area) decides
// what the caller may see; the page is a GET form, so results have shareable URLs and work
// without scripts.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../platform/guards.js';
import { search } from '../search/search.service.js';
import type { FacetName } from '../search/search.repository.js';
import { html } from './web.html.js';
import { sendPage } from './web.layout.js';
import { searchSummary } from './web.format.js';

const FACET_LABELS: Record<FacetName, string> = {
  lang: 'Language',
  subject: 'Subject',
  contentType: 'Content type',
  source: 'Source',
};

const List = Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }));

export async function catalogPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/catalog',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          lang: List,
          subject: List,
          contentType: List,
          source: List,
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const principal = await requireUser(request);
      const query = request.query;
      const result = await search(
        ctx,
        { userId: principal.userId, isPlatformAdmin: principal.isPlatformAdmin },
        {
          q: query.q,
          lang: query.lang,
          subject: query.subject,
          contentType: query.contentType,
          source: query.source,
          page: query.page,
          pageSize: 24,
        },
      );
      const selected = (facet: FacetName, value: string) => (query[facet] ?? []).includes(value);
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      const pageUrl = (p: number) => {
        const params = new URLSearchParams();
        if (query.q) params.set('q', query.q);
        for (const f of Object.keys(FACET_LABELS) as FacetName[])
          for (const v of query[f] ?? []) params.append(f, v);
        params.set('page', String(p));
        return `/catalog?${params.toString()}`;
      };
      const body = html`<h1>Catalog</h1>
        <form method="get" action="/catalog" role="search" class="search">
          <div>
            ${(Object.keys(FACET_LABELS) as FacetName[]).map((facet) =>
              result.facets[facet].length === 0
                ? ''
                : html`<fieldset>
                    <legend>${FACET_LABELS[facet]}</legend>
                    ${result.facets[facet].map(
                      (f) =>
                        html`<label
                          ><input
                            type="checkbox"
                            name="${facet}"
                            value="${f.value}"
                            ${selected(facet, f.value) ? html`checked` : ''}
                          />
                          ${f.value} <span class="hint">(${f.count})</span></label
                        >`,
                    )}
                  </fieldset>`,
            )}
            <button type="submit">Apply filters</button>
          </div>
          <div>
            <label for="q">Search courses</label>
            <div class="row">
              <input id="q" name="q" type="search" value="${query.q ?? ''}" />
              <button type="submit" class="primary">Search</button>
            </div>
            <p role="status">${searchSummary(result)}</p>
            <ul class="cards">
              ${result.items.map(
                (c) =>
                  html`<li class="card">
                    ${c.image ? html`<img src="${c.image}" alt="" loading="lazy" referrerpolicy="no-referrer" />` : ''}
                    <h2 class="card-title"><a href="/courses/${c.id}">${c.name}</a></h2>
                    <p class="hint">
                      ${[c.author, c.lang, c.contentType, c.durationMinutes ? `${c.durationMinutes} min` : null].filter(Boolean).join(' · ')}
                    </p>
                  </li>`,
              )}
            </ul>
            ${
              pages > 1
                ? html`<nav aria-label="Result pages">
                    <p>
                      ${result.page > 1 ? html`<a href="${pageUrl(result.page - 1)}">Previous</a>` : ''} Page
                      ${result.page} of ${pages}
                      ${result.page < pages ? html`<a href="${pageUrl(result.page + 1)}">Next</a>` : ''}
                    </p>
                  </nav>`
                : ''
            }
          </div>
        </form>`;
      return sendPage(reply, {
        title: 'Catalog',
        principal,
        csrf: reply.generateCsrf(),
        section: 'catalog',
        body,
      });
    },
  );
}
