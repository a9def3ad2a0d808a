// Role lookups against the database, for guards and for services that act without a request (the
// lifecycle checking a connector admin, the CLI). The rules themselves are in roles.ts.
import type { Db } from '../db/db.js';
import type { Role } from '../db/schema.js';
import { NotFound } from '../errors.js';
import { ancestry, getGroup, groupTree, userMemberships, type GroupRow } from './groups.repository.js';
import { getUser } from './users.repository.js';
import { effectiveRoles, visibleCatalogGroups, type Subject } from './roles.js';

export type GroupAccess = { group: GroupRow; roles: Role[]; isPlatformAdmin: boolean };

/** A user's effective roles in a group (own membership + admin inherited from ancestors). */
export async function userGroupRoles(db: Db, userId: string, groupId: string): Promise<Role[]> {
  const [chain, memberships] = await Promise.all([ancestry(db, groupId), userMemberships(db, userId)]);
  return effectiveRoles(memberships, chain);
}

/** Everything a guard needs to decide; throws `group_not_found` for an unknown group. */
export async function groupAccess(
  db: Db,
  subject: { userId: string; isPlatformAdmin: boolean },
  groupId: string,
): Promise<GroupAccess> {
  const group = await getGroup(db, groupId);
  if (!group) throw NotFound('group_not_found', `No group ${groupId}.`);
  const roles = await userGroupRoles(db, subject.userId, groupId);
  return { group, roles, isPlatformAdmin: subject.isPlatformAdmin };
}

export function subjectOf(access: GroupAccess): Subject {
  return { isPlatformAdmin: access.isPlatformAdmin, roles: access.roles };
}

/** True when the user (by id) holds one of `wanted` in the group, platform admins included. */
export async function userHasGroupRole(
  db: Db,
  userId: string,
  groupId: string,
  wanted: readonly Role[],
): Promise<boolean> {
  const user = await getUser(db, userId);
  if (!user) return false;
  if (user.is_platform_admin === 1) return true;
  const roles = await userGroupRoles(db, userId, groupId);
  return roles.some((r) => wanted.includes(r));
}

/**
 * Every group where the user has a role, directly or as an admin of an ancestor (their subtree).
 * Returns null for platform admins, meaning "all groups".
 */
export async function groupsOfUser(
  db: Db,
  subject: { userId: string; isPlatformAdmin: boolean },
): Promise<Map<string, Role[]> | null> {
  if (subject.isPlatformAdmin) return null;
  const [tree, memberships] = await Promise.all([groupTree(db), userMemberships(db, subject.userId)]);
  const out = new Map<string, Role[]>();
  for (const id of tree.keys()) {
    const chain: string[] = [];
    let current: string | null | undefined = id;
    while (current && !chain.includes(current)) {
      chain.push(current);
      current = tree.get(current)?.parentId;
    }
    const roles = effectiveRoles(memberships, chain);
    if (roles.length > 0) out.set(id, roles);
  }
  return out;
}

/** The groups whose catalogs the user sees as a learner (own groups plus their public ancestors). */
export async function catalogGroupsOfUser(db: Db, userId: string): Promise<string[]> {
  const [tree, memberships] = await Promise.all([groupTree(db), userMemberships(db, userId)]);
  return visibleCatalogGroups(
    memberships.map((m) => m.groupId),
    tree,
  );
}
