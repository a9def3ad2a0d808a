// The frame of every page: landmarks (header, nav, main), a skip link, the signed-in user and a
// sign-out form (CSRF-protected like every form), and a live region for short announcements.
import type { FastifyReply } from 'fastify';
import type { Principal } from '../platform/auth.service.js';
import { html, type HtmlValue, type SafeHtml } from './web.html.js';

export type Frame = {
  title: string;
  principal: Principal | null;
  csrf: string;
  body: SafeHtml;
  /** Where the top navigation marks the current page. */
  section?: 'home' | 'catalog' | 'paths' | 'programs' | 'none';
  /** Extra scripts, same origin (e.g. the chart library). */
  scripts?: readonly string[];
  narrow?: boolean;
};

export function layout(frame: Frame): SafeHtml {
  const current = (s: Frame['section']) => (frame.section === s ? 'page' : null);
  const top = frame.principal
    ? html`<nav aria-label="Main">
          <ul>
            <li><a href="/home" aria-current="${current('home') ?? 'false'}">Home</a></li>
            <li><a href="/catalog" aria-current="${current('catalog') ?? 'false'}">Catalog</a></li>
            <li><a href="/my/paths" aria-current="${current('paths') ?? 'false'}">My paths</a></li>
            <li><a href="/my/programs" aria-current="${current('programs') ?? 'false'}">My programs</a></li>
          </ul>
        </nav>
        <div class="who">
          <span>${frame.principal.name}</span>
          <form method="post" action="/logout" class="inline">
            <input type="hidden" name="_csrf" value="${frame.csrf}" />
            <button type="submit">Sign out</button>
          </form>
        </div>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · sesame-bridge</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">sesame-bridge</a>
          ${top}
        </header>
        <main id="main" class="${frame.narrow ? 'narrow' : ''}" tabindex="-1">${frame.body}</main>
        <div id="live" class="visually-hidden" aria-live="polite"></div>
        ${(frame.scripts ?? []).map((src) => html`<script src="${src}"></script>`)}
        <script src="/assets/app.js"></script>
      </body>
    </html>`;
}

export function sendPage(reply: FastifyReply, frame: Frame, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(layout(frame).value);
}

/** A hidden CSRF field for a form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** The settings pages of a group: a side navigation beside the content. */
export function groupSettings(
  group: { id: string; name: string },
  current: string,
  links: ReadonlyArray<{ key: string; label: string; href: string }>,
  body: HtmlValue,
): SafeHtml {
  return html`<p class="hint">Group: <strong>${group.name}</strong></p>
    <div class="layout">
      <nav aria-label="Group settings">
        <ul>
          ${links.map(
            (l) =>
              html`<li>
                <a href="${l.href}" aria-current="${l.key === current ? 'page' : 'false'}">${l.label}</a>
              </li>`,
          )}
        </ul>
      </nav>
      <div>${body}</div>
    </div>`;
}
