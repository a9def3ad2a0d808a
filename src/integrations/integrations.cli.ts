// `sesame-bridge integration …`: the same service functions as the routes, run by the operator
// (no role check: whoever runs the CLI owns the data directory or the database URL).
import type { Command } from 'commander';
import type { CliDeps } from '../cli.js';
import { AppError } from '../errors.js';
import {
  activateIntegration,
  deactivateIntegration,
  listIntegrationViews,
  rotateWebhookCredentials,
  showIntegration,
  updateSchedule,
} from './integrations.service.js';
import { confirmArchives, rejectArchives } from './integrations.archives.js';
import { waitForSyncs } from './integrations.jobs.js';
import type { IntegrationView } from './integrations.mapping.js';

type Json = { json?: boolean };

export function registerIntegrationCommands(program: Command, deps: CliDeps): void {
  const cmd = program
    .command('integration')
    .description('activate, inspect and deactivate OpenSesame integrations');

  cmd
    .command('activate')
    .description(
      'activate OpenSesame for a group (verifies the credentials and CIID, then runs the first sync)',
    )
    .requiredOption('--group <id>', 'the group whose catalog receives the courses')
    .requiredOption('--ciid <id>', 'OpenSesame Customer Integration ID')
    .requiredOption('--connector-email <email>', 'an author or administrator of the group')
    .option('--client-id <id>', 'OpenSesame API client id (default: the configured one, or the sandbox)')
    .option('--client-secret <secret>', 'OpenSesame API client secret')
    .option('--api-url <url>', 'OpenSesame API base URL')
    .option('--token-url <url>', 'OpenSesame token URL')
    .option('--no-wait', 'do not wait for the first sync to finish')
    .option('--json', 'print the result as JSON')
    .action(
      guard(
        async (
          opts: Json & {
            group: string;
            ciid: string;
            connectorEmail: string;
            clientId?: string;
            clientSecret?: string;
            apiUrl?: string;
            tokenUrl?: string;
            wait: boolean;
          },
        ) => {
          const ctx = await deps.context();
          await activateIntegration(ctx, opts.group, {
            customerIntegrationId: opts.ciid,
            connectorAdminEmail: opts.connectorEmail,
            clientId: opts.clientId,
            clientSecret: opts.clientSecret,
            apiUrl: opts.apiUrl,
            tokenUrl: opts.tokenUrl,
          });
          if (opts.wait) {
            if (!opts.json) console.error('Activated; running the first sync…');
            await waitForSyncs(ctx);
          }
          print(await showIntegration(ctx, opts.group), opts);
        },
      ),
    );

  cmd
    .command('show')
    .description(
      'status, health, runs, counts, webhook credentials and the xAPI block (all groups without --group)',
    )
    .option('--group <id>', 'one group')
    .option('--json', 'print as JSON')
    .action(
      guard(async (opts: Json & { group?: string }) => {
        const ctx = await deps.context();
        if (opts.group) return print(await showIntegration(ctx, opts.group), opts);
        const all = await listIntegrationViews(ctx);
        if (opts.json) return console.log(JSON.stringify(all, null, 2));
        if (all.length === 0) console.log('No integration yet: run `sesame-bridge integration activate`.');
        for (const view of all) console.log(describe(view));
      }),
    );

  cmd
    .command('rotate-credentials')
    .description('new webhook secret; the old one keeps working for the grace period')
    .requiredOption('--group <id>', 'the group')
    .option('--json', 'print as JSON')
    .action(
      guard(async (opts: Json & { group: string }) => {
        print(await rotateWebhookCredentials(await deps.context(), opts.group), opts);
      }),
    );

  cmd
    .command('deactivate')
    .description('stop syncing, archive every synced course, keep all statistics')
    .requiredOption('--group <id>', 'the group')
    .option('--json', 'print as JSON')
    .action(
      guard(async (opts: Json & { group: string }) => {
        print(await deactivateIntegration(await deps.context(), opts.group), opts);
      }),
    );

  cmd
    .command('schedule')
    .description('change when the sync runs')
    .requiredOption('--group <id>', 'the group')
    .requiredOption('--cron <pattern>', 'five-field cron pattern, e.g. "50 6 * * *"')
    .requiredOption('--time-zone <zone>', 'IANA time zone, e.g. Europe/Paris')
    .option('--json', 'print as JSON')
    .action(
      guard(async (opts: Json & { group: string; cron: string; timeZone: string }) => {
        print(
          await updateSchedule(await deps.context(), opts.group, {
            cron: opts.cron,
            timeZone: opts.timeZone,
          }),
          opts,
        );
      }),
    );

  cmd
    .command('confirm-archives')
    .description('apply the archives the mass-archive brake held back (--reject keeps the courses live)')
    .requiredOption('--group <id>', 'the group')
    .option('--reject', 'keep the held courses live instead')
    .option('--json', 'print as JSON')
    .action(
      guard(async (opts: Json & { group: string; reject?: boolean }) => {
        const ctx = await deps.context();
        print(await (opts.reject ? rejectArchives : confirmArchives)(ctx, opts.group), opts);
      }),
    );
}

/** Typed errors become one line (or a JSON error) and exit code 1; anything else propagates. */
function guard<A extends Json>(fn: (opts: A) => Promise<void>): (opts: A) => Promise<void> {
  return async (opts) => {
    try {
      await fn(opts);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (opts.json) console.log(JSON.stringify({ error: { code: err.code, message: err.message } }));
      else console.error(`${err.code}: ${err.message}`);
      process.exitCode = 1;
    }
  };
}

function print(view: IntegrationView, opts: Json): void {
  console.log(opts.json ? JSON.stringify(view, null, 2) : describe(view));
}

export function describe(v: IntegrationView): string {
  const run = v.lastRun;
  const lines = [
    `OpenSesame integration ${v.id}`,
    `  group           ${v.groupId}`,
    `  status          ${v.status} (health: ${v.health})`,
    `  connector admin ${v.connectorAdmin?.email ?? '-'}`,
    `  courses         ${v.courses.live} live, ${v.courses.archived} archived`,
    `  schedule        ${v.schedule.cron} ${v.schedule.timeZone}; next run ${v.schedule.nextRunAt ?? '-'}${v.schedule.schedulerEnabled ? '' : ' (scheduler disabled)'}`,
    run
      ? `  last run        ${run.status} (${run.trigger}) ${run.startedAt}: ${run.counts.created} created, ${run.counts.updated} updated, ${run.counts.unchanged} unchanged, ${run.counts.archived} archived, ${run.counts.restored} restored, ${run.counts.rejected} rejected${run.error?.message ? `; ${run.error.message}` : ''}`
      : '  last run        none yet',
  ];
  if (v.heldArchives.length > 0)
    lines.push(
      `  held archives   ${v.heldArchives.length} (sesame-bridge integration confirm-archives --group ${v.groupId} [--reject])`,
    );
  lines.push(
    '  xAPI settings to send to OpenSesame:',
    `    LMS Auth URL        ${v.xapi.lmsAuthUrl}`,
    `    LMS URL             ${v.xapi.lmsUrl}`,
    `    Client ID           ${v.xapi.clientId}`,
    `    Client Secret       ${v.xapi.clientSecret}`,
    `    Scope               ${v.xapi.scope}`,
    `    User identification ${v.xapi.userIdentification}`,
  );
  if (v.webhook.validUntil) lines.push(`  webhook credentials end at ${v.webhook.validUntil}`);
  return lines.join('\n');
}
