// Builds every dependency once (STYLE.md rule 5). Tests pass overrides (a clock, a logger, an
// OpenSesame client factory) instead of mocking modules.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { createDb, type Db, type DbHandle, type Engine } from './db/db.js';
import { migrateToLatest } from './db/migrations/index.js';
import { createLogger, type Logger } from './logger.js';
import { createSecretBox, randomToken, type SecretBox } from './secrets.js';
import { systemClock, type Clock } from './clock.js';
import type { OpenSesameClientFactory, OpenSesameConnection } from './opensesame/opensesame.types.js';
import { createOpenSesameClient } from './opensesame/opensesame.client.js';
import { resolveDefaultConnection } from './opensesame/opensesame.defaults.js';

export type AppContext = {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly engine: Engine;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  /** Builds a client for one connection; tests override it to add faults or count calls. */
  readonly openSesameClient: OpenSesameClientFactory;
  /**
   * The OpenSesame connection to offer when none is given: the configured one, or the embedded
   * sandbox (started on first use, stopped by `destroy`).
   */
  openSesameDefaults(): Promise<OpenSesameConnection>;
  /** Hooks run by `destroy`, last registered first (schedulers, queues, embedded sandbox). */
  onDestroy(fn: () => Promise<void> | void): void;
  destroy(): Promise<void>;
};

export type ContextOverrides = Partial<Pick<AppContext, 'log' | 'clock' | 'secrets' | 'openSesameClient'>> & {
  dbHandle?: DbHandle;
  /** Skip applying migrations (the CLI's `migrate` applies them itself and reports). */
  skipMigrations?: boolean;
};

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const handle =
    overrides.dbHandle ??
    createDb(config.database, { onIdleError: (err) => log.warn({ err }, 'idle database connection lost') });
  if (!overrides.skipMigrations) {
    const report = await migrateToLatest(handle.db, handle.engine);
    if (report.error) {
      await handle.destroy();
      throw new Error(`Migration ${report.error.migration} failed: ${report.error.message}`);
    }
    if (report.applied.length > 0) log.info({ applied: report.applied }, 'database migrated');
  }
  const secrets =
    overrides.secrets ?? createSecretBox(config.secretKey ?? loadOrCreateKeyFile(config.dataDir, log));
  const hooks: Array<() => Promise<void> | void> = [];
  let destroyed = false;
  let defaults: Promise<OpenSesameConnection> | undefined;
  const ctx: AppContext = {
    config,
    log,
    db: handle.db,
    engine: handle.engine,
    secrets,
    clock: overrides.clock ?? systemClock,
    openSesameClient:
      overrides.openSesameClient ?? ((connection) => createOpenSesameClient(connection, { log })),
    openSesameDefaults: () => (defaults ??= resolveDefaultConnection(ctx)),
    onDestroy: (fn) => void hooks.push(fn),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const fn of hooks.reverse()) {
        try {
          await fn();
        } catch (err) {
          log.error({ err }, 'shutdown hook failed');
        }
      }
      await handle.destroy();
    },
  };
  return ctx;
}

// With no SECRET_KEY, a key is made once and kept beside the SQLite file, readable by the owner only.
function loadOrCreateKeyFile(dataDir: string, log: Logger): string {
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomToken(32);
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { file },
    'SECRET_KEY is not set: made a new key file for secrets at rest; back it up with the data',
  );
  return key;
}
