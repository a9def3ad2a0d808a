// `sesame-bridge sandbox`: runs the OpenSesame sandbox on its own, prints where it is and the
// credentials to give the bridge, and runs until SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { CliDeps } from '../src/cli.js';
import { startSandbox } from './sandbox.server.js';

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
};

export function registerSandboxCommand(program: Command, _deps: CliDeps): void {
  program
    .command('sandbox')
    .description('run the OpenSesame sandbox (token endpoint, paged catalogue, admin and fault knobs)')
    .option('--courses <n>', 'number of generated courses', int('courses', 0, 1_000_000), 200)
    .option('--seed <n>', 'seed of the generated catalogue', int('seed', -2_147_483_648, 2_147_483_647), 1)
    .option('--port <n>', 'port to listen on (0: any free port)', int('port', 0, 65535), 4010)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--admin-key <key>', 'key for /admin/* (random when not given)')
    .action(
      async (opts: { courses: number; seed: number; port: number; host: string; adminKey?: string }) => {
        const sandbox = await startSandbox({
          courses: opts.courses,
          seed: opts.seed,
          port: opts.port,
          host: opts.host,
          ...(opts.adminKey ? { adminKey: opts.adminKey } : {}),
        });
        const c = sandbox.connection;
        console.log(
          [
            `OpenSesame sandbox: ${opts.courses} courses (seed ${opts.seed}) at ${sandbox.url}`,
            '',
            `  OPENSESAME_API_URL=${c.apiUrl}`,
            `  OPENSESAME_TOKEN_URL=${c.tokenUrl}`,
            `  OPENSESAME_CLIENT_ID=${c.clientId}`,
            `  OPENSESAME_CLIENT_SECRET=${c.clientSecret}`,
            `  OPENSESAME_CIID=${c.customerIntegrationId}`,
            '',
            `  admin: ${sandbox.url}/admin/... with header x-admin-key: ${sandbox.adminKey}`,
            '',
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandbox.close();
        console.log('Sandbox stopped.');
      },
    );
}
