// Profiles the statements endpoint under one kind of load, for finding where time goes (README,
// xAPI ingestion). The server runs in THIS process (so the inspector can profile exactly the
// measured phase); the load comes from a child process (bench/xapi.load.child.ts, autocannon).
//   node --import tsx bench/xapi.profile.ts <sqlite|postgres> <empty|noop|single|batch> <requests> [out.cpuprofile]
// or, as production runs (no tsx loader): node scripts/build.mjs bench/xapi.profile.ts
//   bench/xapi.world.ts bench/xapi.load.child.ts test/helpers/engines.ts test/xapi/fixtures.ts, then
//   node dist/bench/xapi.profile.js …
// `noop` is a POST route with the same headers and body that only parses the JSON and answers an
// id: the HTTP floor a statement POST cannot go below. A third of the requests warm up first.
// Prints the CPU per request (process, and per thread from /proc), this database's PostgreSQL
// backends' CPU (a backend that ended during the run is missed), the
// group commit's counts; writes the main thread's CPU profile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { startBackground } from '../src/runtime.js';
import { writerCounts } from '../src/xapi/xapi.writer.js';
import type { Engine } from '../src/db/db.js';
import { createXapiBenchWorld } from './xapi.world.js';

const [engine = 'sqlite', kind = 'single', amountArg = '8000', out = 'xapi.cpuprofile'] =
  process.argv.slice(2);
const amount = Number(amountArg);

/** CPU milliseconds by thread (the main thread is named `main`), from /proc (Linux). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name =
      tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    out.set(`${tid} ${name}`, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return out;
}

/** CPU milliseconds of this database's PostgreSQL backends, by pid (other databases' do not count). */
async function postgresCpu(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (engine !== 'postgres') return out;
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(ctx.db);
  for (const { pid } of rows) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      /* not on this machine, or ended */
    }
  }
  return out;
}

const { database, ctx, integration } = await createXapiBenchWorld(engine as Engine, 'error');
const app = await buildApp(ctx);
app.post('/noop', async (request) => [String((request.body as { id?: unknown }).id)]);
await startBackground(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const token = (
  (await (
    await fetch(`${base}/api/opensesame/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: integration.clientId,
        client_secret: integration.secret,
      }),
    })
  ).json()) as { access_token: string }
).access_token;

const compiled = import.meta.url.endsWith('.js');
const load = (requests: number) =>
  new Promise<string>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        ...(compiled ? ['dist/bench/xapi.load.child.js'] : ['--import', 'tsx', 'bench/xapi.load.child.ts']),
        base,
        token,
        kind,
        String(requests),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', () => resolve(text.trim()));
  });

console.error('warm-up', await load(Math.ceil(amount / 3)));
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const groups0 = writerCounts(ctx);
const threads0 = threadCpu();
const postgres0 = await postgresCpu();
const cpu0 = process.cpuUsage();
const result = await load(amount);
const cpu = process.cpuUsage(cpu0);
const byThread: Record<string, number> = {};
for (const [key, ms] of threadCpu()) {
  const name = key.split(' ')[1] ?? key;
  byThread[name] = (byThread[name] ?? 0) + (ms - (threads0.get(key) ?? 0)) / amount;
}
const groups1 = writerCounts(ctx);
const postgres1 = await postgresCpu();
const { profile } = await session.post('Profiler.stop');
fs.writeFileSync(out, JSON.stringify(profile));
console.log(
  JSON.stringify({
    load: JSON.parse(result || '{}') as unknown,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / amount,
    cpuMsPerRequestByThread: byThread,
    postgresCpuMsPerRequest:
      [...postgres1].reduce((t, [pid, ms]) => t + ms - (postgres0.get(pid) ?? 0), 0) / amount,
    groups: groups1.groups - groups0.groups,
    grouped: groups1.requests - groups0.requests,
    alone: groups1.alone - groups0.alone,
    profile: out,
  }),
);
await app.close();
await ctx.destroy();
await database.drop();
