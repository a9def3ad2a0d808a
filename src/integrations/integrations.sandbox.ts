// An integration activated against the embedded sandbox stores the sandbox's URL, but the sandbox
// listens on a new port in each process unless SANDBOX_PORT pins it. Before each run, such an
// integration follows the sandbox of this process. Only loopback URLs with the sandbox's built-in
// client id qualify, and never when the operator configured a real OpenSesame.
import type { AppContext } from '../context.js';
import { DEFAULT_CUSTOMER } from '../../sandbox/sandbox.server.js';
import { getIntegration, updateIntegration } from './integrations.repository.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export async function followEmbeddedSandbox(ctx: AppContext, integrationId: string): Promise<void> {
  if (ctx.config.openSesame) return;
  const row = await getIntegration(ctx.db, integrationId);
  if (!row || row.client_id !== DEFAULT_CUSTOMER.clientId || !isLoopback(row.api_url)) return;
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
