// Authenticates the statements resource and issues tokens. Hot path: a verified token or Basic
// pair is cached for a second, and so is the integration row, so a busy sender costs no extra
// query; rotation and deactivation therefore take effect within a second on every instance
// (immediately on this one through `invalidateCredentials`).
import crypto from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { AppContext } from '../context.js';
import {
  getIntegration,
  getIntegrationByWebhookClientId,
  type Integration,
} from '../integrations/integrations.repository.js';
import { safeEqual, sha256 } from '../secrets.js';
import { getSealedSigningKey, putSealedSigningKeyOnce } from './xapi.keys.repository.js';
import { createFailureLimiter, type FailureLimiter } from '../failure-limiter.js';
import {
  credentialsUsable,
  parseBasic,
  previousSecretUsable,
  TOKEN_TTL_SECONDS,
  type Scope,
} from './xapi.credentials.js';

export const CACHE_TTL_MS = 1000;
const ISSUER = 'sesame-bridge';
const AUDIENCE = 'xapi';

export type XapiCaller = { integration: Integration; scopes: Scope[]; via: 'bearer' | 'basic' };

export type AuthFailure = {
  ok: false;
  status: 401 | 429;
  code: string;
  message: string;
  retryAfter?: number;
};

type Cached<T> = { value: T; until: number };

type Runtime = {
  key?: Promise<Uint8Array> | undefined;
  tokens: Map<string, Cached<{ integrationId: string; version: number; scopes: Scope[] }>>;
  basics: Map<string, Cached<string>>;
  integrations: Map<string, Cached<Integration | undefined>>;
  limiter: FailureLimiter;
};

const runtimes = new WeakMap<AppContext, Runtime>();
function runtime(ctx: AppContext): Runtime {
  let rt = runtimes.get(ctx);
  if (!rt) {
    rt = { tokens: new Map(), basics: new Map(), integrations: new Map(), limiter: createFailureLimiter() };
    runtimes.set(ctx, rt);
  }
  return rt;
}

/** Forget cached credentials (lifecycle calls this after a rotation or deactivation). */
export function invalidateCredentials(ctx: AppContext, integrationId?: string): void {
  const rt = runtime(ctx);
  if (integrationId) rt.integrations.delete(integrationId);
  else rt.integrations.clear();
  rt.tokens.clear();
  rt.basics.clear();
}

export const failureLimiter = (ctx: AppContext): FailureLimiter => runtime(ctx).limiter;

function signingKey(ctx: AppContext): Promise<Uint8Array> {
  const rt = runtime(ctx);
  rt.key ??= (async () => {
    let sealed = await getSealedSigningKey(ctx.db);
    if (!sealed)
      sealed = await putSealedSigningKeyOnce(
        ctx.db,
        ctx.secrets.seal(crypto.randomBytes(32).toString('base64')),
        ctx.clock.now().toISOString(),
      );
    return new Uint8Array(Buffer.from(ctx.secrets.open(sealed), 'base64'));
  })().catch((err: unknown) => {
    rt.key = undefined;
    throw err;
  });
  return rt.key;
}

function remember<T>(map: Map<string, Cached<T>>, key: string, value: T, until: number): void {
  if (map.size > 10_000) map.clear();
  map.set(key, { value, until });
}

async function integrationById(ctx: AppContext, id: string, nowMs: number): Promise<Integration | undefined> {
  const rt = runtime(ctx);
  const hit = rt.integrations.get(id);
  if (hit && hit.until > nowMs) return hit.value;
  const row = await getIntegration(ctx.db, id);
  remember(rt.integrations, id, row, nowMs + CACHE_TTL_MS);
  return row;
}

/** Checks a client id and secret (current, or previous during a rotation's grace). */
export async function checkClient(
  ctx: AppContext,
  clientId: string,
  secret: string,
): Promise<Integration | undefined> {
  const now = ctx.clock.now();
  const rt = runtime(ctx);
  const cacheKey = sha256(`${clientId}\u0000${secret}`);
  const hit = rt.basics.get(cacheKey);
  if (hit && hit.until > now.getTime()) {
    const row = await integrationById(ctx, hit.value, now.getTime());
    if (row && row.webhook_client_id === clientId && credentialsUsable(row, now)) return row;
  }
  const row = await getIntegrationByWebhookClientId(ctx.db, clientId);
  if (!row || !credentialsUsable(row, now)) return undefined;
  const matches =
    safeEqual(ctx.secrets.open(row.webhook_secret_sealed), secret) ||
    (previousSecretUsable(row, now) &&
      safeEqual(ctx.secrets.open(row.previous_webhook_secret_sealed ?? ''), secret));
  if (!matches) return undefined;
  remember(rt.basics, cacheKey, row.id, now.getTime() + CACHE_TTL_MS);
  remember(rt.integrations, row.id, row, now.getTime() + CACHE_TTL_MS);
  return row;
}

export async function issueToken(
  ctx: AppContext,
  integration: Integration,
  scopes: Scope[],
): Promise<string> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ ver: integration.credentials_version, scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(integration.id)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(await signingKey(ctx));
}

async function verifyBearer(ctx: AppContext, token: string): Promise<XapiCaller | undefined> {
  const now = ctx.clock.now();
  const rt = runtime(ctx);
  let claims = rt.tokens.get(token);
  if (!claims || claims.until <= now.getTime()) {
    try {
      const { payload } = await jwtVerify(token, await signingKey(ctx), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.ver !== 'number' ||
        typeof payload.exp !== 'number'
      )
        return undefined;
      const value = {
        integrationId: payload.sub,
        version: payload.ver,
        scopes: String(payload.scope ?? '').split(' ') as Scope[],
      };
      claims = { value, until: payload.exp * 1000 };
      remember(rt.tokens, token, value, Math.min(payload.exp * 1000, now.getTime() + 60_000));
    } catch {
      return undefined;
    }
  }
  const row = await integrationById(ctx, claims.value.integrationId, now.getTime());
  if (!row || row.credentials_version !== claims.value.version || !credentialsUsable(row, now))
    return undefined;
  return { integration: row, scopes: claims.value.scopes, via: 'bearer' };
}

/** The caller of the statements resource, from `Authorization: Bearer` or `Basic`. */
export async function authenticate(
  ctx: AppContext,
  authorization: string | undefined,
  ip: string,
): Promise<XapiCaller | AuthFailure> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) {
    const caller = await verifyBearer(ctx, bearer);
    return (
      caller ?? {
        ok: false,
        status: 401,
        code: 'invalid_token',
        message: 'The access token is invalid, expired or revoked.',
      }
    );
  }
  const basic = parseBasic(authorization);
  if (!basic)
    return {
      ok: false,
      status: 401,
      code: 'authentication_required',
      message: 'Send a Bearer token or HTTP Basic credentials.',
    };
  const nowMs = ctx.clock.now().getTime();
  const keys = [`client:${basic.id}`, `ip:${ip}`];
  const wait = runtime(ctx).limiter.blockedFor(keys, nowMs);
  if (wait > 0)
    return {
      ok: false,
      status: 429,
      code: 'too_many_failures',
      message: 'Too many failed attempts; wait and retry.',
      retryAfter: wait,
    };
  const row = await checkClient(ctx, basic.id, basic.secret);
  if (!row) {
    runtime(ctx).limiter.fail(keys, nowMs);
    return {
      ok: false,
      status: 401,
      code: 'invalid_credentials',
      message: 'Unknown client or wrong secret.',
    };
  }
  return { integration: row, scopes: ['xapi:all'], via: 'basic' };
}
