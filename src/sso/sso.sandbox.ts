// For an integration that runs on the embedded sandbox: hand the sandbox what an admin would send to
// OpenSesame (seed step 4 and the SSO set-up): our IdP certificate and entity id for its SAML SP,
// and the LMS Auth URL, LMS URL and webhook credentials for its player; and take its SP (entity id
// and ACS) as this integration's service provider. Refused for a real OpenSesame.
import type { AppContext } from '../context.js';
import { Conflict, NotFound } from '../errors.js';
import { embeddedSandbox } from '../opensesame/opensesame.defaults.js';
import { connectionOf, getIntegrationByGroup } from '../integrations/integrations.repository.js';
import { idpEntityId, idpKeys, configureServiceProvider, type ServiceProviderView } from './sso.service.js';

/** True when the group's integration talks to this process's embedded sandbox. */
export async function usesEmbeddedSandbox(ctx: AppContext, groupId: string): Promise<boolean> {
  if (ctx.config.openSesame) return false;
  const row = await getIntegrationByGroup(ctx.db, groupId);
  const sandbox = embeddedSandbox(ctx);
  return !!row && !!sandbox && row.api_url === sandbox.apiUrl;
}

export async function connectEmbeddedSandbox(ctx: AppContext, groupId: string): Promise<ServiceProviderView> {
  const row = await getIntegrationByGroup(ctx.db, groupId);
  if (!row) throw NotFound('integration_not_found', `Group ${groupId} has no OpenSesame integration.`);
  const sandbox = embeddedSandbox(ctx);
  if (!sandbox || ctx.config.openSesame || row.api_url !== sandbox.apiUrl)
    throw Conflict('not_embedded_sandbox', 'This integration does not run on the embedded sandbox.');
  const { customerIntegrationId } = connectionOf(ctx.secrets, row);
  const keys = await idpKeys(ctx);
  const sp = await sandbox.configureSaml(customerIntegrationId, {
    idpCertificate: keys.certPem,
    idpEntityId: idpEntityId(ctx),
  });
  const base = ctx.config.publicBaseUrl;
  sandbox.configureLms(customerIntegrationId, {
    authUrl: `${base}/api/opensesame/oauth2/token`,
    lmsUrl: `${base}/api/opensesame/stats`,
    clientId: row.webhook_client_id,
    clientSecret: ctx.secrets.open(row.webhook_secret_sealed),
  });
  ctx.log.info({ area: 'sso', integrationId: row.id }, 'embedded sandbox given our SSO and LMS settings');
  return configureServiceProvider(ctx, row.id, { entityId: sp.spEntityId, acsUrl: sp.acsUrl }, null);
}
