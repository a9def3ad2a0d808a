#!/usr/bin/env node
// Runs every test file with Node's own test runner (TypeScript through tsx), on SQLite and
// PostgreSQL. Usage: npm test [-- file-or-folder ...]. Env: TEST_ENGINES=sqlite|postgres to narrow.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const files = [];
const walk = (p) => {
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
  else if (/\.test\.ts$/.test(p) && !p.includes(`${path.sep}e2e${path.sep}`)) files.push(p);
};
for (const r of roots) {
  // Files named explicitly run even if they live under e2e/.
  if (fs.existsSync(r) && fs.statSync(r).isFile()) files.push(r);
  else walk(r);
}

const env = { ...process.env };
if (!env.TEST_PG_AVAILABLE) {
  const url = env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    env.TEST_PG_AVAILABLE = '1';
  } catch {
    env.TEST_PG_AVAILABLE = '0';
    if (env.TEST_REQUIRE_POSTGRES === '1') {
      console.error(`PostgreSQL is required (TEST_REQUIRE_POSTGRES=1) but not reachable at ${url}`);
      process.exit(1);
    }
    console.warn(`PostgreSQL not reachable at ${url}: its half of the suite is skipped.`);
  }
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${env.TEST_CONCURRENCY ?? 2}`,
    ...files,
  ],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
