// What runs beside the HTTP server in a long-lived process: the embedded sandbox when no OpenSesame
// is configured, the scheduler, the job queue. Each area adds its start function here; each
// registers its own stop with `ctx.onDestroy`.
import type { AppContext } from './context.js';
import { startScheduler } from './integrations/integrations.scheduler.js';
import { startPlatform } from './platform/platform.runtime.js';
import { startSso } from './sso/sso.service.js';
import { startStatistics } from './stats/stats.worker.js';

type Starter = (ctx: AppContext) => Promise<void>;

const STARTERS: Array<[name: string, start: Starter]> = [
  ['opensesame', async (ctx) => void (await ctx.openSesameDefaults())], // says at start which OpenSesame is used
  ['scheduler', async (ctx) => void (await startScheduler(ctx))],
  ['platform', startPlatform], // first-admin notice, expired-session purge
  ['sso', startSso], // the SAML IdP key pair exists from the first start
  ['statistics', startStatistics], // applies pending statements
];

export async function startBackground(ctx: AppContext): Promise<void> {
  for (const [name, start] of STARTERS) {
    await start(ctx);
    ctx.log.debug({ part: name }, 'background part started');
  }
}
