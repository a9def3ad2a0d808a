// Seed helpers for tests and the demo: people, groups, roles, tokens and courses in one call each.
// They go through the same services as the API (same validation, same hashing), skip the
// permission checks, and are idempotent where it is cheap (a user with the same e-mail is reused).
//
//   const group = await seedGroup(ctx, { name: 'Sales' });
//   const { user, token } = await seedMember(ctx, { groupId: group.id, email: 'ann@x.test', role: 'coach' });
//   await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import { createApiToken, startSession, SESSION_COOKIE } from './auth.service.js';
import { createUser } from './users.service.js';
import { findUserByEmail, type UserRow } from './users.repository.js';
import { insertGroup, upsertMembership, type GroupRow } from './groups.repository.js';
import { insertCourseRow, insertEntry } from './courses.repository.js';
import type { CourseRow } from './platform.mapping.js';
import crypto from 'node:crypto';

export type SeededUser = {
  user: UserRow;
  /** A personal API token: send as `Authorization: Bearer <token>`. */
  token: string;
  /** Headers for `app.inject` with that token. */
  headers: { authorization: string };
};

/** A user (reused when the e-mail exists) with a fresh API token. No password unless given. */
export async function seedUser(
  ctx: AppContext,
  input: { email: string; name?: string; password?: string; isPlatformAdmin?: boolean },
): Promise<SeededUser> {
  const user =
    (await findUserByEmail(ctx.db, input.email)) ??
    (await createUser(ctx, {
      email: input.email,
      name: input.name ?? input.email.split('@')[0] ?? input.email,
      password: input.password ?? null,
      isPlatformAdmin: input.isPlatformAdmin ?? false,
    }));
  const { token } = await createApiToken(ctx, user.id, 'seed');
  return { user, token, headers: { authorization: `Bearer ${token}` } };
}

export async function seedPlatformAdmin(
  ctx: AppContext,
  email = 'admin@example.test',
  password?: string,
): Promise<SeededUser> {
  return seedUser(ctx, {
    email,
    name: 'Platform Admin',
    isPlatformAdmin: true,
    ...(password ? { password } : {}),
  });
}

/** A group (public unless said otherwise), optionally under a parent. */
export async function seedGroup(
  ctx: AppContext,
  input: { name: string; parentId?: string | null; isPublic?: boolean; id?: string },
): Promise<GroupRow> {
  return insertGroup(ctx.db, {
    name: input.name,
    parentId: input.parentId ?? null,
    isPublic: input.isPublic ?? true,
    now: ctx.clock.now().toISOString(),
    ...(input.id ? { id: input.id } : {}),
  });
}

/** A user with `role` in the group (created if the e-mail is new), plus an API token. */
export async function seedMember(
  ctx: AppContext,
  input: { groupId: string; email: string; role: Role; name?: string; password?: string },
): Promise<SeededUser> {
  const seeded = await seedUser(ctx, {
    email: input.email,
    ...(input.name ? { name: input.name } : {}),
    ...(input.password ? { password: input.password } : {}),
  });
  await upsertMembership(ctx.db, {
    groupId: input.groupId,
    userId: seeded.user.id,
    role: input.role,
    now: ctx.clock.now().toISOString(),
  });
  return seeded;
}

/** A signed-in browser session for the user: the `cookie` header value to send. */
export async function seedSession(ctx: AppContext, userId: string): Promise<{ cookie: string }> {
  const session = await startSession(ctx, userId);
  return { cookie: `${SESSION_COOKIE}=${session.cookieValue}` };
}

/**
 * A course. `source: 'opensesame'` makes a synced-looking (read-only) course without an integration
 * unless `integrationId` is given; `native` courses belong to `groupId`. `catalogOf` / `libraryOf`
 * put it in those groups' catalog or library.
 */
export async function seedCourse(
  ctx: AppContext,
  input: {
    name?: string;
    source?: string;
    groupId?: string;
    integrationId?: string;
    externalId?: string;
    archived?: boolean;
    lang?: string;
    launchUrl?: string;
    localTags?: string[];
    catalogOf?: string[];
    libraryOf?: string[];
  } = {},
): Promise<CourseRow> {
  const now = ctx.clock.now().toISOString();
  const source = input.source ?? 'native';
  const id = crypto.randomUUID();
  const row: CourseRow = {
    id,
    integration_id: input.integrationId ?? null,
    source,
    external_id: input.externalId ?? (source === 'native' ? null : `ext-${id.slice(0, 8)}`),
    name: input.name ?? `Course ${id.slice(0, 8)}`,
    description: null,
    image: null,
    duration_minutes: null,
    author: null,
    lang: input.lang ?? 'en',
    other_langs: '[]',
    launch_url: input.launchUrl ?? null,
    modified_at: now,
    subjects: '[]',
    content_type: 'course',
    xapi_activity_id: null,
    archived: input.archived ? 1 : 0,
    archived_at: input.archived ? now : null,
    archived_reason: input.archived ? 'inactive' : null,
    content_hash: null,
    raw: null,
    local_tags: JSON.stringify(input.localTags ?? []),
    created_at: now,
    updated_at: now,
    owner_group_id: source === 'native' ? (input.groupId ?? null) : null,
    created_by: null,
  };
  await insertCourseRow(ctx.db, row);
  for (const groupId of input.catalogOf ?? [])
    await insertEntry(ctx.db, 'catalog', { groupId, courseId: id, addedBy: null, now });
  for (const groupId of input.libraryOf ?? [])
    await insertEntry(ctx.db, 'library', { groupId, courseId: id, addedBy: null, now });
  return row;
}
