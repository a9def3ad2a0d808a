// npm run bench:xapi [-- --quick] — statements ingestion over loopback, on SQLite and PostgreSQL.
// The real server runs as a child process, as production runs it (`npm start`: the compiled
// dist/src/server.js, built first; not the tsx loader, which adds its own cost); autocannon drives it
// from this process. Per engine: the ceiling (GET /api/opensesame/stats/about, the resource's own
// static route, same server, same run), single-statement POSTs, 100-statement batches, the p99 at
// half the single-statement peak (rate-limited run), and acknowledged = stored.
// The last stdout line is JSON: {"sqlite":{…},"postgres":{…}}.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import autocannon from 'autocannon';
import { createDb, type Engine } from '../src/db/db.js';
import { postgresReachable } from '../test/helpers/engines.js';
import { completion } from '../test/xapi/fixtures.js';
import { BENCH_SECRET_KEY, createXapiBenchWorld } from './xapi.world.js';

const quick = process.argv.includes('--quick');
const DURATION = quick ? 2 : 8;
// POST runs use a fixed number of requests (not a duration) so that every response is counted and
// `acknowledged` can be compared exactly with what the database holds.
const SINGLE_REQUESTS = quick ? 1500 : 4000;
const BATCH_REQUESTS = quick ? 30 : 200;
// Issue 4 measures single-statement POSTs (and the ceiling they are compared with) at 50 connections.
const CONNECTIONS = 50;
const SECRET_KEY = BENCH_SECRET_KEY;
const log = (...a: unknown[]) => console.error('[bench]', ...a);

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const a = s.address();
  s.close();
  if (!a || typeof a !== 'object') throw new Error('no port');
  return a.port;
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // XAPI_BENCH_PROFILE=dir writes a CPU profile of the server (node --cpu-prof) per engine.
  const profile = process.env.XAPI_BENCH_PROFILE;
  const args = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const child = spawn(process.execPath, [...args, '--enable-source-maps', 'dist/src/server.js'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      SECRET_KEY,
      SCHEDULER_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let n = 0; n < 300; n++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/opensesame/stats/about`)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

// The server's CPU time (user + system, all threads) from /proc: on a shared machine the rates move
// with everybody else's load, CPU per request much less, so it is the figure to compare changes by.
function cpuMs(pid: number | undefined): number {
  try {
    const fields =
      fs
        .readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 Hz ticks
  } catch {
    return Number.NaN; // not Linux
  }
}

type Run = { requestsPerSec: number; total: number; p99: number; ok: number; non2xx: number; errors: number };

async function cannon(opts: autocannon.Options): Promise<Run> {
  let ok = 0;
  const started = performance.now();
  let last = started;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    instance.on('response', (_client: unknown, status: number) => {
      last = performance.now();
      if (status === 200) ok++;
    });
  });
  // Completed requests over the time to the last answer. Not autocannon's `duration`: a run with
  // `amount` only stops at its next one-second tick, which understated short runs by up to a second.
  return {
    requestsPerSec: r.requests.total / ((last - started) / 1000),
    total: r.requests.total,
    p99: r.latency.p99,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function benchEngine(engine: Engine) {
  const { database, config, ctx, integration } = await createXapiBenchWorld(engine, 'silent');
  await ctx.destroy();

  const port = await freePort();
  const server = await startServer(database.env, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const tokenRes = await fetch(`${base}/api/opensesame/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: integration.clientId,
        client_secret: integration.secret,
      }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const headers = {
      'content-type': 'application/json',
      'x-experience-api-version': '1.0.3',
      authorization: `Bearer ${access_token}`,
    };
    const one = () =>
      completion('learner@example.com', 'https://opensesame.example/courses/BENCH-1', {
        id: crypto.randomUUID(),
      });
    const url = `${base}/api/opensesame/stats`;

    // Warm-up, not measured (its statements are counted in `acknowledged`): a fresh process compiles
    // the POST path's code while serving it, which weighed on the short `--quick` runs.
    log(engine, 'warm-up');
    const warm = await cannon({
      url,
      method: 'POST',
      headers,
      amount: 500,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(one()) }) }],
    });
    const warmBatch = await cannon({
      url,
      method: 'POST',
      headers,
      connections: 4,
      amount: 8,
      requests: [
        { setupRequest: (req) => ({ ...req, body: JSON.stringify(Array.from({ length: 100 }, one)) }) },
      ],
    });
    log(engine, 'ceiling (GET /about)');
    const cpuStart = cpuMs(server.pid);
    const empty = await cannon({
      url: `${base}/api/opensesame/stats/about`,
      headers: { 'x-experience-api-version': '1.0.3' },
    });
    log(engine, 'single statements');
    const cpu0 = cpuMs(server.pid);
    const single = await cannon({
      url,
      method: 'POST',
      headers,
      amount: SINGLE_REQUESTS,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(one()) }) }],
    });
    const cpu1 = cpuMs(server.pid);
    log(engine, '100-statement batches');
    const batch = await cannon({
      url,
      method: 'POST',
      headers,
      connections: 4,
      amount: BATCH_REQUESTS,
      requests: [
        { setupRequest: (req) => ({ ...req, body: JSON.stringify(Array.from({ length: 100 }, one)) }) },
      ],
    });
    const cpu2 = cpuMs(server.pid);
    const halfRate = Math.max(1, Math.floor(single.requestsPerSec / 2));
    log(engine, `single statements at half peak (${halfRate}/s)`);
    const half = await cannon({
      url,
      method: 'POST',
      headers,
      overallRate: halfRate,
      amount: halfRate * DURATION,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(one()) }) }],
    });

    const acknowledged = warm.ok + warmBatch.ok * 100 + single.ok + batch.ok * 100 + half.ok;
    const handle = createDb(config.database);
    const row = await handle.db
      .selectFrom('xapi_statements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await handle.destroy();
    return {
      emptyRouteRequestsPerSec: Math.round(empty.requestsPerSec),
      singleStatementsPerSec: Math.round(single.requestsPerSec),
      singleShareOfCeiling: Math.round((single.requestsPerSec / empty.requestsPerSec) * 100) / 100,
      batchStatementsPerSec: Math.round(batch.requestsPerSec * 100),
      p99MsAtHalfPeak: half.p99,
      halfPeakRate: halfRate,
      acknowledged,
      stored: Number(row.n),
      serverCpuMsPerEmptyRequest: Math.round(((cpu0 - cpuStart) / empty.total) * 1000) / 1000,
      serverCpuMsPerSingleRequest: Math.round(((cpu1 - cpu0) / single.total) * 100) / 100,
      serverCpuMsPer100Batch: Math.round(((cpu2 - cpu1) / batch.total) * 100) / 100,
      errors: single.errors + batch.errors + half.errors,
      non2xx: single.non2xx + batch.non2xx + half.non2xx,
      durationSeconds: DURATION,
    };
  } finally {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
    await database.drop();
  }
}

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
const results: Record<string, unknown> = {};
// `-- sqlite` or `-- postgres` runs one engine only (iterating); the default is both.
const only = (['sqlite', 'postgres'] as const).filter((e) => process.argv.includes(e));
for (const engine of only.length ? only : (['sqlite', 'postgres'] as const)) {
  if (engine === 'postgres' && !(await postgresReachable())) {
    results.postgres = { skipped: 'PostgreSQL not reachable' };
    continue;
  }
  results[engine] = await benchEngine(engine);
  log(engine, JSON.stringify(results[engine]));
}
console.log(JSON.stringify(results));
