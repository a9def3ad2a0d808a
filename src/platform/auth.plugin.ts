// Resolves who is calling, for every route of the app: a personal API token (`Authorization: Bearer
// sb_pat_…`) or the `sb_session` cookie. It never rejects a request by itself: routes decide with
// the guards in guards.ts. Bearer tokens that are not ours (the xAPI area's OAuth tokens) are
// ignored, and routes under /api/opensesame/ are skipped entirely (resolved lazily if asked).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  isApiToken,
  principalFromApiToken,
  principalFromSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type NewSession,
  type Principal,
} from './auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once resolved (null: anonymous, or on /api/opensesame/ routes until asked). */
    principal: Principal | null;
  }
}

type Resolution = { principal: Principal | null; failure: 'invalid_token' | 'session_expired' | null };

const resolutions = new WeakMap<FastifyRequest, Promise<Resolution>>();
const settled = new WeakMap<FastifyRequest, Resolution>();

/** Paths whose Bearer tokens belong to another area; resolution there happens only on demand. */
const SKIPPED_PREFIXES = ['/api/opensesame/', '/docs', '/healthz'];

async function resolve(request: FastifyRequest): Promise<Resolution> {
  const ctx = request.server.ctx;
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer && isApiToken(bearer)) {
    const principal = await principalFromApiToken(ctx, bearer);
    return { principal, failure: principal ? null : 'invalid_token' };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const principal = await principalFromSession(ctx, cookie);
    return { principal, failure: principal ? null : 'session_expired' };
  }
  return { principal: null, failure: null };
}

/** The caller (memoised per request); null when anonymous. Safe to call on any route. */
export async function getPrincipal(request: FastifyRequest): Promise<Principal | null> {
  let pending = resolutions.get(request);
  if (!pending) {
    pending = resolve(request).then((r) => {
      settled.set(request, r);
      request.principal = r.principal;
      return r;
    });
    resolutions.set(request, pending);
  }
  return (await pending).principal;
}

/** Why credentials that were sent did not resolve (for the 401 code), once resolved. */
export function authFailureOf(request: FastifyRequest): Resolution['failure'] {
  return settled.get(request)?.failure ?? null;
}

export const authPlugin: FastifyPluginAsync = async (app) => {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const path = request.url;
    if (SKIPPED_PREFIXES.some((p) => path.startsWith(p))) return;
    await getPrincipal(request);
  });
};
// Like fastify-plugin: the hook and decorator apply to the whole app, not only to this plugin's scope.
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when the public URL is https. */
export function setSessionCookie(reply: FastifyReply, session: NewSession): void {
  reply.setCookie(SESSION_COOKIE, session.cookieValue, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.server.ctx.config.publicBaseUrl.startsWith('https://'),
    expires: session.expiresAt,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
