// An active OpenSesame integration made straight in the database, for tests and benchmarks that
// exercise the sync without going through activation (which verifies against OpenSesame first).
import crypto from 'node:crypto';
import type { AppContext } from '../../src/context.js';
import {
  insertIntegration,
  listIntegrations,
  type Integration,
} from '../../src/integrations/integrations.repository.js';
import type { OpenSesameConnection } from '../../src/opensesame/opensesame.types.js';
import { randomToken } from '../../src/secrets.js';

/** A group and an active OpenSesame integration bound to it, written directly (no activation flow). */
export async function createIntegrationFor(
  ctx: AppContext,
  connection: OpenSesameConnection,
  options: { groupName?: string; massArchiveThreshold?: number } = {},
): Promise<Integration> {
  const now = ctx.clock.now().toISOString();
  const groupId = crypto.randomUUID();
  const id = crypto.randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('groups')
      .values({
        id: groupId,
        name: options.groupName ?? 'OpenSesame',
        parent_id: null,
        is_public: 1,
        created_at: now,
      })
      .execute();
    await insertIntegration(trx, {
      id,
      group_id: groupId,
      provider: 'opensesame',
      status: 'active',
      connector_admin_user_id: null,
      api_url: connection.apiUrl,
      token_url: connection.tokenUrl,
      client_id: connection.clientId,
      client_secret_sealed: ctx.secrets.seal(connection.clientSecret),
      ciid_sealed: ctx.secrets.seal(connection.customerIntegrationId),
      cron: ctx.config.sync.cron,
      time_zone: ctx.config.sync.timeZone,
      mass_archive_threshold: options.massArchiveThreshold ?? ctx.config.sync.massArchiveThreshold,
      webhook_client_id: `os_${randomToken(12)}`,
      webhook_secret_sealed: ctx.secrets.seal(randomToken(32)),
      credentials_version: 1,
      activated_at: now,
      created_at: now,
      updated_at: now,
    });
  });
  const rows = await listIntegrations(ctx.db);
  return rows.find((r) => r.id === id)!;
}
