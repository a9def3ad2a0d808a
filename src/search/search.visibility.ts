// Pure: which groups' catalogs and libraries a person sees, from their memberships and the group tree.
//  - the catalog of every group they belong to (any role);
//  - the catalog of a public ancestor, as long as every group on the way down is public
//    (spec: "a public group's catalog also shows in its public subgroups"; the seed: courses synced
//    to the platform group show to everyone in public groups);
//  - the library of every group where they are an admin or an author (libraries are the authors'
//    shelf for building paths and programs).
import type { Role } from '../db/schema.js';

export type GroupNode = { id: string; parent_id: string | null; is_public: number };
export type MembershipRow = { group_id: string; role: Role };

export type CourseScope =
  { all: true } | { all: false; catalogGroupIds: string[]; libraryGroupIds: string[] };

export const LIBRARY_ROLES: readonly Role[] = ['admin', 'author'];

export function computeScope(
  isPlatformAdmin: boolean,
  memberships: readonly MembershipRow[],
  groups: readonly GroupNode[],
): CourseScope {
  if (isPlatformAdmin) return { all: true };
  const byId = new Map(groups.map((g) => [g.id, g]));
  const catalog = new Set<string>();
  const library = new Set<string>();
  for (const m of memberships) {
    catalog.add(m.group_id);
    if (LIBRARY_ROLES.includes(m.role)) library.add(m.group_id);
    let current = byId.get(m.group_id);
    const seen = new Set<string>();
    while (current && current.is_public === 1 && current.parent_id && !seen.has(current.id)) {
      seen.add(current.id);
      const parent = byId.get(current.parent_id);
      if (!parent || parent.is_public !== 1) break;
      catalog.add(parent.id);
      current = parent;
    }
  }
  return { all: false, catalogGroupIds: [...catalog].sort(), libraryGroupIds: [...library].sort() };
}
