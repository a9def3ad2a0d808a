// Search benchmark: 100,000 courses (10,000 with --quick) inserted straight into a fresh database,
// the search indexes filled by the migration's triggers, then a mixed query set (words, prefixes,
// filters, browsing with facets) through the search service, as a learner (scope: the synced
// group's catalog) and as a platform admin. Both engines; PostgreSQL at TEST_PG_ADMIN_URL (skipped
// when unreachable). The last stdout line is JSON: {"sqlite":{"p50Ms":…,"p95Ms":…},"postgres":{…}}.
//   npm run bench:search [-- --quick] [-- --engine sqlite] [-- --per-query] [-- --courses N]
// Per-kind p50/p95 always go to stderr; per-query medians with --quick or --per-query.
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import type { Engine } from '../src/db/db.js';
import { search } from '../src/search/search.service.js';
import { QUERIES, seedSearchBench, type QueryKind } from './search.fixtures.js';
import { createTestDatabase, postgresReachable } from '../test/helpers/engines.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyEngine = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : undefined;
const COURSES = args.includes('--courses')
  ? Number(args[args.indexOf('--courses') + 1])
  : quick
    ? 10_000
    : 100_000;
const ROUNDS = quick ? 3 : 5;
const perQueryReport = quick || args.includes('--per-query');

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function run(
  engine: Engine,
): Promise<{ p50Ms: number; p95Ms: number; maxMs: number; queries: number } | null> {
  if (engine === 'postgres' && !(await postgresReachable())) return null;
  const database = await createTestDatabase(engine);
  const config = parseConfig({
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
    SCHEDULER_ENABLED: 'false',
    ...database.env,
  });
  const ctx = await createContext(config, { log: createLogger('silent') });
  try {
    const { learnerId, adminId } = await seedSearchBench(ctx, COURSES);
    const viewers = [
      { userId: learnerId, isPlatformAdmin: false },
      { userId: adminId, isPlatformAdmin: true },
    ];
    for (const { kind: _k, ...q } of QUERIES) await search(ctx, viewers[0]!, q); // warm caches
    const times: number[] = [];
    const slowest = new Map<string, number>();
    const perQuery = new Map<string, number[]>();
    const perKind = new Map<QueryKind, number[]>();
    const add = <K>(m: Map<K, number[]>, key: K, ms: number) => m.set(key, [...(m.get(key) ?? []), ms]);
    for (let r = 0; r < ROUNDS; r++)
      for (const viewer of viewers)
        for (const { kind, ...q } of QUERIES) {
          const t0 = performance.now();
          await search(ctx, viewer, q);
          const ms = performance.now() - t0;
          times.push(ms);
          const key = JSON.stringify(q);
          slowest.set(key, Math.max(slowest.get(key) ?? 0, ms));
          add(perQuery, `${viewer.isPlatformAdmin ? 'admin  ' : 'learner'} ${key}`, ms);
          add(perKind, kind, ms);
        }
    times.sort((a, b) => a - b);
    // Per query and viewer, the median of the rounds: the list to work from when a figure is off.
    if (perQueryReport)
      for (const [key, ms] of perQuery) {
        const sorted = [...ms].sort((a, b) => a - b);
        process.stderr.write(`[${engine}] ${percentile(sorted, 50).toFixed(1).padStart(8)} ms  ${key}\n`);
      }
    // Per kind of query (both viewers, every round): which kind holds the p95 up.
    for (const [kind, ms] of perKind) {
      const sorted = [...ms].sort((a, b) => a - b);
      const f = (n: number) => n.toFixed(1).padStart(7);
      process.stderr.write(
        `[${engine}] ${kind.padEnd(11)} p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  max ${f(sorted[sorted.length - 1]!)} ms  (${sorted.length} runs)\n`,
      );
    }
    const worst = [...slowest].sort((a, b) => b[1] - a[1]).slice(0, 3);
    process.stderr.write(
      `[${engine}] slowest: ${worst.map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join('; ')}\n`,
    );
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      maxMs: round(times[times.length - 1]!),
      queries: times.length,
    };
  } finally {
    await ctx.destroy();
    await database.drop();
  }
}

const result: Record<string, unknown> = { courses: COURSES };
for (const engine of ['sqlite', 'postgres'] as const) {
  if (onlyEngine && onlyEngine !== engine) continue;
  const r = await run(engine);
  result[engine] = r ?? { skipped: 'PostgreSQL not reachable' };
  if (r) process.stderr.write(`[${engine}] ${JSON.stringify(r)}\n`);
}
console.log(JSON.stringify(result));
