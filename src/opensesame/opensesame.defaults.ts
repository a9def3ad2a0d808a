// The OpenSesame connection offered when none is given: the configured one, or an embedded sandbox
// started on first use (so the service can be tried before a customer has credentials), stopped
// with the context.
import type { AppContext } from '../context.js';
import type { OpenSesameConnection } from './opensesame.types.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';

// The embedded sandbox of a context, once started: the SSO area hands it our IdP and LMS settings
// (what an admin sends to OpenSesame by e-mail) so that START and the player work end to end.
const embedded = new WeakMap<AppContext, Sandbox>();
export function embeddedSandbox(ctx: AppContext): Sandbox | undefined {
  return embedded.get(ctx);
}

export async function resolveDefaultConnection(ctx: AppContext): Promise<OpenSesameConnection> {
  if (ctx.config.openSesame) return ctx.config.openSesame;
  const { courses, seed, port } = ctx.config.sandbox;
  const sandbox = await startSandbox({ courses, seed, port, host: '127.0.0.1' });
  embedded.set(ctx, sandbox);
  ctx.onDestroy(() => sandbox.close());
  ctx.log.info(
    { area: 'opensesame', sandboxUrl: sandbox.url, courses, seed },
    `No OpenSesame settings: using the embedded OpenSesame sandbox at ${sandbox.url} (${courses} generated courses)`,
  );
  return sandbox.connection;
}
