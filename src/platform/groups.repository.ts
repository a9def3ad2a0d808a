// Groups (a tree through parent_id) and memberships. Repositories take `db` first; the caller owns
// the transaction.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { GroupsTable, MembershipsTable, Role } from '../db/schema.js';
import type { MembershipRef } from './roles.js';

export type GroupRow = Selectable<GroupsTable>;
export type MembershipRow = Selectable<MembershipsTable>;

export async function insertGroup(
  db: Db,
  input: { name: string; parentId: string | null; isPublic: boolean; now: string; id?: string },
): Promise<GroupRow> {
  const row: GroupRow = {
    id: input.id ?? crypto.randomUUID(),
    name: input.name.trim(),
    parent_id: input.parentId,
    is_public: input.isPublic ? 1 : 0,
    created_at: input.now,
  };
  await db.insertInto('groups').values(row).execute();
  return row;
}

export async function getGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listGroups(db: Db, ids?: readonly string[]): Promise<GroupRow[]> {
  if (ids && ids.length === 0) return [];
  let q = db.selectFrom('groups').selectAll();
  if (ids) q = q.where('id', 'in', [...ids]);
  return q.orderBy('name').orderBy('id').execute();
}

export async function listChildGroups(db: Db, parentId: string): Promise<GroupRow[]> {
  return db.selectFrom('groups').selectAll().where('parent_id', '=', parentId).orderBy('name').execute();
}

export async function updateGroup(
  db: Db,
  id: string,
  patch: { name?: string; isPublic?: boolean; parentId?: string | null },
): Promise<void> {
  const set: Partial<GroupRow> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.isPublic !== undefined) set.is_public = patch.isPublic ? 1 : 0;
  if (patch.parentId !== undefined) set.parent_id = patch.parentId;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('groups').set(set).where('id', '=', id).execute();
}

/** Deletes a group with its memberships, catalog and library entries (the caller checked it is a leaf). */
export async function deleteGroup(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('memberships').where('group_id', '=', id).execute();
    await trx.deleteFrom('catalog_entries').where('group_id', '=', id).execute();
    await trx.deleteFrom('library_entries').where('group_id', '=', id).execute();
    await trx.deleteFrom('groups').where('id', '=', id).execute();
  });
}

/** Id → parent and public flag of every group: the tree is small, one query beats a recursive CTE per check. */
export async function groupTree(
  db: Db,
): Promise<Map<string, { parentId: string | null; isPublic: boolean; name: string }>> {
  const rows = await db.selectFrom('groups').select(['id', 'parent_id', 'is_public', 'name']).execute();
  return new Map(
    rows.map((r) => [r.id, { parentId: r.parent_id, isPublic: r.is_public === 1, name: r.name }]),
  );
}

/**
 * The group itself, then its parent, up to the root; empty when the group does not exist. Walks one
 * row at a time (trees are shallow) and stops on a loop.
 */
export async function ancestry(db: Db, groupId: string): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = groupId;
  while (current && !chain.includes(current) && chain.length < 100) {
    const row = await db
      .selectFrom('groups')
      .select(['parent_id'])
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) break;
    chain.push(current);
    current = row.parent_id;
  }
  return chain;
}

// --- memberships ---

export async function upsertMembership(
  db: Db,
  input: { groupId: string; userId: string; role: Role; now: string },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ group_id: input.groupId, user_id: input.userId, role: input.role, created_at: input.now })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doUpdateSet({ role: input.role }))
    .execute();
}

export async function getMembership(
  db: Db,
  groupId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function deleteMembership(db: Db, groupId: string, userId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('memberships')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export type MemberView = { userId: string; email: string; name: string; role: Role; since: string };

export async function listMembers(db: Db, groupId: string): Promise<MemberView[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.group_id', '=', groupId)
    .orderBy('users.email_normalized')
    .execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name, role: r.role, since: r.created_at }));
}

export async function userMemberships(db: Db, userId: string): Promise<MembershipRef[]> {
  const rows = await db
    .selectFrom('memberships')
    .select(['group_id', 'role'])
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, role: r.role }));
}

export async function countGroups(db: Db): Promise<number> {
  const row = await db
    .selectFrom('groups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
