// Fetch-only baseline: lists a generated catalogue from the sandbox over loopback with the real
// client. Usage: npx tsx bench/opensesame-fetch.ts [courses=20000]
import { createLogger } from '../src/logger.js';
import { createOpenSesameClient } from '../src/opensesame/opensesame.client.js';
import { startSandbox } from '../sandbox/sandbox.server.js';

const courses = Number(process.argv[2] ?? 20_000);
const sandbox = await startSandbox({ courses, seed: 1 });
const log = createLogger('warn');
for (const prefetch of [true, false]) {
  const client = createOpenSesameClient(sandbox.connection, { log, prefetch });
  const started = performance.now();
  let items = 0;
  let pages = 0;
  for await (const page of client.listCatalogue()) {
    items += page.items.length;
    pages++;
  }
  const ms = performance.now() - started;
  console.log(
    `prefetch=${prefetch}: ${items} courses, ${pages} pages in ${ms.toFixed(0)} ms (${((items / ms) * 1000).toFixed(0)} courses/s)`,
  );
  await client.close();
}
await sandbox.close();
