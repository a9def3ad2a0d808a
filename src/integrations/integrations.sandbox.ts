// An integration activated against the embedded sandbox stores the sandbox's URL, but the sandbox
// listens on a new port in each process unless SANDBOX_PORT pins it. Before each run, such an
// integration (marked at activation) follows the sandbox of this process, unless the operator has
// since configured a real OpenSesame.
import type { AppContext } from '../context.js';
import { getIntegration, updateIntegration } from './integrations.repository.js';

export async function followEmbeddedSandbox(ctx: AppContext, integrationId: string): Promise<void> {
  if (ctx.config.openSesame) return;
  const row = await getIntegration(ctx.db, integrationId);
  if (!row || row.uses_embedded_sandbox !== 1) return;
  const sandbox = await ctx.openSesameDefaults();
  if (row.api_url === sandbox.apiUrl && row.token_url === sandbox.tokenUrl) return;
  await updateIntegration(ctx.db, integrationId, {
    api_url: sandbox.apiUrl,
    token_url: sandbox.tokenUrl,
    updated_at: ctx.clock.now().toISOString(),
  });
  ctx.log.info(
    { area: 'integrations', integrationId, apiUrl: sandbox.apiUrl },
    'integration follows the embedded sandbox',
  );
}
