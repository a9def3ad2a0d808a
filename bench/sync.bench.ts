// Catalogue sync benchmark: `npm run bench:sync [-- --quick]`. Real sandbox (own process) over
// loopback, real client, SQLite (temp file) and PostgreSQL (fresh database on 127.0.0.1:5432).
// Progress on stderr; the LAST stdout line is the JSON summary {"sqlite":{…},"postgres":{…}}.
import { execFileSync, spawn } from 'node:child_process';
import readline from 'node:readline';
import { parseConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { createIntegrationFor } from '../test/helpers/integration.js';
import { runSync, type SyncSummary } from '../src/catalog/catalog.sync.js';
import type { OpenSesameConnection } from '../src/opensesame/opensesame.types.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/engines.js';

const quick = process.argv.includes('--quick');
const COURSES = quick ? 2_000 : 20_000;
const RSS_COURSES = quick ? 5_000 : 100_000;
// `-- sqlite` or `-- postgres` runs one engine (both by default).
const only = (['sqlite', 'postgres'] as const).filter((e) => process.argv.includes(e));
const engines = only.length > 0 ? only : (['sqlite', 'postgres'] as const);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const tsxArgs = (file: string, ...args: string[]) => ['--import', 'tsx', file, ...args];

type SandboxHandle = { url: string; adminKey: string; connection: OpenSesameConnection; stop(): void };

async function startSandboxChild(courses: number): Promise<SandboxHandle> {
  const child = spawn(process.execPath, tsxArgs('bench/sandbox.child.ts', String(courses)), {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const handle = JSON.parse(line) as Omit<SandboxHandle, 'stop'>;
  return { ...handle, stop: () => child.stdin.end() };
}

// The same fresh, throw-away databases the tests use (a temp SQLite folder, or a new PostgreSQL database).
const freshDatabase = (engine: 'sqlite' | 'postgres'): Promise<TestDatabase> => createTestDatabase(engine);

const contextFor = (db: TestDatabase) =>
  createContext(
    parseConfig({
      ...db.env,
      LOG_LEVEL: 'silent',
      SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
      SCHEDULER_ENABLED: 'false',
    }),
  );

async function fetchOnly(
  ctx: AppContext,
  connection: OpenSesameConnection,
): Promise<{ seconds: number; items: number }> {
  const client = ctx.openSesameClient(connection) as ReturnType<AppContext['openSesameClient']> & {
    close?: () => Promise<void>;
  };
  const t0 = performance.now();
  let items = 0;
  for await (const page of client.listCatalogue()) items += page.items.length;
  const seconds = (performance.now() - t0) / 1000;
  await client.close?.();
  return { seconds, items };
}

function done(s: SyncSummary): Extract<SyncSummary, { status: 'succeeded' | 'failed' }> {
  if (s.status !== 'succeeded') throw new Error(`sync ${s.status}: ${JSON.stringify(s.error)}`);
  return s;
}

async function editOnePercent(
  ctx: AppContext,
  sandbox: SandboxHandle,
  integrationId: string,
): Promise<number> {
  const rows = await ctx.db
    .selectFrom('courses')
    .select('external_id')
    .where('integration_id', '=', integrationId)
    .orderBy('external_id')
    .execute();
  const step = 100;
  let edited = 0;
  for (let i = 0; i < rows.length; i += step) {
    const id = rows[i]!.external_id!;
    const res = await fetch(`${sandbox.url}/admin/courses/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-admin-key': sandbox.adminKey },
      body: JSON.stringify({ title: `Edited for the benchmark ${i}` }),
    });
    if (!res.ok) throw new Error(`edit ${id}: ${res.status}`);
    edited++;
  }
  return edited;
}

async function peakRss(engine: 'sqlite' | 'postgres', sandbox: SandboxHandle) {
  const db = await freshDatabase(engine);
  try {
    // Measured as production runs: compiled JavaScript (`npm run build`), not the tsx loader.
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/bench/sync.rss.child.js'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_DATA_DIR: db.env.DATA_DIR,
        ...(db.env.DATABASE_URL ? { BENCH_DATABASE_URL: db.env.DATABASE_URL } : {}),
        BENCH_CONNECTION: JSON.stringify(sandbox.connection),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`rss child exited with ${code}`);
    return JSON.parse(out.trim().split('\n').at(-1)!) as {
      seconds: number;
      maxRssMb: number;
      peakHeapUsedMb: number;
      counts: unknown;
    };
  } finally {
    await db.drop();
  }
}

async function benchEngine(engine: 'sqlite' | 'postgres', sandbox: SandboxHandle, big: SandboxHandle) {
  log(`[${engine}] ${COURSES} courses`);
  const db = await freshDatabase(engine);
  const ctx = await contextFor(db);
  try {
    const fetched = await fetchOnly(ctx, sandbox.connection);
    log(`[${engine}] fetch only: ${fetched.items} items in ${fetched.seconds.toFixed(2)} s`);
    const integration = await createIntegrationFor(ctx, sandbox.connection);
    const first = done(await runSync(ctx, integration.id, { trigger: 'manual' }));
    log(
      `[${engine}] first sync: ${first.counts.created} created in ${(first.durationMs / 1000).toFixed(2)} s`,
    );

    const noopStart = new Date().toISOString();
    const noop = done(await runSync(ctx, integration.id, { trigger: 'manual' }));
    const touched = await ctx.db
      .selectFrom('courses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integration.id)
      .where('updated_at', '>=', noopStart)
      .executeTakeFirstOrThrow();
    log(
      `[${engine}] no-op re-sync: ${noop.courseRowsWritten} rows written in ${(noop.durationMs / 1000).toFixed(2)} s`,
    );

    const edited = await editOnePercent(ctx, sandbox, integration.id);
    const changed = done(await runSync(ctx, integration.id, { trigger: 'manual' }));
    log(
      `[${engine}] 1 % edited (${edited}): ${changed.counts.updated} updated in ${(changed.durationMs / 1000).toFixed(2)} s`,
    );

    log(`[${engine}] peak RSS of a ${RSS_COURSES}-course first sync (child process)…`);
    const rss = await peakRss(engine, big);
    log(`[${engine}] peak RSS ${rss.maxRssMb} MB (sync ${rss.seconds.toFixed(1)} s)`);
    return {
      courses: COURSES,
      fetchOnlySeconds: round(fetched.seconds),
      firstSyncSeconds: round(first.durationMs / 1000),
      firstSyncOverFetch: round(first.durationMs / 1000 / fetched.seconds),
      firstSyncCreated: first.counts.created,
      rejected: first.counts.rejected,
      noopResyncSeconds: round(noop.durationMs / 1000),
      noopRowsWritten: noop.courseRowsWritten,
      noopRowsWithNewUpdatedAt: Number(touched.n),
      changedResyncSeconds: round(changed.durationMs / 1000),
      changedEdited: edited,
      changedUpdated: changed.counts.updated,
      changedRowsWritten: changed.courseRowsWritten,
      rssCourses: RSS_COURSES,
      peakRssMb100k: rss.maxRssMb,
      peakHeapUsedMb100k: rss.peakHeapUsedMb,
      rssSyncSeconds: round(rss.seconds),
    };
  } finally {
    await ctx.destroy();
    await db.drop();
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
execFileSync(
  process.execPath,
  ['scripts/build.mjs', 'bench/sync.rss.child.ts', 'test/helpers/integration.ts'],
  {
    stdio: 'ignore',
  },
);
const sandbox = await startSandboxChild(COURSES);
const big = await startSandboxChild(RSS_COURSES);
try {
  const result: Record<string, unknown> = {};
  for (const engine of engines) result[engine] = await benchEngine(engine, sandbox, big);
  console.log(JSON.stringify(result));
} finally {
  sandbox.stop();
  big.stop();
}
