// What paths and program templates store alike: a head row (name, group), its courses in order
// (path steps, program blocks) and the learners enrolled in it (a path's, a program session's).
// One function serves both areas, told which tables by a descriptor below. The descriptors are
// `as const` and the functions take only their union, so Kysely checks each table and column name
// against the schema and a table cannot be paired with another's owner column. (Inserts name the
// owner column through a computed key, which Kysely cannot check: the descriptor is the guard.)
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { SequenceHeadTable } from './sequence.tables.js';
import type { CourseSummaryRow } from '../search/search.mapping.js';

/** The head table and its ordered items, keyed (owner, position); appends take the next position. */
export const PATH_ITEMS = { heads: 'paths', items: 'path_steps', owner: 'path_id' } as const;
export const PROGRAM_ITEMS = {
  heads: 'program_templates',
  items: 'program_blocks',
  owner: 'template_id',
} as const;
export type ItemTables = typeof PATH_ITEMS | typeof PROGRAM_ITEMS;

/** Who is enrolled: a path's learners, a program session's learners. */
export const PATH_LEARNERS = { table: 'path_enrolments', owner: 'path_id' } as const;
export const SESSION_LEARNERS = { table: 'program_session_learners', owner: 'session_id' } as const;
export type LearnerTables = typeof PATH_LEARNERS | typeof SESSION_LEARNERS;

/** A path or a program template (their tables have the same columns). */
export type HeadRow = Selectable<SequenceHeadTable>;
/** A step or block: the course, where it stands, and what the rules need to know of it. */
export type ItemRow = CourseSummaryRow & {
  position: number;
  archived: number;
  integration_id: string | null;
};
export type EnrolledRow = { user_id: string; name: string; email: string; enrolled_at: string };

export async function insertHead(db: Db, t: ItemTables, row: HeadRow): Promise<void> {
  await db.insertInto(t.heads).values(row).execute();
}

export async function getHead(db: Db, t: ItemTables, id: string): Promise<HeadRow | undefined> {
  return db.selectFrom(t.heads).selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listGroupHeads(db: Db, t: ItemTables, groupId: string): Promise<HeadRow[]> {
  return db
    .selectFrom(t.heads)
    .selectAll()
    .where('group_id', '=', groupId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listItems(db: Db, t: ItemTables, ownerId: string): Promise<ItemRow[]> {
  return db
    .selectFrom(t.items)
    .innerJoin('courses as c', 'c.id', `${t.items}.course_id`)
    .select([
      `${t.items}.position`,
      'c.id',
      'c.name',
      'c.description',
      'c.image',
      'c.author',
      'c.lang',
      'c.subjects',
      'c.content_type',
      'c.duration_minutes',
      'c.source',
      'c.archived',
      'c.integration_id',
    ])
    .where(t.owner, '=', ownerId)
    .orderBy(`${t.items}.position`)
    .execute();
}

/**
 * Appends a course at the next position inside one transaction; the primary key (owner, position)
 * turns a concurrent append into a conflict. A course already in the sequence answers 'duplicate'.
 */
export async function appendItem(
  db: Db,
  t: ItemTables,
  ownerId: string,
  courseId: string,
  addedBy: string,
  now: string,
): Promise<{ position: number } | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom(t.items)
      .select('position')
      .where(t.owner, '=', ownerId)
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    if (existing) return 'duplicate' as const;
    const last = await trx
      .selectFrom(t.items)
      .select((eb) => eb.fn.max('position').as('max'))
      .where(t.owner, '=', ownerId)
      .executeTakeFirst();
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    await trx
      .insertInto(t.items)
      .values({ [t.owner]: ownerId, position, course_id: courseId, added_by: addedBy, added_at: now })
      .execute();
    await trx.updateTable(t.heads).set({ updated_at: now }).where('id', '=', ownerId).execute();
    return { position };
  });
}

export async function enrol(
  db: Db,
  t: LearnerTables,
  ownerId: string,
  userIds: readonly string[],
  by: string,
  now: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto(t.table)
    .values(userIds.map((user_id) => ({ [t.owner]: ownerId, user_id, enrolled_by: by, enrolled_at: now })))
    .onConflict((oc) => oc.columns([t.owner, 'user_id']).doNothing())
    .execute();
}

export async function isEnrolled(
  db: Db,
  t: LearnerTables,
  ownerId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(t.table)
    .select('user_id')
    .where(t.owner, '=', ownerId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listEnrolled(db: Db, t: LearnerTables, ownerId: string): Promise<EnrolledRow[]> {
  return db
    .selectFrom(t.table)
    .innerJoin('users as u', 'u.id', `${t.table}.user_id`)
    .select([`${t.table}.user_id`, 'u.name', 'u.email', `${t.table}.enrolled_at`])
    .where(t.owner, '=', ownerId)
    .orderBy('u.name')
    .orderBy(`${t.table}.user_id`)
    .execute();
}
