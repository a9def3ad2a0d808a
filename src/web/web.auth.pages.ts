// Sign-in, sign-out and the home page (the groups a person belongs to, with what each role opens).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.js';
import { login, endSession, SESSION_COOKIE } from '../platform/auth.service.js';
import { clearSessionCookie, setSessionCookie, getPrincipal } from '../platform/auth.plugin.js';
import { requireUser } from '../platform/guards.js';
import { groupsOfUser } from '../platform/access.js';
import { listGroups } from '../platform/groups.repository.js';
import { can, type GroupAction } from '../platform/roles.js';
import type { Role } from '../db/schema.js';
import { html, type SafeHtml } from './web.html.js';
import { csrfField, sendPage } from './web.layout.js';

/** Only same-site paths, never `//host` or `/\host`. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/home';
}

function loginForm(csrf: string, next: string, email = '', error?: string): SafeHtml {
  return html`<h1>Sign in</h1>
    ${error ? html`<p class="alert error" role="alert" id="login-error">${error}</p>` : ''}
    <form method="post" action="/login" novalidate>
      ${csrfField(csrf)}
      <input type="hidden" name="next" value="${next}" />
      <label for="email">E-mail</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="username"
        required
        value="${email}"
        ${error ? html`aria-describedby="login-error"` : ''}
      />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <div class="actions"><button type="submit" class="primary">Sign in</button></div>
    </form>`;
}

export type GroupPageKey = 'opensesame' | 'stats' | 'unmatched' | 'paths' | 'programs';
export type GroupLink = {
  key: GroupPageKey;
  action: GroupAction;
  label: string;
  href: (groupId: string) => string;
};

/** What each role opens in a group, in the order shown on the home page. */
export const GROUP_LINKS: readonly GroupLink[] = [
  {
    key: 'opensesame',
    action: 'integration.manage',
    label: 'Settings → Integrations → OpenSesame',
    href: (g) => `/groups/${g}/settings/integrations/opensesame`,
  },
  { key: 'stats', action: 'stats.read', label: 'Statistics', href: (g) => `/groups/${g}/stats` },
  {
    key: 'unmatched',
    action: 'integration.manage',
    label: 'Unmatched statements',
    href: (g) => `/groups/${g}/stats/unmatched`,
  },
  { key: 'paths', action: 'course.author', label: 'Paths', href: (g) => `/groups/${g}/paths` },
  { key: 'programs', action: 'course.author', label: 'Programs', href: (g) => `/groups/${g}/programs` },
];

export async function authPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/', { schema: { hide: true } }, async (request, reply) =>
    reply.redirect((await getPrincipal(request)) ? '/home' : '/login', 303),
  );

  r.get(
    '/login',
    { schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      if (await getPrincipal(request)) return reply.redirect(next, 303);
      const csrf = reply.generateCsrf();
      return sendPage(reply, {
        title: 'Sign in',
        principal: null,
        csrf,
        narrow: true,
        body: loginForm(csrf, next),
      });
    },
  );

  r.post(
    '/login',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        body: Type.Object({
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1024 }),
          next: Type.Optional(Type.String()),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      try {
        const { session } = await login(ctx, request.body.email, request.body.password, {
          address: request.ip,
        });
        setSessionCookie(reply, session);
        return reply.redirect(next, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.kind !== 'unauthorized' && err.kind !== 'rate_limited'))
          throw err;
        const csrf = reply.generateCsrf();
        if (err.kind === 'rate_limited')
          reply.header('retry-after', (err.details as { retryAfterSeconds: number }).retryAfterSeconds);
        return sendPage(
          reply,
          {
            title: 'Sign in',
            principal: null,
            csrf,
            narrow: true,
            body: loginForm(csrf, next, request.body.email, err.message),
          },
          err.kind === 'rate_limited' ? 429 : 401,
        );
      }
    },
  );

  r.post('/logout', { preHandler: app.csrfProtection, schema: { hide: true } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await endSession(ctx, cookie);
    clearSessionCookie(reply);
    return reply.redirect('/login', 303);
  });

  r.get('/home', { schema: { hide: true } }, async (request, reply) => {
    const principal = await requireUser(request);
    const mine = await groupsOfUser(ctx.db, principal);
    const groups = mine ? await listGroups(ctx.db, [...mine.keys()]) : await listGroups(ctx.db);
    const rolesIn = (id: string): Role[] => (mine ? (mine.get(id) ?? []) : ['admin']);
    const subject = (id: string) => ({ isPlatformAdmin: principal.isPlatformAdmin, roles: rolesIn(id) });
    const body = html`<h1>Welcome, ${principal.name}</h1>
      <p><a class="button primary" href="/catalog">Search the catalog</a></p>
      <h2>Your groups</h2>
      ${groups.length === 0 ? html`<p>You are not in any group yet.</p>` : ''}
      <ul class="cards">
        ${groups.map(
          (g) =>
            html`<li class="card">
              <h3>${g.name}</h3>
              <p class="hint">
                ${principal.isPlatformAdmin ? 'Platform administrator' : rolesIn(g.id).join(', ')}
              </p>
              <ul>
                ${GROUP_LINKS.filter((l) => can(subject(g.id), l.action)).map(
                  (l) => html`<li><a href="${l.href(g.id)}">${l.label}</a></li>`,
                )}
              </ul>
            </li>`,
        )}
      </ul>`;
    return sendPage(reply, { title: 'Home', principal, csrf: reply.generateCsrf(), section: 'home', body });
  });
}
