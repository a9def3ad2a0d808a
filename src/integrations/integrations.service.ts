// The integration lifecycle: activate (verify first, then write), show, rotate webhook credentials,
// change the schedule, sync now, deactivate. Authorisation is the caller's job (routes check the
// group admin role; the CLI is the operator). Services throw typed errors with stable codes.
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import type { SyncTrigger } from '../db/schema.js';
import { Conflict, Invalid, NotFound, Upstream } from '../errors.js';
import { randomToken } from '../secrets.js';
import type { OpenSesameConnection } from '../opensesame/opensesame.types.js';
import { getGroup } from '../platform/groups.repository.js';
import { findUserByEmail } from '../platform/users.repository.js';
import { userHasGroupRole } from '../platform/access.js';
import {
  archiveAllCourses,
  clearHeldArchives,
  courseCounts,
  getIntegrationByGroup,
  insertIntegration,
  isUniqueViolation,
  latestRun,
  listHeldCourses,
  listIntegrations,
  updateIntegration,
  updateIntegrationIfStatus,
  userEmail,
  type Integration,
} from './integrations.repository.js';
import { integrationView, type IntegrationView } from './integrations.mapping.js';
import { checkSchedule, nextRun } from './schedule.js';
import { abortSyncs, dispatchSync } from './integrations.jobs.js';

export const PROVIDER = 'opensesame';
/** OpenSesame's production hosts (specs/opensesame-api.md), for operators' OPENSESAME_* settings. */
export const OPENSESAME_API_URL = 'https://api.delivery.opensesame.com';
export const OPENSESAME_TOKEN_URL = 'https://auth.coursecloud.net/oauth2/aus1l01v8s55riV0C0h8/v1/token';

export type ActivationInput = {
  customerIntegrationId: string;
  connectorAdminEmail: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  apiUrl?: string | undefined;
  tokenUrl?: string | undefined;
};

const HOUR_MS = 3600_000;

