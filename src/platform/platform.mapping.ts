// Rows to API shapes (pure). The TypeBox schemas of these shapes are in platform.schemas.ts.
import type { Selectable } from 'kysely';
import type { CoursesTable, Role } from '../db/schema.js';
import type { PlatformTables } from './platform.tables.js';
import type { GroupRow } from './groups.repository.js';
import type { ApiTokenRow, UserRow } from './users.repository.js';

export type CourseRow = Selectable<CoursesTable & PlatformTables['courses']>;

export function userView(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    isPlatformAdmin: u.is_platform_admin === 1,
    hasPassword: u.password_hash !== null,
    createdAt: u.created_at,
  };
}

export function groupView(g: GroupRow, myRoles?: readonly Role[]) {
  return {
    id: g.id,
    name: g.name,
    parentId: g.parent_id,
    isPublic: g.is_public === 1,
    createdAt: g.created_at,
    ...(myRoles ? { myRoles: [...myRoles] } : {}),
  };
}

export function tokenView(t: ApiTokenRow) {
  return { id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at };
}

/** A synced course (from an integration, or any source but 'native') is read-only on the platform. */
export function isReadOnlyCourse(c: Pick<CourseRow, 'source' | 'integration_id'>): boolean {
  return c.source !== 'native' || c.integration_id !== null;
}

function jsonArray(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function courseView(c: CourseRow) {
  return {
    id: c.id,
    source: c.source,
    integrationId: c.integration_id,
    externalId: c.external_id,
    ownerGroupId: c.owner_group_id,
    name: c.name,
    description: c.description,
    image: c.image,
    durationMinutes: c.duration_minutes,
    author: c.author,
    lang: c.lang,
    otherLangs: jsonArray(c.other_langs),
    launchUrl: c.launch_url,
    modifiedAt: c.modified_at,
    subjects: jsonArray(c.subjects),
    contentType: c.content_type,
    archived: c.archived === 1,
    archivedAt: c.archived_at,
    archivedReason: c.archived_reason,
    localTags: jsonArray(c.local_tags),
    readOnly: isReadOnlyCourse(c),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

/** Trims, drops empties and duplicates (case-insensitive, first spelling kept), keeps order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim().replace(/\s+/g, ' ');
    const key = t.toLowerCase();
    if (t && !seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}
