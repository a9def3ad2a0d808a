// `sesame-bridge sync` and `sesame-bridge runs`: the same runSync and run records as the scheduler
// and the routes. Progress goes to stderr (a bar on a terminal), results to stdout.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { CliDeps } from '../cli.js';
import type { AppContext } from '../context.js';
import {
  getIntegration,
  getIntegrationByGroup,
  listIntegrations,
  type Integration,
} from '../integrations/integrations.repository.js';
import { runSyncFor } from '../integrations/integrations.jobs.js';
import type { SyncSummary } from './catalog.sync.js';
import { lastListedCount, listRuns, type SyncRun } from './sync-runs.repository.js';

type SyncOpts = { group?: string; integration?: string; json?: boolean };
type RunsOpts = { integration?: string; limit?: string; json?: boolean };

async function pickIntegrations(ctx: AppContext, opts: SyncOpts): Promise<Integration[]> {
  if (opts.integration) {
    const row = await getIntegration(ctx.db, opts.integration);
    if (!row) throw new Error(`No integration ${opts.integration}`);
    return [row];
  }
  if (opts.group) {
    const row = await getIntegrationByGroup(ctx.db, opts.group);
    if (!row) throw new Error(`No integration for group ${opts.group}`);
    return [row];
  }
  const live = (await listIntegrations(ctx.db)).filter((i) => i.status !== 'inactive');
  if (live.length === 0)
    throw new Error(
      'No active integration: activate one with `sesame-bridge integration activate --group ID --ciid X --connector-email E` (or try `npm run demo`).',
    );
  return live;
}

export function summaryLine(s: SyncSummary): string {
  if (s.status === 'refused') return `sync ${s.integrationId} refused: ${s.error.message} [${s.error.code}]`;
  const c = s.counts;
  const head = `sync ${s.integrationId} ${s.status} in ${(s.durationMs / 1000).toFixed(1)}s`;
  const body =
    `${c.listed} listed, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
    `${c.archived} archived, ${c.restored} restored, ${c.rejected} rejected` +
    (c.held_archives ? `, ${c.held_archives} archives held for confirmation` : '');
  const tail = s.error ? ` — ${s.error.message} [${s.error.code}]` : '';
  return `${head}: ${body} (run ${s.runId})${tail}`;
}

async function syncOne(ctx: AppContext, integration: Integration, signal: AbortSignal): Promise<SyncSummary> {
  if (!process.stderr.isTTY) return runSyncFor(ctx, integration.id, { trigger: 'cli', signal });
  // The API gives no total: the last run's count is the bar's estimate, raised when passed.
  let total = (await lastListedCount(ctx.db, integration.id)) ?? 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        'sync [{bar}] {value}/{total} courses | page {page} | +{created} ~{updated} -{archived} !{rejected}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { page: 0, created: 0, updated: 0, archived: 0, rejected: 0 });
  try {
    return await runSyncFor(ctx, integration.id, {
      trigger: 'cli',
      signal,
      onProgress: (p) => {
        if (p.listed > total) bar.setTotal((total = p.listed));
        bar.update(p.listed, p);
      },
    });
  } finally {
    bar.stop();
  }
}

function runLine(r: SyncRun): string {
  const took = r.finished_at
    ? `${((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)}s`
    : '-';
  const err = r.error_code ? ` ${r.error_code}: ${r.error_message ?? ''}` : '';
  return (
    `${r.started_at}  ${r.status.padEnd(9)} ${r.trigger.padEnd(10)} ${took.padStart(7)}  ` +
    `listed ${r.listed} +${r.created} ~${r.updated} =${r.unchanged} -${r.archived} ^${r.restored} ` +
    `!${r.rejected}${r.held_archives ? ` held ${r.held_archives}` : ''}  ${r.id}${err}`
  );
}

export function registerCatalogCommands(program: Command, deps: CliDeps): void {
  program
    .command('sync')
    .description('sync the OpenSesame catalogue now (every active integration unless one is named)')
    .option('--group <id>', 'the integration bound to this group')
    .option('--integration <id>', 'this integration')
    .option('--json', 'print the run summary as JSON')
    .action(async (opts: SyncOpts) => {
      const ctx = await deps.context();
      const integrations = await pickIntegrations(ctx, opts);
      // Ctrl-C stops the run cleanly: it is recorded as failed ('aborted'), nothing half-written.
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const summaries: SyncSummary[] = [];
      try {
        for (const integration of integrations) {
          if (stop.signal.aborted) break;
          const s = await syncOne(ctx, integration, stop.signal);
          summaries.push(s);
          if (!opts.json) console.log(summaryLine(s));
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (opts.json) console.log(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries));
      if (summaries.some((s) => s.status !== 'succeeded')) process.exitCode = 1;
    });

  program
    .command('runs')
    .description('list recent sync runs, newest first')
    .option('--integration <id>', 'only this integration')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print the runs as JSON')
    .action(async (opts: RunsOpts) => {
      const limit = Number(opts.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive integer');
      const ctx = await deps.context();
      const runs = await listRuns(ctx.db, { integrationId: opts.integration, limit });
      if (opts.json) console.log(JSON.stringify(runs));
      else if (runs.length === 0) console.log('No sync runs yet.');
      else for (const r of runs) console.log(runLine(r));
    });
}
