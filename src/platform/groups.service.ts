// Group tree rules: who may create where, no loops, delete only leaves that nothing else uses.
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import type { Principal } from './auth.service.js';
import { userGroupRoles } from './access.js';
import { can, isInSubtree } from './roles.js';
import {
  deleteGroup,
  getGroup,
  groupTree,
  insertGroup,
  listChildGroups,
  updateGroup,
  type GroupRow,
} from './groups.repository.js';
import { getIntegrationByGroup } from '../integrations/integrations.repository.js';

async function mayEditGroup(ctx: AppContext, principal: Principal, groupId: string): Promise<boolean> {
  if (principal.isPlatformAdmin) return true;
  const roles = await userGroupRoles(ctx.db, principal.userId, groupId);
  return can({ isPlatformAdmin: false, roles }, 'group.edit');
}

/** Root groups are made by platform admins; subgroups by admins of the parent. */
export async function createGroup(
  ctx: AppContext,
  principal: Principal,
  input: { name: string; parentId: string | null; isPublic: boolean },
): Promise<GroupRow> {
  if (!input.name.trim()) throw Invalid('invalid_name', 'A group name is required.');
  if (input.parentId === null) {
    if (!principal.isPlatformAdmin)
      throw Forbidden('platform_admin_required', 'Only a platform administrator can create a root group.');
  } else {
    if (!(await getGroup(ctx.db, input.parentId)))
      throw NotFound('group_not_found', `No group ${input.parentId}.`);
    if (!(await mayEditGroup(ctx, principal, input.parentId)))
      throw Forbidden('insufficient_role', `Creating a subgroup needs the admin role in ${input.parentId}.`);
  }
  return insertGroup(ctx.db, { ...input, now: ctx.clock.now().toISOString() });
}

/** Rename, change visibility, or move under another parent (admin of both; never under itself). */
export async function editGroup(
  ctx: AppContext,
  principal: Principal,
  groupId: string,
  patch: { name?: string; isPublic?: boolean; parentId?: string | null },
): Promise<GroupRow> {
  if (patch.name !== undefined && !patch.name.trim())
    throw Invalid('invalid_name', 'A group name is required.');
  const group = await getGroup(ctx.db, groupId);
  if (!group) throw NotFound('group_not_found', `No group ${groupId}.`);
  if (patch.parentId !== undefined && patch.parentId !== group.parent_id) {
    if (patch.parentId === null) {
      if (!principal.isPlatformAdmin)
        throw Forbidden('platform_admin_required', 'Only a platform administrator can make a root group.');
    } else {
      if (!(await getGroup(ctx.db, patch.parentId)))
        throw NotFound('group_not_found', `No group ${patch.parentId}.`);
      if (!(await mayEditGroup(ctx, principal, patch.parentId)))
        throw Forbidden('insufficient_role', `Moving here needs the admin role in ${patch.parentId}.`);
      const tree = await groupTree(ctx.db);
      if (isInSubtree(patch.parentId, groupId, (id) => tree.get(id)?.parentId))
        throw Conflict('group_cycle', 'A group cannot move under itself or one of its subgroups.');
    }
  }
  await updateGroup(ctx.db, groupId, patch);
  return (await getGroup(ctx.db, groupId)) as GroupRow;
}

/** Deletes a leaf group with no integration; its memberships and catalog/library entries go with it. */
export async function removeGroup(ctx: AppContext, principal: Principal, groupId: string): Promise<void> {
  const group = await getGroup(ctx.db, groupId);
  if (!group) throw NotFound('group_not_found', `No group ${groupId}.`);
  // Deleting needs admin rights above the group (its parent's admin, or a platform admin), so a
  // group's own admin cannot take it out of the tree.
  if (
    !principal.isPlatformAdmin &&
    !(group.parent_id && (await mayEditGroup(ctx, principal, group.parent_id)))
  )
    throw Forbidden('insufficient_role', 'Deleting a group needs the admin role in its parent group.');
  if ((await listChildGroups(ctx.db, groupId)).length > 0)
    throw Conflict('group_not_empty', 'Delete or move its subgroups first.');
  if (await getIntegrationByGroup(ctx.db, groupId))
    throw Conflict('group_in_use', 'The group has an integration; deactivate and remove it first.');
  try {
    await deleteGroup(ctx.db, groupId);
  } catch (err) {
    // Another area's rows (paths, programs, statistics) still point at the group.
    if (isForeignKeyViolation(err)) throw Conflict('group_in_use', 'Other records still use this group.');
    throw err;
  }
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
