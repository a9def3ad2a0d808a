// The only place that knows which engine runs. Everything else gets a `Kysely<Database>`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import type { Config } from '../config.js';
import { registerSqliteSearchFunctions } from '../search/search.sqlite.js';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export type DbHandle = {
  readonly db: Db;
  readonly engine: Engine;
  destroy(): Promise<void>;
};

/**
 * The driver under a `Db`, for the one hot path that runs its own prepared statements (the xAPI
 * statement writer, src/xapi/xapi.group.repository.ts). On SQLite it must hold Kysely's connection while it
 * does (`db.connection()`): Kysely serialises everything on the one connection.
 */
export type RawDriver = { engine: 'sqlite'; sqlite: SQLite.Database } | { engine: 'postgres'; pool: pg.Pool };
const rawDrivers = new WeakMap<Db, RawDriver>();
export const rawDriverOf = (db: Db): RawDriver | undefined => rawDrivers.get(db);

// COUNT(*) and BIGSERIAL come back from PostgreSQL as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createDb(
  database: Config['database'],
  options: { poolSize?: number; onIdleError?: (err: Error) => void } = {},
): DbHandle {
  if (database.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: options.poolSize ?? 10 });
    // An idle connection can be cut by the server (restart, failover, admin command). pg emits that
    // on the pool; unhandled it would crash the process, while the pool simply opens a new one.
    pool.on('error', (err) => options.onIdleError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    rawDrivers.set(db, { engine: 'postgres', pool });
    return { db, engine: 'postgres', destroy: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  // WAL lets readers run beside the writer; NORMAL sync in WAL mode survives a killed process
  // (what we promise for acknowledged statements), and busy_timeout lets a second process wait.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // 64 MiB page cache (the default is 2 MiB): search and facet scans stay in memory.
  sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  registerSqliteSearchFunctions(sqlite);
  cachePreparedStatements(sqlite);
  const checkpointer = startCheckpointer(sqlite, database.file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  rawDrivers.set(db, { engine: 'sqlite', sqlite });
  if (checkpointer) checkpointers.set(db, checkpointer);
  return {
    db,
    engine: 'sqlite',
    destroy: async () => {
      await checkpointer?.terminate();
      await db.destroy();
    },
  };
}

// Kysely's SQLite driver prepares every query it runs; preparing costs as much as running a small
// INSERT. Statements are cached by their SQL text (the hot paths repeat a handful of texts; FIFO
// eviction bounds the rest). Safe on Kysely's single connection: queries never overlap, and SQLite
// re-prepares a cached statement by itself after a schema change.
const PREPARED_CACHE_SIZE = 500;
function cachePreparedStatements(sqlite: SQLite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = prepare(source);
      if (cache.size >= PREPARED_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
      cache.set(source, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
}

// Checkpoints (copying the WAL into the database file, with an fsync) run in a thread with its own
// connection, so that the event loop never waits for the disk: left to SQLite they run inside
// whichever COMMIT crosses the threshold, and on a busy disk that fsync is the slowest answer.
// PASSIVE checkpoints never block the writer. The writer's own automatic checkpoint stays as a
// backstop (at a higher threshold) should the thread fall behind or fail.
// During bulk writes (a sync) the thread waits until the WAL has grown past BULK_CHECKPOINT_BYTES:
// a sync rewrites the same index pages batch after batch, and each checkpoint copies every page
// changed since the last one (every 250 ms, that was ~1 s of CPU and 150 MB of writes more on a
// 20,000-course first sync, whose WAL reaches ~600 MB). While a sync writes without pause the WAL
// cannot start over anyway: a checkpoint only catches up with it. After a checkpoint that lets it
// start over, SQLite truncates the file to WAL_KEEP_BYTES (journal_size_limit), so the disk space
// a sync took is given back.
const CHECKPOINT_EVERY_MS = 250;
const BACKSTOP_PAGES = 8000;
const BULK_CHECKPOINT_BYTES = 512 * 1024 * 1024;
const WAL_KEEP_BYTES = 64 * 1024 * 1024;
const CHECKPOINTER = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let bulk = false;
parentPort.on('message', (m) => { bulk = m.bulk === true; });
const walSize = () => { try { return fs.statSync(workerData.file + '-wal').size; } catch { return 0; } };
setInterval(() => {
  if (bulk && walSize() < workerData.bulkBytes) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick retries */ }
}, workerData.everyMs);
`;
const checkpointers = new WeakMap<Db, Worker>();
function startCheckpointer(sqlite: SQLite.Database, file: string): Worker | undefined {
  if (file === ':memory:') return undefined;
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    // It holds nothing: a small heap keeps its thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    execArgv: [],
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      everyMs: CHECKPOINT_EVERY_MS,
      bulkBytes: BULK_CHECKPOINT_BYTES,
    },
  });
  worker.unref();
  // Without the thread SQLite checkpoints by itself again (the backstop), so a failure only costs speed.
  worker.on('error', () => sqlite.pragma('wal_autocheckpoint = 1000'));
  return worker;
}

/** One round trip, for health checks. */
export async function pingDb(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

const bulk = new WeakMap<Db, { callers: number; autocheckpoint: number }>();
/** Page cache during bulk writes: what one batch touches, not the 64 MiB kept for search. */
const BULK_CACHE_KIB = 8192;
const CACHE_KIB = 65536;

/**
 * For a bulk write (a catalogue sync), SQLite only:
 * - WAL checkpoints wait until `done`, which checkpoints once. By default SQLite checkpoints every
 *   ~4 MB (1000 pages), and each checkpoint rewrites the b-tree and index pages touched since the
 *   last one and fsyncs: on a 20,000-course first sync that cost more than the inserts themselves.
 *   Durability is unchanged (commits are in the WAL either way).
 * - The page cache shrinks to 8 MiB meanwhile: pages a sync writes once would otherwise fill the
 *   search cache (and the process's memory) with 64 MiB of pages of no use to readers.
 * - Statement journals stay in temp files (`temp_store` left alone): each batch's multi-row INSERT
 *   with its triggers keeps one, created, written and deleted per statement (~470 MB of writes on a
 *   20,000-course first sync, most never reaching the disk). In memory they made that sync ~20 %
 *   faster but raised the 100,000-course peak RSS by ~25 MB (220 → 245 MB), too close to its
 *   250 MB budget.
 * Nested or concurrent callers share the mode; the last `done` ends it. PostgreSQL: nothing to do.
 */
export async function beginBulkWrites(db: Db, engine: Engine): Promise<() => Promise<void>> {
  if (engine !== 'sqlite') return async () => undefined;
  const state = bulk.get(db) ?? { callers: 0, autocheckpoint: 1000 };
  bulk.set(db, state);
  state.callers += 1;
  if (state.callers === 1) {
    // Restored at the end: the checkpoint thread raises the backstop (BACKSTOP_PAGES).
    const current = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    state.autocheckpoint = Number(current.rows[0]?.wal_autocheckpoint ?? 1000);
    await sql`pragma wal_autocheckpoint = 0`.execute(db);
    await sql.raw(`pragma cache_size = -${BULK_CACHE_KIB}`).execute(db);
    checkpointers.get(db)?.postMessage({ bulk: true });
  }
  let ended = false;
  return async () => {
    if (ended) return;
    ended = true;
    state.callers -= 1;
    if (state.callers > 0) return;
    // Here rather than in the thread, which resumes after it: the WAL a sync wrote goes into the
    // database file within the sync's time.
    await sql`pragma wal_checkpoint(PASSIVE)`.execute(db);
    checkpointers.get(db)?.postMessage({ bulk: false });
    await sql.raw(`pragma wal_autocheckpoint = ${Math.trunc(state.autocheckpoint)}`).execute(db);
    await sql.raw(`pragma cache_size = -${CACHE_KIB}`).execute(db);
  };
}
