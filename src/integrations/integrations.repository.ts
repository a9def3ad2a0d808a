// Integration rows. Repositories take `db` (or a transaction) first; the caller owns the transaction.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/db.js';
import type { IntegrationsTable } from '../db/schema.js';
import type { SecretBox } from '../secrets.js';
import type { OpenSesameConnection } from '../opensesame/opensesame.types.js';

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
