// One full first sync in a fresh process, for its peak memory: prints { seconds, maxRssMb, counts }.
// Env: BENCH_DATA_DIR, BENCH_DATABASE_URL (optional), BENCH_CONNECTION (JSON).
import fs from 'node:fs';
import { parseConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createIntegrationFor } from '../test/helpers/integration.js';
import { runSync } from '../src/catalog/catalog.sync.js';

const config = parseConfig({
  DATA_DIR: process.env.BENCH_DATA_DIR,
  DATABASE_URL: process.env.BENCH_DATABASE_URL,
  LOG_LEVEL: 'silent',
  SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
  SCHEDULER_ENABLED: 'false',
});
const ctx = await createContext(config);
const integration = await createIntegrationFor(ctx, JSON.parse(process.env.BENCH_CONNECTION ?? '{}'));
let lastReport = 0;
let peakHeapUsed = 0;
let peakSample: NodeJS.MemoryUsage | undefined;
const summary = await runSync(ctx, integration.id, {
  trigger: 'manual',
  onProgress: (p) => {
    const m = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    if (process.env.BENCH_MEMORY_DETAIL && m.rss > (peakSample?.rss ?? 0)) peakSample = m;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      process.stderr.write(
        `  rss child: ${p.listed} listed, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`,
      );
    }
  },
});
await ctx.destroy();
if (peakSample) {
  process.stderr.write(`  memory at peak RSS: ${JSON.stringify(peakSample)}\n`);
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  process.stderr.write(
    `  ${status
      .split('\n')
      .filter((l) => /^(VmHWM|RssAnon|RssFile|RssShmem|Threads)/.test(l))
      .join(', ')}\n`,
  );
}
if (summary.status === 'refused') throw new Error(summary.error.message);
console.log(
  JSON.stringify({
    status: summary.status,
    seconds: summary.durationMs / 1000,
    // maxRSS is in kilobytes.
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    // Live JS heap after each batch: flat when the catalogue is streamed, not held.
    peakHeapUsedMb: Math.round(peakHeapUsed / 1e6),
    counts: summary.counts,
  }),
);
