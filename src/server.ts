// Starts the service: config, context, app, background parts; stops cleanly on SIGINT/SIGTERM.
import { readEnv, ConfigError } from './config.js';
import { createContext } from './context.js';
import { buildApp } from './app.js';
import { startBackground } from './runtime.js';

async function main(): Promise<void> {
  let config;
  try {
    config = readEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await startBackground(ctx);
  await app.listen({ port: config.port, host: config.host });
  ctx.log.info(
    { url: config.publicBaseUrl, engine: ctx.engine, dataDir: config.dataDir },
    `sesame-bridge listening on ${config.host}:${config.port}; API docs at ${config.publicBaseUrl}/docs`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
