// `sesame-bridge admin create` and `sesame-bridge token create`: the way in on a fresh install,
// through the same services as the API.
import type { Command } from 'commander';
import type { CliDeps } from '../cli.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { createApiToken } from './auth.service.js';
import { createUser } from './users.service.js';
import { countPlatformAdmins, findUserByEmail, updateUser } from './users.repository.js';
import { generatePassword, hashPassword, passwordProblem } from './passwords.js';

export function registerPlatformCommands(program: Command, deps: CliDeps): void {
  const admin = program.command('admin').description('platform administrators');
  admin
    .command('create')
    .description('create a platform administrator (or promote an existing user); prints a generated password')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .option('--password <password>', 'password (at least 10 characters); generated and printed when omitted')
    .action(async (opts: { email: string; name: string; password?: string }) => {
      const ctx = await deps.context();
      const generated = opts.password === undefined;
      const password = opts.password ?? generatePassword();
      const problem = passwordProblem(password);
      if (problem) throw new Error(`The password ${problem}.`);
      const existing = await findUserByEmail(ctx.db, opts.email);
      if (existing) {
        await updateUser(ctx.db, existing.id, {
          isPlatformAdmin: true,
          passwordHash: await hashPassword(password),
        });
        console.log(`Promoted ${existing.email} to platform administrator and set a new password.`);
      } else {
        await cliCall(() =>
          createUser(ctx, { email: opts.email, name: opts.name, password, isPlatformAdmin: true }),
        );
        console.log(`Created platform administrator ${opts.email}.`);
      }
      if (generated) console.log(`Password: ${password}\n(Shown once; sign in at /api/v1/auth/login.)`);
    });

  const token = program.command('token').description('personal API tokens');
  token
    .command('create')
    .description('create a personal API token for a user and print it once')
    .requiredOption('--email <email>', "the user's e-mail address")
    .requiredOption('--name <name>', 'what the token is for, e.g. "nightly export"')
    .action(async (opts: { email: string; name: string }) => {
      const ctx = await deps.context();
      const user = await findUserByEmail(ctx.db, opts.email);
      if (!user) throw new Error(`No user with the e-mail ${opts.email}.`);
      const { token: value } = await createApiToken(ctx, user.id, opts.name);
      console.log(value);
      console.error('Shown once. Send it as "Authorization: Bearer <token>".');
    });
}

async function cliCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw new Error(`${err.message} (${err.code})`);
    throw err;
  }
}

/** First start: with no platform admin, nobody can sign in; say how to make one. */
export async function announceMissingAdmin(ctx: AppContext): Promise<void> {
  if ((await countPlatformAdmins(ctx.db)) > 0) return;
  ctx.log.warn(
    'No platform administrator yet. Create one with: ' +
      'sesame-bridge admin create --email you@example.com --name "Your Name" (prints a password)',
  );
}
