// One first sync, measured for what it costs rather than how long it takes on a busy machine:
// `node --import tsx bench/sync.profile.ts [sqlite|postgres] [courses]` (defaults: sqlite, 20000).
// Prints this process's CPU (user and system, all threads), what it wrote and read (/proc/self/io:
// WAL, database and temp files on SQLite), the SQLite WAL and database sizes after the run, and on
// PostgreSQL the CPU of the server processes connected to the run's own database. Add
// `--cpu-prof` before the file for a profile. The sandbox runs in its own process, as in bench:sync.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { sql } from 'kysely';
import { parseConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { runSync } from '../src/catalog/catalog.sync.js';
import { createIntegrationFor } from '../test/helpers/integration.js';
import { createTestDatabase } from '../test/helpers/engines.js';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const courses = Number(process.argv[3] ?? 20_000);

const sandbox = spawn(process.execPath, ['--import', 'tsx', 'bench/sandbox.child.ts', String(courses)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const handle = JSON.parse(
  await new Promise<string>((resolve) =>
    readline.createInterface({ input: sandbox.stdout }).once('line', resolve),
  ),
) as { connection: Parameters<typeof createIntegrationFor>[1] };
const db = await createTestDatabase(engine);
const ctx = await createContext(
  parseConfig({
    ...db.env,
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
    SCHEDULER_ENABLED: 'false',
  }),
);
const integration = await createIntegrationFor(ctx, handle.connection);

const io = () =>
  Object.fromEntries(
    fs
      .readFileSync('/proc/self/io', 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(': '))
      .map(([k, v]) => [k, Number(v)]),
  ) as Record<'rchar' | 'wchar' | 'syscr' | 'syscw', number>;
/** CPU seconds of the PostgreSQL backends serving this database (its name is the run's own). */
const serverCpu = async (): Promise<Map<number, number>> => {
  const cpu = new Map<number, number>();
  if (engine !== 'postgres') return cpu;
  const pids = await sql<{
    pid: number;
  }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(ctx.db);
  for (const { pid } of pids.rows) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // another host's server, or the backend is gone
    }
  }
  return cpu;
};

const server0 = await serverCpu();
const io0 = io();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const summary = await runSync(ctx, integration.id, { trigger: 'manual' });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const io1 = io();
let serverSeconds = 0;
for (const [pid, s] of await serverCpu()) serverSeconds += s - (server0.get(pid) ?? 0);
const size = (file: string) => (fs.existsSync(file) ? Math.round(fs.statSync(file).size / 1e5) / 10 : null);
const file = `${db.env.DATA_DIR}/sesame-bridge.sqlite`;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
console.log(
  JSON.stringify({
    engine,
    courses,
    status: summary.status,
    counts: summary.status === 'refused' ? undefined : summary.counts,
    wallSeconds: Math.round(wall * 100) / 100,
    cpuUserSeconds: Math.round(cpu.user / 1e4) / 100,
    cpuSystemSeconds: Math.round(cpu.system / 1e4) / 100,
    writtenMb: mb(io1.wchar - io0.wchar),
    writeCalls: io1.syscw - io0.syscw,
    readMb: mb(io1.rchar - io0.rchar),
    ...(engine === 'sqlite'
      ? { walMb: size(`${file}-wal`), databaseMb: size(file) }
      : { serverCpuSeconds: Math.round(serverSeconds * 100) / 100 }),
  }),
);
await ctx.destroy();
await db.drop();
sandbox.stdin.end();
