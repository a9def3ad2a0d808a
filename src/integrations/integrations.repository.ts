// Integration rows. Repositories take `db` (or a transaction) first; the caller owns the transaction.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/db.js';
import type { Database, IntegrationStatus } from '../db/schema.js';
import type { SecretBox } from '../secrets.js';
import type { OpenSesameConnection } from '../opensesame/opensesame.types.js';

/** The row with every area's columns (core, plus 004's `uses_embedded_sandbox`). */
type IntegrationsTable = Database['integrations'];
export type Integration = Selectable<IntegrationsTable>;

export async function insertIntegration(db: Db, row: Insertable<IntegrationsTable>): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

export async function getIntegration(db: Db, id: string): Promise<Integration | undefined> {
  return db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getIntegrationByGroup(db: Db, groupId: string): Promise<Integration | undefined> {
  return db.selectFrom('integrations').selectAll().where('group_id', '=', groupId).executeTakeFirst();
}

export async function getIntegrationByWebhookClientId(
  db: Db,
  clientId: string,
): Promise<Integration | undefined> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('webhook_client_id', '=', clientId)
    .executeTakeFirst();
}

export async function listIntegrations(db: Db): Promise<Integration[]> {
  return db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
}

export async function updateIntegration(
  db: Db,
  id: string,
  patch: Updateable<IntegrationsTable>,
): Promise<void> {
  await db.updateTable('integrations').set(patch).where('id', '=', id).execute();
}

/** The OpenSesame connection of an integration, secrets unsealed. */
export function connectionOf(secrets: SecretBox, row: Integration): OpenSesameConnection {
  return {
    apiUrl: row.api_url,
    tokenUrl: row.token_url,
    clientId: row.client_id,
    clientSecret: secrets.open(row.client_secret_sealed),
    customerIntegrationId: secrets.open(row.ciid_sealed),
  };
}

/** Updates only while the status is one of `from`; says whether it did (the race arbiter). */
export async function updateIntegrationIfStatus(
  db: Db,
  id: string,
  from: IntegrationStatus | IntegrationStatus[],
  patch: Updateable<IntegrationsTable>,
): Promise<boolean> {
  const res = await db
    .updateTable('integrations')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', Array.isArray(from) ? from : [from])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteIntegrationRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('integrations').where('id', '=', id).execute();
}

/** Integrations the scheduler looks after: set up or active (never inactive ones). */
export async function listSchedulable(db: Db): Promise<Integration[]> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('status', 'in', ['setting-up', 'active'])
    .orderBy('created_at')
    .execute();
}

/**
 * Claims one scheduled time for one integration. The conditional update is the arbiter between
 * instances: only the one whose update moves `last_scheduled_for` forward gets a row back.
 */
export async function claimScheduledRun(db: Db, id: string, due: string): Promise<boolean> {
  const res = await db
    .updateTable('integrations')
    .set({ last_scheduled_for: due })
    .where('id', '=', id)
    .where('status', 'in', ['setting-up', 'active'])
    .where((eb) => eb.or([eb('last_scheduled_for', 'is', null), eb('last_scheduled_for', '<', due)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** setting-up → active once a sync has succeeded; a no-op for any other status. */
export async function markActive(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('integrations')
    .set({ status: 'active', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'setting-up')
    .execute();
}

/** Archives every live course of the integration, keeping them wherever they are placed. */
export async function archiveAllCourses(db: Db, integrationId: string, now: string): Promise<number> {
  const res = await db
    .updateTable('courses')
    .set({ archived: 1, archived_at: now, archived_reason: 'deactivated', updated_at: now })
    .where('integration_id', '=', integrationId)
    .where('archived', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function clearHeldArchives(db: Db, integrationId: string): Promise<void> {
  await db.deleteFrom('held_archives').where('integration_id', '=', integrationId).execute();
}

export type CourseCounts = { total: number; live: number; archived: number };

export async function courseCounts(db: Db, integrationId: string): Promise<CourseCounts> {
  const rows = await db
    .selectFrom('courses')
    .select(['archived', (eb) => eb.fn.countAll<number>().as('n')])
    .where('integration_id', '=', integrationId)
    .groupBy('archived')
    .execute();
  const of = (a: number) => Number(rows.find((r) => Number(r.archived) === a)?.n ?? 0);
  return { total: of(0) + of(1), live: of(0), archived: of(1) };
}

export type RunRow = {
  id: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  listed: number;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  restored: number;
  rejected: number;
  held_archives: number;
  error_code: string | null;
  error_message: string | null;
};

export async function latestRun(db: Db, integrationId: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('sync_runs')
    .select([
      'id',
      'trigger',
      'status',
      'started_at',
      'finished_at',
      'listed',
      'created',
      'updated',
      'unchanged',
      'archived',
      'restored',
      'rejected',
      'held_archives',
      'error_code',
      'error_message',
    ])
    .where('integration_id', '=', integrationId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type HeldCourse = {
  courseId: string;
  externalId: string | null;
  name: string;
  runId: string;
  heldAt: string;
};

export async function listHeldCourses(db: Db, integrationId: string): Promise<HeldCourse[]> {
  const rows = await db
    .selectFrom('held_archives')
    .innerJoin('courses', 'courses.id', 'held_archives.course_id')
    .select([
      'courses.id as courseId',
      'courses.external_id as externalId',
      'courses.name as name',
      'held_archives.run_id as runId',
      'held_archives.held_at as heldAt',
    ])
    .where('held_archives.integration_id', '=', integrationId)
    .orderBy('courses.name')
    .execute();
  return rows;
}

/** The connector admin's e-mail, for display. */
export async function userEmail(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return row?.email;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e.code === '23505' || (typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message));
}

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function putSetting(db: Db, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}
