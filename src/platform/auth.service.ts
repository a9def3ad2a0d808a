// Sign-in for people (sessions behind an httpOnly cookie) and for scripts (personal API tokens).
// Only hashes are stored: the cookie value and the token are shown to their owner once.
import type { AppContext } from '../context.js';
import { randomToken, sha256 } from '../secrets.js';
import { RateLimited, Unauthorized } from '../errors.js';
import { createFailureLimiter, type FailureLimiter } from '../failure-limiter.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import {
  deleteSession,
  findApiTokenUser,
  findSessionUser,
  findUserByEmail,
  insertApiToken,
  insertSession,
  touchApiToken,
  type ApiTokenRow,
  type UserRow,
} from './users.repository.js';

export const SESSION_COOKIE = 'sb_session';
/** Sessions last a week from sign-in; signing in again starts a new one. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** Personal API tokens carry a prefix so that other Bearer tokens (xAPI) are told apart without a lookup. */
export const API_TOKEN_PREFIX = 'sb_pat_';
// last_used_at is informative: writing it once a minute is enough and keeps reads read-only.
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/** Who is calling: resolved from a session cookie or a personal API token. */
export type Principal = {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly isPlatformAdmin: boolean;
  readonly via: 'session' | 'token';
  /** sha256 of the cookie value, when signed in with a session. */
  readonly sessionId?: string;
  readonly tokenId?: string;
};

export function principalOf(
  user: UserRow,
  via: Principal['via'],
  ids: { sessionId?: string; tokenId?: string } = {},
): Principal {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isPlatformAdmin: user.is_platform_admin === 1,
    via,
    ...ids,
  };
}

/**
 * Checks e-mail and password. Unknown e-mail, no password set and wrong password all answer the same
 * `invalid_credentials`, after the same scrypt work, so that sign-in does not reveal who has an account.
 */
export async function checkCredentials(ctx: AppContext, email: string, password: string): Promise<UserRow> {
  const user = await findUserByEmail(ctx.db, email);
  const hash = user?.password_hash ?? (await dummyPasswordHash());
  const ok = await verifyPassword(password, hash);
  if (!user || !user.password_hash || !ok)
    throw Unauthorized('invalid_credentials', 'E-mail or password is wrong.');
  return user;
}

export type NewSession = { cookieValue: string; sessionId: string; expiresAt: Date };

export async function startSession(ctx: AppContext, userId: string): Promise<NewSession> {
  const cookieValue = randomToken(32);
  const sessionId = sha256(cookieValue);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(ctx.db, {
    id: sessionId,
    userId,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { cookieValue, sessionId, expiresAt };
}

// Guessing passwords is slowed per account and per address: 10 wrong passwords a minute for one
// e-mail, 30 from one address (an office behind one NAT shares it). A blocked attempt is refused
// before any password work, and says when to try again.
const perEmail = new WeakMap<AppContext, FailureLimiter>();
const perAddress = new WeakMap<AppContext, FailureLimiter>();
const limiterOf = (map: WeakMap<AppContext, FailureLimiter>, ctx: AppContext, max: number) => {
  let limiter = map.get(ctx);
  if (!limiter) map.set(ctx, (limiter = createFailureLimiter(max, 60_000)));
  return limiter;
};

export async function login(
  ctx: AppContext,
  email: string,
  password: string,
  from: { address?: string } = {},
): Promise<{ user: UserRow; session: NewSession }> {
  const emails = limiterOf(perEmail, ctx, 10);
  const addresses = limiterOf(perAddress, ctx, 30);
  const emailKey = [email.trim().toLowerCase()];
  const addressKey = from.address ? [from.address] : [];
  const now = ctx.clock.now().getTime();
  const wait = Math.max(emails.blockedFor(emailKey, now), addresses.blockedFor(addressKey, now));
  if (wait > 0) {
    ctx.log.warn({ address: from.address }, 'sign-in refused: too many failed attempts');
    throw RateLimited(
      'too_many_sign_in_attempts',
      `Too many failed sign-in attempts. Try again in ${wait} seconds.`,
      wait,
    );
  }
  let user: UserRow;
  try {
    user = await checkCredentials(ctx, email, password);
  } catch (err) {
    emails.fail(emailKey, now);
    addresses.fail(addressKey, now);
    throw err;
  }
  const session = await startSession(ctx, user.id);
  ctx.log.info({ userId: user.id }, 'signed in');
  return { user, session };
}

export async function endSession(ctx: AppContext, cookieValue: string): Promise<void> {
  await deleteSession(ctx.db, sha256(cookieValue));
}

export async function principalFromSession(ctx: AppContext, cookieValue: string): Promise<Principal | null> {
  const sessionId = sha256(cookieValue);
  const user = await findSessionUser(ctx.db, sessionId, ctx.clock.now().toISOString());
  return user ? principalOf(user, 'session', { sessionId }) : null;
}

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

export async function principalFromApiToken(ctx: AppContext, token: string): Promise<Principal | null> {
  if (!isApiToken(token)) return null;
  const found = await findApiTokenUser(ctx.db, sha256(token));
  if (!found) return null;
  const now = ctx.clock.now();
  const last = found.lastUsedAt ? Date.parse(found.lastUsedAt) : 0;
  if (now.getTime() - last > TOKEN_TOUCH_INTERVAL_MS)
    await touchApiToken(ctx.db, found.tokenId, now.toISOString());
  return principalOf(found.user, 'token', { tokenId: found.tokenId });
}

/** Makes a personal API token; the returned `token` is the only time it exists in clear. */
export async function createApiToken(
  ctx: AppContext,
  userId: string,
  name: string,
): Promise<{ row: ApiTokenRow; token: string }> {
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const row = await insertApiToken(ctx.db, {
    userId,
    name,
    tokenHash: sha256(token),
    now: ctx.clock.now().toISOString(),
  });
  return { row, token };
}
