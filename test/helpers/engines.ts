// Every database test runs on both engines. PostgreSQL tests each get a fresh database, dropped at
// the end; SQLite tests a fresh file in a temp folder. Set TEST_REQUIRE_POSTGRES=1 (CI does) to
// fail rather than skip when PostgreSQL is not reachable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { describe } from 'node:test';
import { parseConfig, type Config } from '../../src/config.js';
import { createContext, type AppContext, type ContextOverrides } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/app.js';
import type { Engine } from '../../src/db/db.js';
import type { FastifyInstance } from 'fastify';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgReachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (err) {
      if (process.env.TEST_REQUIRE_POSTGRES === '1')
        throw new Error(`PostgreSQL is required but not reachable: ${String(err)}`);
      return false;
    }
  })();
  return pgReachable;
}

export function engines(): Engine[] {
  const only = process.env.TEST_ENGINES;
  if (only) return only.split(',').map((e) => e.trim()) as Engine[];
  return ['sqlite', 'postgres'];
}

/** `describe` once per engine; PostgreSQL blocks are skipped (with a reason) when it is not there. */
export function forEachEngine(title: string, body: (engine: Engine) => void): void {
  for (const engine of engines()) {
    if (engine === 'postgres' && process.env.TEST_REQUIRE_POSTGRES !== '1') {
      // Decided synchronously from an env probe done by scripts/test.mjs.
      if (process.env.TEST_PG_AVAILABLE === '0') {
        describe(`${title} [postgres]`, { skip: 'PostgreSQL not reachable at ' + PG_ADMIN_URL }, () => {});
        continue;
      }
    }
    describe(`${title} [${engine}]`, () => body(engine));
  }
}

export type TestDatabase = { env: Record<string, string>; drop(): Promise<void> };

/** A fresh, empty database for one test context. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-test-'));
  if (engine === 'sqlite') {
    return {
      env: { DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  await postgresReachable();
  const name = `sb_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestContext = { ctx: AppContext; config: Config; database: TestDatabase; close(): Promise<void> };

const TEST_SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

export async function createTestContext(
  engine: Engine,
  env: Record<string, string> = {},
  overrides: ContextOverrides = {},
): Promise<TestContext> {
  const database = await createTestDatabase(engine);
  const config = parseConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SECRET_KEY: TEST_SECRET_KEY,
    SCHEDULER_ENABLED: 'false',
    ...database.env,
    ...env,
  });
  const ctx = await createContext(config, { log: createLogger(config.logLevel), ...overrides });
  return {
    ctx,
    config,
    database,
    async close() {
      await ctx.destroy();
      await database.drop();
    },
  };
}

export type TestApp = TestContext & { app: FastifyInstance };

/** The real app on a real database, called with `inject` (no port). */
export async function createTestApp(
  engine: Engine,
  env: Record<string, string> = {},
  overrides: ContextOverrides = {},
): Promise<TestApp> {
  const t = await createTestContext(engine, env, overrides);
  const app = await buildApp(t.ctx);
  await app.ready();
  return {
    ...t,
    app,
    async close() {
      await app.close();
      await t.close();
    },
  };
}
