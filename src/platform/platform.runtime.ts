// What the platform runs beside the HTTP server: the first-start notice and an hourly purge of
// expired sessions (they are refused at read time anyway; this only keeps the table small).
import type { AppContext } from '../context.js';
import { announceMissingAdmin } from './platform.cli.js';
import { deleteExpiredSessions } from './users.repository.js';

const PURGE_EVERY_MS = 3600_000;

export async function startPlatform(ctx: AppContext): Promise<void> {
  await announceMissingAdmin(ctx);
  const purge = async () => {
    try {
      const n = await deleteExpiredSessions(ctx.db, ctx.clock.now().toISOString());
      if (n > 0) ctx.log.debug({ sessions: n }, 'expired sessions purged');
    } catch (err) {
      ctx.log.warn({ err }, 'expired session purge failed');
    }
  };
  await purge();
  const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
  timer.unref();
  ctx.onDestroy(() => clearInterval(timer));
}
