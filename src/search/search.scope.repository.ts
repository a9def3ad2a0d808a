// Loads a caller's course scope (search.visibility.ts), and answers "may this person see this course" for the other areas
// (paths, programs, launch) with the same rules as search.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import { catalogGroupsOfUser, groupsOfUser } from '../platform/access.js';
import { staffGroups, type CourseScope } from './search.visibility.js';

export type Viewer = { userId: string; isPlatformAdmin: boolean };

export async function loadScope(db: Db, viewer: Viewer): Promise<CourseScope> {
  if (viewer.isPlatformAdmin) return { all: true };
  const [catalog, roles] = await Promise.all([
    catalogGroupsOfUser(db, viewer.userId),
    groupsOfUser(db, viewer),
  ]);
  return {
    all: false,
    catalogGroupIds: [...catalog].sort(),
    staffGroupIds: staffGroups(roles ?? new Map()),
  };
}

/**
 * SQL condition on `c.id` / `c.owner_group_id` / `c.integration_id` (alias `c` for courses, or for
 * search's facts rows, whose course id column is passed as `id`) for a scope.
 */
export function scopeCondition(
  scope: CourseScope,
  engine?: Engine,
  id: Expression<unknown> = sql.ref('c.id'),
): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const parts = [];
  const probe = probeOnly(engine);
  // Correlated EXISTS probes an index per candidate course; `IN (subquery)` inside an OR would
  // build the whole subquery result (every catalog row) on each search.
  if (scope.catalogGroupIds.length > 0) {
    const ids = sql.join(scope.catalogGroupIds);
    parts.push(
      sql`EXISTS (SELECT 1 FROM catalog_entries e WHERE e.course_id = ${id} AND e.group_id IN (${ids})${probe})`,
    );
  }
  if (scope.staffGroupIds.length > 0) {
    const ids = sql.join(scope.staffGroupIds);
    parts.push(
      sql`EXISTS (SELECT 1 FROM library_entries e WHERE e.course_id = ${id} AND e.group_id IN (${ids})${probe})`,
    );
    parts.push(sql`c.owner_group_id IN (${ids})`);
    parts.push(sql`c.integration_id IN (SELECT id FROM integrations WHERE group_id IN (${ids}))`);
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/**
 * PostgreSQL turns a correlated EXISTS into a semi-join, and for a search that means hashing a whole
 * catalog (100,000 rows) per query; `OFFSET 0` keeps it a per-row index probe (SQLite always probes).
 */
export function probeOnly(engine: Engine | undefined) {
  return engine === 'postgres' ? sql` OFFSET 0` : sql``;
}

export async function courseInScope(db: Db, scope: CourseScope, courseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('courses as c')
    .select('c.id')
    .where('c.id', '=', courseId)
    .where(scopeCondition(scope))
    .executeTakeFirst();
  return row !== undefined;
}

export type CourseBrief = {
  id: string;
  name: string;
  archived: number;
  integration_id: string | null;
  source: string;
  launch_url: string | null;
};

export async function getCourseBrief(db: Db, courseId: string): Promise<CourseBrief | undefined> {
  return db
    .selectFrom('courses')
    .select(['id', 'name', 'archived', 'integration_id', 'source', 'launch_url'])
    .where('id', '=', courseId)
    .executeTakeFirst();
}

export async function courseInCatalog(db: Db, groupId: string, courseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('catalog_entries')
    .select('course_id')
    .where('group_id', '=', groupId)
    .where('course_id', '=', courseId)
    .executeTakeFirst();
  return row !== undefined;
}
