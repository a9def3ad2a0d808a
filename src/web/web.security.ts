// Security headers of every page, set by @fastify/helmet: a strict Content-Security-Policy (our own
// origin only; no inline script, script attribute or style attribute; no framing; forms post back
// to us), nosniff, no referrer, no framing (X-Frame-Options for old browsers), HSTS on https.
// Course images are the one foreign content: they come from the vendor's hosts, which we cannot
// list. The SAML auto-post page widens form-action to the SP it posts to (samlPostCsp).
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../config.js';

type Directives = Record<string, string[]>;

function directives(config: Config, formTargets: readonly string[] = []): Directives {
  const https = config.publicBaseUrl.startsWith('https://');
  return {
    'default-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'", ...formTargets],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'https:', 'http:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

function serialize(d: Directives): string {
  return Object.entries(d)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** Registers the headers for the routes of `app` (an encapsulated plugin: pages, SSO). */
export async function pageSecurityHeaders(app: FastifyInstance): Promise<void> {
  const https = app.ctx.config.publicBaseUrl.startsWith('https://');
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: directives(app.ctx.config) },
    frameguard: { action: 'deny' },
    hsts: https ? { maxAge: 31_536_000 } : false,
  });
}

/** The page policy with form-action widened to the origins of `urls` (a SAML POST's targets). */
export function samlPostCsp(config: Config, urls: readonly string[]): string {
  const origins = urls.flatMap((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
    } catch {
      return [];
    }
  });
  return serialize(directives(config, [...new Set(origins)]));
}
