// Users, sessions and personal API tokens. Repositories take `db` (or a transaction) first; the
// caller owns the transaction.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { ApiTokensTable, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;

/** The one normalisation of e-mail addresses: matching is case-insensitive everywhere. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function insertUser(
  db: Db,
  input: { email: string; name: string; passwordHash: string | null; isPlatformAdmin?: boolean; now: string },
): Promise<UserRow> {
  const row: UserRow = {
    id: crypto.randomUUID(),
    email: input.email.trim(),
    email_normalized: normalizeEmail(input.email),
    name: input.name.trim(),
    password_hash: input.passwordHash,
    is_platform_admin: input.isPlatformAdmin ? 1 : 0,
    created_at: input.now,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

export async function getUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email_normalized', '=', normalizeEmail(email))
    .executeTakeFirst();
}

export async function listUsers(
  db: Db,
  opts: { limit: number; offset: number; email?: string | undefined },
): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll();
  if (opts.email) q = q.where('email_normalized', '=', normalizeEmail(opts.email));
  return q.orderBy('email_normalized').limit(opts.limit).offset(opts.offset).execute();
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { name?: string; passwordHash?: string | null; isPlatformAdmin?: boolean },
): Promise<void> {
  const set: Partial<UserRow> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
  if (patch.isPlatformAdmin !== undefined) set.is_platform_admin = patch.isPlatformAdmin ? 1 : 0;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function countPlatformAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_platform_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- sessions (the id is the sha256 of the cookie value) ---

export async function insertSession(
  db: Db,
  row: { id: string; userId: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: row.id, user_id: row.userId, created_at: row.createdAt, expires_at: row.expiresAt })
    .execute();
}

/** The session's user when the session exists and has not expired at `now`. */
export async function findSessionUser(db: Db, sessionId: string, now: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

// --- personal API tokens (stored as sha256; the token itself is shown once) ---

export async function insertApiToken(
  db: Db,
  row: { userId: string; name: string; tokenHash: string; now: string },
): Promise<ApiTokenRow> {
  const token: ApiTokenRow = {
    id: crypto.randomUUID(),
    user_id: row.userId,
    name: row.name.trim(),
    token_hash: row.tokenHash,
    created_at: row.now,
    last_used_at: null,
  };
  await db.insertInto('api_tokens').values(token).execute();
  return token;
}

export async function findApiTokenUser(
  db: Db,
  tokenHash: string,
): Promise<{ user: UserRow; tokenId: string; lastUsedAt: string | null } | undefined> {
  const token = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!token) return undefined;
  const user = await getUser(db, token.user_id);
  return user ? { user, tokenId: token.id, lastUsedAt: token.last_used_at } : undefined;
}

export async function touchApiToken(db: Db, tokenId: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Deletes one of the user's tokens; false when there was none with that id. */
export async function deleteApiToken(db: Db, userId: string, tokenId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('api_tokens')
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
