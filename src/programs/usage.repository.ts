import type { Db } from '../db/db.js';

export async function getCourseUsageHead(db: Db, courseId: string) {
  return db
    .selectFrom('courses as c')
    .leftJoin('integrations as i', 'i.id', 'c.integration_id')
    .select([
      'c.id',
      'c.name',
      'c.archived',
      'c.archived_at',
      'c.archived_reason',
      'c.owner_group_id',
      'i.group_id as integration_group_id',
    ])
    .where('c.id', '=', courseId)
    .executeTakeFirst();
}
