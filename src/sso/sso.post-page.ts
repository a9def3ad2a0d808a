// The page that carries a SAML Response to the SP: an HTML form POST (the HTTP-POST binding),
// submitted by a small same-origin script, with a button for when scripts are off. Its policy lets
// the form post to the SP's ACS, and to `redirectsTo` (the course's launch URL, where the SP sends
// the browser on: Chromium checks form-action on a form post's redirects too), nowhere else;
// nothing is cached, no referrer is sent.
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { html, type SafeHtml } from '../web/web.html.js';
import { samlPostCsp } from '../web/web.security.js';
import type { SamlPost } from './sso.service.js';

export function sendSamlPostPage(
  config: Config,
  reply: FastifyReply,
  post: SamlPost,
  redirectsTo: readonly string[] = [],
): FastifyReply {
  return reply
    .header('content-security-policy', samlPostCsp(config, [post.acsUrl, ...redirectsTo]))
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(samlPostPage(post).value);
}

export function samlPostPage(post: SamlPost): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>Signing you in to OpenSesame…</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <main id="main" class="narrow">
          <h1>Signing you in to OpenSesame…</h1>
          <form method="post" action="${post.acsUrl}" id="saml-post" data-autosubmit>
            <input type="hidden" name="SAMLResponse" value="${post.samlResponse}" />
            <input type="hidden" name="RelayState" value="${post.relayState}" />
            <p>If nothing happens in a moment, press Continue.</p>
            <button type="submit" class="primary">Continue</button>
          </form>
        </main>
        <script src="/assets/autosubmit.js"></script>
      </body>
    </html>`;
}
