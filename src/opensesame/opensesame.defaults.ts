// The OpenSesame connection offered when none is given: the configured one, or an embedded sandbox
// started on first use (so the service can be tried before a customer has credentials), stopped
// with the context.
import type { AppContext } from '../context.js';
import type { OpenSesameConnection } from './opensesame.types.js';
import { getSetting, putSetting } from '../integrations/integrations.repository.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';

// The embedded sandbox of a context, once started: the SSO area hands it our IdP and LMS settings
// (what an admin sends to OpenSesame by e-mail) so that START and the player work end to end.
const embedded = new WeakMap<AppContext, Sandbox>();
export function embeddedSandbox(ctx: AppContext): Sandbox | undefined {
  return embedded.get(ctx);
}

/** Where the first free port the embedded sandbox got is remembered (SANDBOX_PORT unset). */
export const SANDBOX_PORT_SETTING = 'opensesame.embedded_sandbox_port';

/**
 * The port: SANDBOX_PORT when set; else the one remembered in `settings` from the first start, so
 * that launch URLs (part of every course's content) stay the same across restarts and a re-sync
 * does not "update" every course. A remembered port that is busy (another process of this service
 * holds it) gives a free one for this process only; the remembered one is kept.
 */
async function startEmbedded(ctx: AppContext, courses: number, seed: number): Promise<Sandbox> {
  const configured = ctx.config.sandbox.port;
  if (configured !== 0) return startSandbox({ courses, seed, port: configured, host: '127.0.0.1' });
  // Contexts without a database (unit tests of this file) simply take a free port.
  const db = (ctx as Partial<AppContext>).db;
  const remembered = db ? Number(await getSetting(db, SANDBOX_PORT_SETTING)) : 0;
  if (Number.isInteger(remembered) && remembered > 0) {
    try {
      return await startSandbox({ courses, seed, port: remembered, host: '127.0.0.1' });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EADDRINUSE') throw err;
      ctx.log.warn(
        { area: 'opensesame', port: remembered },
        'the embedded sandbox port is in use (another process?): using a free port for this process',
      );
      return startSandbox({ courses, seed, port: 0, host: '127.0.0.1' });
    }
  }
  const sandbox = await startSandbox({ courses, seed, port: 0, host: '127.0.0.1' });
  if (db) {
    const port = new URL(sandbox.url).port;
    await putSetting(db, SANDBOX_PORT_SETTING, port, ctx.clock.now().toISOString());
  }
  return sandbox;
}

export async function resolveDefaultConnection(ctx: AppContext): Promise<OpenSesameConnection> {
  if (ctx.config.openSesame) return ctx.config.openSesame;
  const { courses, seed } = ctx.config.sandbox;
  const sandbox = await startEmbedded(ctx, courses, seed);
  embedded.set(ctx, sandbox);
  ctx.onDestroy(() => sandbox.close());
  ctx.log.info(
    { area: 'opensesame', sandboxUrl: sandbox.url, courses, seed },
    `No OpenSesame settings: using the embedded OpenSesame sandbox at ${sandbox.url} (${courses} generated courses)`,
  );
  return sandbox.connection;
}
