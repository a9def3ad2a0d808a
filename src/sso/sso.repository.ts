// SSO rows: the IdP key pair in `settings` (sealed by the caller) and each integration's SP.
import type { Selectable } from 'kysely';
import type { Db } from '../db/db.js';
import type { SamlServiceProvidersTable } from './sso.tables.js';

export type ServiceProviderRow = Selectable<SamlServiceProvidersTable>;

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Inserts unless the key exists (two instances starting at once keep the first value). */
export async function insertSettingIfAbsent(db: Db, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function getServiceProvider(
  db: Db,
  integrationId: string,
): Promise<ServiceProviderRow | undefined> {
  return db
    .selectFrom('saml_service_providers')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
}

export async function upsertServiceProvider(db: Db, row: ServiceProviderRow): Promise<void> {
  await db
    .insertInto('saml_service_providers')
    .values(row)
    .onConflict((oc) =>
      oc.column('integration_id').doUpdateSet({
        entity_id: row.entity_id,
        acs_url: row.acs_url,
        metadata_xml: row.metadata_xml,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findServiceProvidersByEntityId(
  db: Db,
  entityId: string,
): Promise<ServiceProviderRow[]> {
  return db
    .selectFrom('saml_service_providers')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('updated_at', 'desc')
    .execute();
}
