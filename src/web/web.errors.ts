// Errors on pages become pages: not signed in → the sign-in page (coming back afterwards), a role
// that does not fit → a 403 page, a bad or expired form → the message on a page, anything else → a
// 500 page that says nothing internal. The JSON API keeps its own handler (app.errors.ts).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, STATUS_BY_KIND } from '../errors.js';
import { html } from './web.html.js';
import { sendPage } from './web.layout.js';

function errorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
) {
  return sendPage(
    reply,
    {
      title,
      principal: request.principal,
      csrf: reply.generateCsrf(),
      narrow: true,
      section: 'none',
      body: html`<h1>${title}</h1>
        <p role="alert">${message}</p>
        <p><a href="/home">Back to the home page</a></p>`,
    },
    status,
  );
}

export function loginRedirect(request: FastifyRequest): string {
  const next = request.method === 'GET' ? request.url : '/home';
  return `/login?next=${encodeURIComponent(next)}`;
}

export function installPageErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.kind === 'unauthorized') return reply.redirect(loginRedirect(request), 303);
      const status = STATUS_BY_KIND[err.kind];
      const title =
        err.kind === 'forbidden'
          ? 'You cannot open this page'
          : err.kind === 'not_found'
            ? 'Not found'
            : err.kind === 'upstream'
              ? 'OpenSesame did not answer as expected'
              : 'That did not work';
      return errorPage(request, reply, status, title, err.message);
    }
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET')
      return errorPage(request, reply, 403, 'The form expired', 'Go back, reload the page and try again.');
    if (err.validation)
      return errorPage(request, reply, 400, 'That did not work', 'Some fields are missing or invalid.');
    const status = err.statusCode ?? 500;
    if (status < 500) return errorPage(request, reply, status, 'That did not work', err.message);
    request.log.error({ err }, 'page failed');
    return errorPage(
      request,
      reply,
      500,
      'Something went wrong',
      'Something went wrong on our side. Try again in a moment.',
    );
  });
}
