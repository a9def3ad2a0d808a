// Direct inserts for the courses-at-work tests (search, paths, programs, launch): people, groups,
// courses, catalog and library rows, without going through other areas' services.
import crypto from 'node:crypto';
import type { Db } from '../../src/db/db.js';
import type { Role } from '../../src/db/schema.js';

const NOW = '2026-01-01T00:00:00.000Z';

export async function addUser(db: Db, name: string, opts: { admin?: boolean } = {}): Promise<string> {
  const id = crypto.randomUUID();
  const email = `${name.toLowerCase()}-${id.slice(0, 6)}@example.test`;
  await db
    .insertInto('users')
    .values({
      id,
      email,
      email_normalized: email,
      name,
      password_hash: null,
      is_platform_admin: opts.admin ? 1 : 0,
      created_at: NOW,
    })
    .execute();
  return id;
}

export async function addGroup(
  db: Db,
  name: string,
  opts: { parentId?: string; isPublic?: boolean } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('groups')
    .values({
      id,
      name,
      parent_id: opts.parentId ?? null,
      is_public: opts.isPublic === false ? 0 : 1,
      created_at: NOW,
    })
    .execute();
  return id;
}

export async function addMember(db: Db, groupId: string, userId: string, role: Role): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ group_id: groupId, user_id: userId, role, created_at: NOW })
    .execute();
}

export type CourseInput = {
  name: string;
  description?: string | null;
  subjects?: string[];
  author?: string | null;
  lang?: string;
  contentType?: string;
  durationMinutes?: number | null;
  source?: string;
  archived?: boolean;
  integrationId?: string | null;
  launchUrl?: string | null;
};

export async function addCourse(db: Db, c: CourseInput): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('courses')
    .values({
      id,
      integration_id: c.integrationId ?? null,
      source: c.source ?? 'opensesame',
      external_id: `ext-${id.slice(0, 8)}`,
      name: c.name,
      description: c.description ?? null,
      image: null,
      duration_minutes: c.durationMinutes ?? null,
      author: c.author ?? null,
      lang: c.lang ?? 'en',
      launch_url: c.launchUrl === undefined ? `https://launch.example.test/${id}` : c.launchUrl,
      modified_at: NOW,
      subjects: JSON.stringify(c.subjects ?? []),
      other_langs: '[]',
      local_tags: '[]',
      content_type: c.contentType ?? 'course',
      archived: c.archived ? 1 : 0,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  return id;
}

export async function addToCatalog(db: Db, groupId: string, courseId: string): Promise<void> {
  await db
    .insertInto('catalog_entries')
    .values({ group_id: groupId, course_id: courseId, added_by: null, added_at: NOW })
    .execute();
}

export async function addToLibrary(db: Db, groupId: string, courseId: string): Promise<void> {
  await db
    .insertInto('library_entries')
    .values({ group_id: groupId, course_id: courseId, added_by: null, added_at: NOW })
    .execute();
}

export async function archiveCourse(db: Db, courseId: string): Promise<void> {
  await db
    .updateTable('courses')
    .set({ archived: 1, archived_at: NOW, archived_reason: 'inactive' })
    .where('id', '=', courseId)
    .execute();
}
