// The `sesame-bridge` command. Thin: each subcommand calls the same functions as the routes and the
// scheduler. Areas add their commands from `src/<area>/<area>.cli.ts`.
import { Command } from 'commander';
import { readEnv, ConfigError } from './config.js';
import { createContext, type AppContext } from './context.js';
import { createDb } from './db/db.js';
import { migrateToLatest } from './db/migrations/index.js';
import { createLogger } from './logger.js';
import { registerIntegrationCommands } from './integrations/integrations.cli.js';
import { registerPlatformCommands } from './platform/platform.cli.js';
import { registerSandboxCommand } from '../sandbox/sandbox.cli.js';
import { registerCatalogCommands } from './catalog/catalog.cli.js';

export type CliDeps = {
  /** Builds the context on first use; commands that need no database never open one. */
  context(): Promise<AppContext>;
};

// Area commands: one line per area, each a `register(program, deps)` from `src/<area>/<area>.cli.ts`.
const AREA_COMMANDS: Array<(program: Command, deps: CliDeps) => void> = [
  registerPlatformCommands, // platform: admin create, token create
  registerSandboxCommand, // sandbox/sandbox.cli.ts
  registerCatalogCommands, // catalog: sync, runs
  registerIntegrationCommands, // integration activate|show|rotate-credentials|deactivate|schedule|confirm-archives
];

export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  let ctx: AppContext | undefined;
  const config = () => {
    try {
      return readEnv();
    } catch (err) {
      if (err instanceof ConfigError) fail(err.message, 78);
      throw err;
    }
  };
  const deps: CliDeps = {
    async context() {
      const cfg = config();
      // CLI logs go to stderr so that --json output on stdout stays machine-readable, and are
      // quieter by default: the command speaks through its own output.
      const level = cfg.logLevel === 'info' ? 'warn' : cfg.logLevel;
      ctx ??= await createContext(cfg, { log: createLogger(level, process.stderr) });
      return ctx;
    },
  };

  const program = new Command('sesame-bridge')
    .description('OpenSesame catalogue sync, learning platform and xAPI statistics')
    .showHelpAfterError();

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const cfg = config();
      const handle = createDb(cfg.database);
      const report = await migrateToLatest(handle.db, handle.engine);
      await handle.destroy();
      if (opts.json) console.log(JSON.stringify({ engine: handle.engine, ...report }));
      else if (report.applied.length) console.log(`Applied ${report.applied.join(', ')} (${handle.engine}).`);
      else if (!report.error) console.log(`Database is up to date (${handle.engine}).`);
      if (report.error) fail(`Migration ${report.error.migration} failed: ${report.error.message}`);
    });

  for (const register of AREA_COMMANDS) register(program, deps);

  try {
    await program.parseAsync(argv);
  } finally {
    await ctx?.destroy();
  }
}

main(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
