// What an admin sees of an integration, built from the row and a few counts. Pure: secrets come in
// already opened, times are computed by the caller's clock.
import type { Integration, CourseCounts, HeldCourse, RunRow } from './integrations.repository.js';

export type Health = 'ok' | 'failed' | 'held';

/** The block the admin hands to OpenSesame (seed, step 4). */
export type XapiBlock = {
  lmsAuthUrl: string;
  lmsUrl: string;
  clientId: string;
  clientSecret: string;
  scope: 'xapi:write';
  userIdentification: 'MBOX';
};

export type IntegrationView = {
  id: string;
  groupId: string;
  provider: string;
  status: Integration['status'];
  health: Health;
  connectorAdmin: { userId: string; email: string | null } | null;
  openSesame: { apiUrl: string; tokenUrl: string; clientId: string; customerIntegrationId: string };
  schedule: {
    cron: string;
    timeZone: string;
    schedulerEnabled: boolean;
    nextRunAt: string | null;
    lastScheduledFor: string | null;
  };
  lastRun: {
    id: string;
    trigger: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    counts: Record<
      'listed' | 'created' | 'updated' | 'unchanged' | 'archived' | 'restored' | 'rejected' | 'held',
      number
    >;
    error: { code: string | null; message: string | null } | null;
  } | null;
  courses: CourseCounts;
  heldArchives: HeldCourse[];
  webhook: {
    clientId: string;
    clientSecret: string;
    credentialsVersion: number;
    previousSecretValidUntil: string | null;
    /** Set after deactivation: the credentials stop working at this time. */
    validUntil: string | null;
  };
  xapi: XapiBlock;
  activatedAt: string | null;
  deactivatedAt: string | null;
  updatedAt: string;
};

export function xapiBlock(publicBaseUrl: string, clientId: string, clientSecret: string): XapiBlock {
  return {
    lmsAuthUrl: `${publicBaseUrl}/api/opensesame/oauth2/token`,
    lmsUrl: `${publicBaseUrl}/api/opensesame/stats`,
    clientId,
    clientSecret,
    scope: 'xapi:write',
    userIdentification: 'MBOX',
  };
}

/**
 * held: the mass-archive brake holds archives for an admin to confirm (the most urgent);
 * failed: the latest run failed; ok otherwise (including "no run yet").
 */
export function healthOf(row: Pick<Integration, 'archive_hold_run_id'>, held: number, last?: RunRow): Health {
  if (row.archive_hold_run_id !== null || held > 0) return 'held';
  if (last?.status === 'failed') return 'failed';
  return 'ok';
}

export type ViewParts = {
  row: Integration;
  publicBaseUrl: string;
  schedulerEnabled: boolean;
  webhookSecret: string;
  customerIntegrationId: string;
  connectorEmail: string | undefined;
  nextRunAt: Date | null;
  lastRun: RunRow | undefined;
  courses: CourseCounts;
  held: HeldCourse[];
};

export function integrationView(p: ViewParts): IntegrationView {
  const { row, lastRun: last } = p;
  return {
    id: row.id,
    groupId: row.group_id,
    provider: row.provider,
    status: row.status,
    health: healthOf(row, p.held.length, last),
    connectorAdmin: row.connector_admin_user_id
      ? { userId: row.connector_admin_user_id, email: p.connectorEmail ?? null }
      : null,
    openSesame: {
      apiUrl: row.api_url,
      tokenUrl: row.token_url,
      clientId: row.client_id,
      customerIntegrationId: p.customerIntegrationId,
    },
    schedule: {
      cron: row.cron,
      timeZone: row.time_zone,
      schedulerEnabled: p.schedulerEnabled,
      nextRunAt: row.status === 'inactive' ? null : (p.nextRunAt?.toISOString() ?? null),
      lastScheduledFor: row.last_scheduled_for,
    },
    lastRun: last
      ? {
          id: last.id,
          trigger: last.trigger,
          status: last.status,
          startedAt: last.started_at,
          finishedAt: last.finished_at,
          counts: {
            listed: last.listed,
            created: last.created,
            updated: last.updated,
            unchanged: last.unchanged,
            archived: last.archived,
            restored: last.restored,
            rejected: last.rejected,
            held: last.held_archives,
          },
          error:
            last.error_code || last.error_message
              ? { code: last.error_code, message: last.error_message }
              : null,
        }
      : null,
    courses: p.courses,
    heldArchives: p.held,
    webhook: {
      clientId: row.webhook_client_id,
      clientSecret: p.webhookSecret,
      credentialsVersion: row.credentials_version,
      previousSecretValidUntil: row.previous_secret_valid_until,
      validUntil: row.credentials_valid_until,
    },
    xapi: xapiBlock(p.publicBaseUrl, row.webhook_client_id, p.webhookSecret),
    activatedAt: row.activated_at,
    deactivatedAt: row.deactivated_at,
    updatedAt: row.updated_at,
  };
}
