// `npm run demo`: starts the service on DATA_DIR, seeds a demo company on first run (groups, a group
// admin, an author, a coach, learners), activates OpenSesame for its content group against the
// embedded sandbox (or the configured OpenSesame), runs the first sync, and prints how to sign in
// and the webhook block. A second run reuses everything. `--exit` sets up and stops (CI, tests).
import { readEnv, ConfigError } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { startBackground } from '../src/runtime.js';
import { setupDemo } from '../src/demo/demo.js';

// The embedded sandbox needs a stable port across restarts: the integration stores its URL.
const DEMO_SANDBOX_PORT = '4010';

async function main(): Promise<void> {
  let config;
  try {
    config = readEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  if (!config.openSesame && config.sandbox.port === 0)
    config = { ...config, sandbox: { ...config.sandbox, port: Number(DEMO_SANDBOX_PORT) } };
  const exitAfter = process.argv.includes('--exit');
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  const stop = async () => {
    await app.close();
    await ctx.destroy();
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

  if (!exitAfter) await app.listen({ port: config.port, host: config.host });
  const info = await setupDemo(ctx);
  const v = info.integration;
  const base = config.publicBaseUrl;
  const out = [
    '',
    info.seededNow ? 'Demo company created.' : 'Demo company already there (not reseeded).',
    `  Service        ${base}   (API docs: ${base}/docs)`,
    `  Sign in        POST ${base}/api/v1/auth/login  {"email": "...", "password": "..."}`,
    ...info.people.map(
      (p) => `  ${p.role.padEnd(14)} ${p.email.padEnd(22)} password ${p.password}   (${p.group})`,
    ),
    '',
    `OpenSesame integration of "OpenSesame library" (group ${v.groupId}): ${v.status}, health ${v.health}`,
    `  courses        ${v.courses.live} live, ${v.courses.archived} archived; last run ${v.lastRun?.status ?? 'none'}; next run ${v.schedule.nextRunAt ?? '-'}`,
    '  Send to OpenSesame (xAPI):',
    `    LMS Auth URL        ${v.xapi.lmsAuthUrl}`,
    `    LMS URL             ${v.xapi.lmsUrl}`,
    `    Client ID           ${v.xapi.clientId}`,
    `    Client Secret       ${v.xapi.clientSecret}`,
    `    Scope               ${v.xapi.scope}`,
    `    User identification ${v.xapi.userIdentification}`,
    '',
  ];
  console.log(out.join('\n'));
  if (exitAfter) {
    await stop();
    return;
  }
  await startBackground(ctx);
  console.log('Running; Ctrl-C to stop.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