export async function activateIntegration(
  ctx: AppContext,
  groupId: string,
  input: ActivationInput,
): Promise<IntegrationView> {
  const group = await getGroup(ctx.db, groupId);
  if (!group) throw NotFound('group_not_found', `No group ${groupId}.`);
  const existing = await getIntegrationByGroup(ctx.db, groupId);
  if (existing && existing.status !== 'inactive')
    throw Conflict(
      'integration_exists',
      'This group already has an OpenSesame integration; deactivate it first.',
    );

  const connector = await findUserByEmail(ctx.db, input.connectorAdminEmail);
  if (!connector || !(await userHasGroupRole(ctx.db, connector.id, groupId, ['author', 'admin'])))
    throw Invalid(
      'connector_admin_not_author',
      connector
        ? `${input.connectorAdminEmail} is not an author or administrator of this group; the connector admin becomes the author of the synced courses.`
        : `No user has the e-mail ${input.connectorAdminEmail}; the connector admin must be an author or administrator of this group.`,
    );

  const { connection, embedded } = await resolveConnection(ctx, input);
  await verifyConnection(ctx, connection);

  // Verified: only now is anything written.
  const now = ctx.clock.now().toISOString();
  const connectionColumns = {
    api_url: connection.apiUrl,
    token_url: connection.tokenUrl,
    client_id: connection.clientId,
    client_secret_sealed: ctx.secrets.seal(connection.clientSecret),
    ciid_sealed: ctx.secrets.seal(connection.customerIntegrationId),
    connector_admin_user_id: connector.id,
    uses_embedded_sandbox: embedded ? (1 as const) : (0 as const),
  };
  let id: string;
  if (existing) {
    // Reactivation keeps the row (statistics and courses hang off it), the schedule and the webhook
    // credentials OpenSesame already holds; the deactivation grace period ends now.
    const reactivated = await updateIntegrationIfStatus(ctx.db, existing.id, 'inactive', {
      ...connectionColumns,
      status: 'setting-up',
      activated_at: now,
      deactivated_at: null,
      credentials_valid_until: null,
      last_scheduled_for: null,
      archive_hold_run_id: null,
      updated_at: now,
    });
    if (!reactivated)
      throw Conflict('integration_exists', 'This group already has an OpenSesame integration.');
    id = existing.id;
  } else {
    id = crypto.randomUUID();
    try {
      await insertIntegration(ctx.db, {
        id,
        group_id: groupId,
        provider: PROVIDER,
        status: 'setting-up',
        ...connectionColumns,
        cron: ctx.config.sync.cron,
        time_zone: ctx.config.sync.timeZone,
        mass_archive_threshold: ctx.config.sync.massArchiveThreshold,
        webhook_client_id: newWebhookClientId(),
        webhook_secret_sealed: ctx.secrets.seal(newWebhookSecret()),
        credentials_version: 1,
        activated_at: now,
        created_at: now,
        updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw Conflict('integration_exists', 'This group already has an OpenSesame integration.');
      throw err;
    }
  }
  ctx.log.info(
    { area: 'integrations', integrationId: id, groupId, reactivated: !!existing },
    'integration activated',
  );
  await dispatchSync(ctx, { integrationId: id, trigger: 'activation' });
  return showIntegration(ctx, groupId);
}

function newWebhookClientId(): string {
  return `osw_${randomToken(12)}`;
}

function newWebhookSecret(): string {
  return randomToken(32);
}

/**
 * Fills what the admin left out: the operator's OpenSesame settings when the service has them
 * (normally OpenSesame's production hosts), else the embedded sandbox (started on first use).
 */
async function resolveConnection(
  ctx: AppContext,
  input: ActivationInput,
): Promise<{ connection: OpenSesameConnection; embedded: boolean }> {
  if ((input.clientId === undefined) !== (input.clientSecret === undefined))
    throw Invalid('invalid_request', 'Give both the OpenSesame client id and client secret, or neither.');
  const complete = input.clientId !== undefined && input.apiUrl !== undefined && input.tokenUrl !== undefined;
  const base = complete ? undefined : (ctx.config.openSesame ?? (await ctx.openSesameDefaults()));
  const connection = {
    apiUrl: input.apiUrl ?? base?.apiUrl ?? OPENSESAME_API_URL,
    tokenUrl: input.tokenUrl ?? base?.tokenUrl ?? OPENSESAME_TOKEN_URL,
    clientId: input.clientId ?? base?.clientId ?? '',
    clientSecret: input.clientSecret ?? base?.clientSecret ?? '',
    customerIntegrationId: input.customerIntegrationId,
  };
  // Bound to the embedded sandbox only when its address came from the defaults.
  const embedded = !ctx.config.openSesame && input.apiUrl === undefined;
  return { connection, embedded };
}

async function verifyConnection(ctx: AppContext, connection: OpenSesameConnection): Promise<void> {
  const result = await ctx.openSesameClient(connection).verify();
  if (result.ok) return;
  if (result.field === 'credentials')
    throw Invalid(
      'invalid_opensesame_credentials',
      `OpenSesame refused the API client id or secret (${result.message}). Nothing was activated.`,
    );
  if (result.field === 'customerIntegrationId')
    throw Invalid(
      'invalid_customer_integration_id',
      `OpenSesame does not know this Customer Integration ID (${result.message}). Nothing was activated.`,
    );
  throw Upstream(
    'opensesame_unreachable',
    `Could not reach OpenSesame: ${result.message}. Nothing was activated.`,
  );
}

async function requireIntegration(ctx: AppContext, groupId: string): Promise<Integration> {
  const row = await getIntegrationByGroup(ctx.db, groupId);
  if (!row) throw NotFound('integration_not_found', `Group ${groupId} has no OpenSesame integration.`);
  return row;
}

async function requireLive(ctx: AppContext, groupId: string): Promise<Integration> {
  const row = await requireIntegration(ctx, groupId);
  if (row.status === 'inactive')
    throw Conflict('integration_inactive', 'The OpenSesame integration of this group is deactivated.');
  return row;
}

export async function showIntegration(ctx: AppContext, groupId: string): Promise<IntegrationView> {
  return viewOf(ctx, await requireIntegration(ctx, groupId));
}

export async function listIntegrationViews(ctx: AppContext): Promise<IntegrationView[]> {
  const rows = await listIntegrations(ctx.db);
  return Promise.all(rows.map((r) => viewOf(ctx, r)));
}

async function viewOf(ctx: AppContext, row: Integration): Promise<IntegrationView> {
  const [lastRun, courses, held, connectorEmail] = await Promise.all([
    latestRun(ctx.db, row.id),
    courseCounts(ctx.db, row.id),
    listHeldCourses(ctx.db, row.id),
    row.connector_admin_user_id ? userEmail(ctx.db, row.connector_admin_user_id) : undefined,
  ]);
  return integrationView({
    row,
    publicBaseUrl: ctx.config.publicBaseUrl,
    schedulerEnabled: ctx.config.sync.schedulerEnabled,
    webhookSecret: ctx.secrets.open(row.webhook_secret_sealed),
    customerIntegrationId: ctx.secrets.open(row.ciid_sealed),
    connectorEmail,
    nextRunAt: nextRun({ cron: row.cron, timeZone: row.time_zone }, ctx.clock.now()),
    lastRun,
    courses,
    held,
  });
}

/**
 * New webhook secret, same client id. The old secret keeps working for the grace period so that
 * OpenSesame can be updated without losing statements; tokens made with it die at once (version).
 */
export async function rotateWebhookCredentials(ctx: AppContext, groupId: string): Promise<IntegrationView> {
  const row = await requireLive(ctx, groupId);
  const now = ctx.clock.now();
  await updateIntegration(ctx.db, row.id, {
    previous_webhook_secret_sealed: row.webhook_secret_sealed,
    previous_secret_valid_until: new Date(
      now.getTime() + ctx.config.credentialGraceHours * HOUR_MS,
    ).toISOString(),
    webhook_secret_sealed: ctx.secrets.seal(newWebhookSecret()),
    credentials_version: row.credentials_version + 1,
    updated_at: now.toISOString(),
  });
  ctx.log.info({ area: 'integrations', integrationId: row.id }, 'webhook credentials rotated');
  return showIntegration(ctx, groupId);
}

export async function updateSchedule(
  ctx: AppContext,
  groupId: string,
  schedule: { cron: string; timeZone: string },
): Promise<IntegrationView> {
  const row = await requireIntegration(ctx, groupId);
  const problem = checkSchedule(schedule);
  if (problem) throw Invalid('invalid_schedule', problem.message, { field: problem.field });
  const now = ctx.clock.now().toISOString();
  // Counting from now: a new time earlier today must not look like a missed run.
  await updateIntegration(ctx.db, row.id, {
    cron: schedule.cron.trim(),
    time_zone: schedule.timeZone,
    last_scheduled_for: now,
    updated_at: now,
  });
  return showIntegration(ctx, groupId);
}

export async function syncNow(
  ctx: AppContext,
  groupId: string,
  trigger: SyncTrigger,
): Promise<{ integrationId: string }> {
  const row = await requireLive(ctx, groupId);
  await dispatchSync(ctx, { integrationId: row.id, trigger });
  return { integrationId: row.id };
}

/**
 * Stops the schedule, archives every synced course (they stay in catalogs, paths and programs,
 * hidden from search), keeps all statistics, and lets the webhook credentials live for the grace
 * period so completions in flight still land.
 */
export async function deactivateIntegration(ctx: AppContext, groupId: string): Promise<IntegrationView> {
  const row = await requireLive(ctx, groupId);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  // Status first: the scheduler and "sync now" stop choosing it, and a run starting now refuses.
  const deactivated = await updateIntegrationIfStatus(ctx.db, row.id, ['setting-up', 'active'], {
    status: 'inactive',
    deactivated_at: nowIso,
    credentials_valid_until: new Date(
      now.getTime() + ctx.config.credentialGraceHours * HOUR_MS,
    ).toISOString(),
    archive_hold_run_id: null,
    updated_at: nowIso,
  });
  if (!deactivated)
    throw Conflict(
      'integration_inactive',
      'The OpenSesame integration of this group is already deactivated.',
    );
  // A run of ours in flight would restore what we archive: stop it before archiving.
  await abortSyncs(ctx, row.id);
  const archived = await ctx.db.transaction().execute(async (trx) => {
    await clearHeldArchives(trx, row.id);
    return archiveAllCourses(trx, row.id, nowIso);
  });
  ctx.log.info({ area: 'integrations', integrationId: row.id, archived }, 'integration deactivated');
  return showIntegration(ctx, groupId);
}
