// Until integrations are activated from Settings (the lifecycle area), `sesame-bridge sync` with no
// integration makes one default group "OpenSesame" and its integration from the environment's
// OpenSesame settings or the embedded sandbox. Kept apart so that it can be removed later.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import {
  insertIntegration,
  listIntegrations,
  updateIntegration,
  type Integration,
} from '../integrations/integrations.repository.js';
import type { OpenSesameConnection } from '../opensesame/opensesame.types.js';
import { randomToken } from '../secrets.js';

export const DEFAULT_GROUP_NAME = 'OpenSesame';

/** A group and an active OpenSesame integration bound to it (also used by tests and the benchmark). */
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
        name: options.groupName ?? DEFAULT_GROUP_NAME,
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

/** The integrations to sync when none is named: the existing ones, or a default one made once. */
export async function ensureDefaultIntegration(ctx: AppContext): Promise<Integration[]> {
  const existing = await listIntegrations(ctx.db);
  if (existing.length > 0) return followEmbeddedSandbox(ctx, existing);
  const connection = ctx.config.openSesame ?? (await ctx.openSesameDefaults());
  ctx.log.warn(
    { area: 'catalog', apiUrl: connection.apiUrl },
    `no integration configured: created the default group "${DEFAULT_GROUP_NAME}" and its integration`,
  );
  return [await createIntegrationFor(ctx, connection)];
}

const isLoopback = (url: string) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * The embedded sandbox keeps its first port (remembered in `settings`) but takes another one while
 * that is busy (a second process): an integration made against it follows it, so that the next
 * `sync` reaches the sandbox of this process.
 */
async function followEmbeddedSandbox(ctx: AppContext, rows: Integration[]): Promise<Integration[]> {
  if (ctx.config.openSesame) return rows;
  // Loaded only here: the sandbox (and its HTTP server) stays out of processes that never use it.
  const { DEFAULT_CUSTOMER } = await import('../../sandbox/sandbox.server.js');
  const stale = rows.filter((r) => r.client_id === DEFAULT_CUSTOMER.clientId && isLoopback(r.api_url));
  if (stale.length === 0) return rows;
  const sandbox = await ctx.openSesameDefaults();
  for (const row of stale) {
    if (row.api_url === sandbox.apiUrl) continue;
    await updateIntegration(ctx.db, row.id, {
      api_url: sandbox.apiUrl,
      token_url: sandbox.tokenUrl,
      updated_at: ctx.clock.now().toISOString(),
    });
  }
  return listIntegrations(ctx.db);
}
