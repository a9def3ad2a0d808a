// Who may do what in a group. Pure: callers pass the memberships and the group's ancestry; the
// database lookups live in groups.repository.ts and the request guards in guards.ts.
import type { Role } from '../db/schema.js';

export type { Role };
export const ROLES: readonly Role[] = ['admin', 'coach', 'author', 'learner'];

/**
 * What a caller can do in one group. The issue names the first five; the others are here so that
 * every area checks the same table instead of re-deciding it.
 */
export type GroupAction =
  | 'group.read' // see the group, its catalog and library
  | 'group.edit' // rename, make public/private, create subgroups, delete
  | 'members.manage' // add, change the role of, remove members
  | 'members.read'
  | 'catalog.add' // put a course in (or take it out of) the group's catalog
  | 'library.add' // put a course in (or take it out of) the group's library
  | 'course.author' // create and edit the group's own (non-synced) courses, paths, program templates
  | 'course.tag' // add local tags to a course the group holds
  | 'stats.read' // learners' statistics in the group
  | 'integration.manage'; // activate, deactivate, rotate credentials, sync now

// Per the seed and the 360Learning docs: coaches and admins curate catalogs; authors (editors,
// contributors) and admins fill libraries and build content; learners read.
const ACTIONS_BY_ROLE: Record<Role, readonly GroupAction[]> = {
  admin: [
    'group.read',
    'group.edit',
    'members.manage',
    'members.read',
    'catalog.add',
    'library.add',
    'course.author',
    'course.tag',
    'stats.read',
    'integration.manage',
  ],
  coach: ['group.read', 'members.read', 'catalog.add', 'course.tag', 'stats.read'],
  author: ['group.read', 'library.add', 'course.author', 'course.tag'],
  learner: ['group.read'],
};

export function actionsOf(role: Role): readonly GroupAction[] {
  return ACTIONS_BY_ROLE[role];
}

export function roleAllows(role: Role, action: GroupAction): boolean {
  return ACTIONS_BY_ROLE[role].includes(action);
}

/** The roles that allow an action (for error messages and for guards written in terms of roles). */
export function rolesAllowing(action: GroupAction): Role[] {
  return ROLES.filter((r) => roleAllows(r, action));
}

export type MembershipRef = { groupId: string; role: Role };

/**
 * A user's effective roles in a group: their own membership there, plus `admin` when they are an
 * admin of any ancestor (a parent's admin administers the whole subtree). Other roles do not
 * inherit: a learner of a parent group is not a learner of its private subgroups.
 *
 * `ancestry` is the group itself first, then its parent, up to the root.
 */
export function effectiveRoles(memberships: readonly MembershipRef[], ancestry: readonly string[]): Role[] {
  const [self, ...ancestors] = ancestry;
  const roles = new Set<Role>();
  for (const m of memberships) {
    if (m.groupId === self) roles.add(m.role);
    else if (m.role === 'admin' && ancestors.includes(m.groupId)) roles.add('admin');
  }
  return ROLES.filter((r) => roles.has(r));
}

export type Subject = { isPlatformAdmin: boolean; roles: readonly Role[] };

/** Platform admins can do everything; everyone else needs a role that allows the action. */
export function can(subject: Subject, action: GroupAction): boolean {
  return subject.isPlatformAdmin || subject.roles.some((r) => roleAllows(r, action));
}

/** True when the subject holds one of `wanted` (platform admins hold every role). */
export function hasAnyRole(subject: Subject, wanted: readonly Role[]): boolean {
  return subject.isPlatformAdmin || subject.roles.some((r) => wanted.includes(r));
}

/**
 * The groups whose catalogs a learner sees: each group they belong to, and, for a public group,
 * its public ancestors up to the first private one (360Learning: a public group's catalog also
 * shows in its public subgroups). `parents` maps every group id to its parent and public flag.
 */
export function visibleCatalogGroups(
  memberGroupIds: readonly string[],
  groups: ReadonlyMap<string, { parentId: string | null; isPublic: boolean }>,
): string[] {
  const out = new Set<string>();
  for (const id of memberGroupIds) {
    out.add(id);
    let current = groups.get(id);
    let guard = 0;
    while (current?.isPublic && current.parentId && guard++ < 1000) {
      const parent = groups.get(current.parentId);
      if (!parent?.isPublic) break;
      out.add(current.parentId);
      current = parent;
    }
  }
  return [...out];
}

/** True when `candidate` is `groupId` or one of its descendants (moving a group under it would loop). */
export function isInSubtree(
  candidate: string,
  groupId: string,
  parentOf: (id: string) => string | null | undefined,
): boolean {
  let current: string | null | undefined = candidate;
  let guard = 0;
  while (current && guard++ < 1000) {
    if (current === groupId) return true;
    current = parentOf(current);
  }
  return false;
}
