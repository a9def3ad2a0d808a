// Settings → Integrations → OpenSesame, the routes: each one checks the group admin role and calls
// the lifecycle services the REST API calls (integrations.service.ts), then redirects (POST → 303 →
// GET) so that reloading never repeats an action.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.js';
import { requireGroupAction } from '../platform/guards.js';
import { getIntegrationByGroup } from '../integrations/integrations.repository.js';
import {
  activateIntegration,
  deactivateIntegration,
  rotateWebhookCredentials,
  showIntegration,
  syncNow,
} from '../integrations/integrations.service.js';
import { confirmArchives, rejectArchives } from '../integrations/integrations.archives.js';
import { listRunErrors, listRuns } from '../catalog/sync-runs.repository.js';
import { configureServiceProvider, serviceProviderOf } from '../sso/sso.service.js';
import { connectEmbeddedSandbox, usesEmbeddedSandbox } from '../sso/sso.sandbox.js';
import { sendPage } from './web.layout.js';
import { groupNav } from './web.group-nav.js';
import {
  deactivateView,
  integrationBase,
  progressView,
  setupFormView,
  statusView,
  type RunWithErrors,
} from './web.integration.view.js';

const Params = Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 100 }) });
const CsrfBody = Type.Object({ _csrf: Type.Optional(Type.String()) });

const NOTICES: Record<string, string> = {
  'sync-started': 'A sync has started. Reload to see its result in the history.',
  rotated: 'New client secret made. Send it to OpenSesame; the old one keeps working for a grace period.',
  'sso-saved': 'Single sign-on settings saved.',
  'archives-confirmed': 'The held courses are archived.',
  'archives-kept': 'The held courses are kept.',
  'sandbox-connected':
    'The sandbox has our SAML identity provider and the webhook block: START and its player now work.',
  deactivated: 'The integration is deactivated. Its courses are archived; learning data is kept.',
};

/** Which form field an activation error belongs to, so the message sits beside it. */
function fieldOf(err: AppError): string {
  const details = err.details as { field?: string } | undefined;
  if (err.code.includes('connector')) return 'connectorAdminEmail';
  if (
    details?.field === 'customerIntegrationId' ||
    err.code.includes('customer_integration') ||
    err.code.includes('ciid')
  )
    return 'ciid';
  return 'form';
}

export async function integrationPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const admin = (request: FastifyRequest, groupId: string) =>
    requireGroupAction(request, groupId, 'integration.manage');

  async function runsOf(integrationId: string): Promise<RunWithErrors[]> {
    const runs = await listRuns(ctx.db, { integrationId, limit: 10 });
    return Promise.all(
      runs.map(async (run) => ({
        id: run.id,
        trigger: run.trigger,
        status: run.status,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        counts: {
          listed: run.listed,
          created: run.created,
          updated: run.updated,
          archived: run.archived,
          restored: run.restored,
          rejected: run.rejected,
        },
        error: run.error_message ?? run.error_code,
        issues: (await listRunErrors(ctx.db, run.id)).map((e) => ({
          externalId: e.external_id,
          code: e.code,
          message: e.message,
        })),
      })),
    );
  }

  r.get(
    '/groups/:groupId/settings/integrations/opensesame',
    {
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ notice: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const { groupId } = request.params;
      const grant = await admin(request, groupId);
      const csrf = reply.generateCsrf();
      const row = await getIntegrationByGroup(ctx.db, groupId);
      const view = row ? await showIntegration(ctx, groupId) : null;
      const notice = NOTICES[request.query.notice ?? ''] ?? null;
      const body =
        !view || (view.status === 'inactive' && !request.query.notice)
          ? setupFormView(groupId, csrf, { ciid: '', connectorAdminEmail: grant.principal.email }, view)
          : statusView({
              view,
              csrf,
              notice,
              sp: await serviceProviderOf(ctx, view.id),
              idpMetadataUrl: `${ctx.config.publicBaseUrl}/saml/metadata`,
              runs: await runsOf(view.id),
              sandbox: await usesEmbeddedSandbox(ctx, groupId),
            });
      return sendPage(reply, {
        title: 'OpenSesame',
        principal: grant.principal,
        csrf,
        body: await groupNav(ctx, grant, 'opensesame', body),
      });
    },
  );

  r.post(
    '/groups/:groupId/settings/integrations/opensesame/setup',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          customerIntegrationId: Type.String({ maxLength: 200 }),
          connectorAdminEmail: Type.String({ maxLength: 320 }),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { groupId } = request.params;
      const grant = await admin(request, groupId);
      const form = {
        ciid: request.body.customerIntegrationId.trim(),
        connectorAdminEmail: request.body.connectorAdminEmail.trim(),
      };
      try {
        if (!form.ciid)
          throw new AppError(
            'invalid',
            'customer_integration_id_required',
            'Enter the Customer Integration ID.',
            { field: 'customerIntegrationId' },
          );
        await activateIntegration(ctx, groupId, {
          customerIntegrationId: form.ciid,
          connectorAdminEmail: form.connectorAdminEmail,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.kind === 'forbidden' || err.kind === 'unauthorized') throw err;
        const csrf = reply.generateCsrf();
        const row = await getIntegrationByGroup(ctx.db, groupId);
        const previous = row ? await showIntegration(ctx, groupId) : null;
        const body = setupFormView(
          groupId,
          csrf,
          { ...form, error: { field: fieldOf(err), message: err.message } },
          previous,
        );
        return sendPage(
          reply,
          {
            title: 'OpenSesame',
            principal: grant.principal,
            csrf,
            body: await groupNav(ctx, grant, 'opensesame', body),
          },
          400,
        );
      }
      return reply.redirect(`${integrationBase(groupId)}/progress`, 303);
    },
  );

  r.get(
    '/groups/:groupId/settings/integrations/opensesame/progress',
    { schema: { hide: true, params: Params } },
    async (request, reply) => {
      const grant = await admin(request, request.params.groupId);
      const csrf = reply.generateCsrf();
      return sendPage(reply, {
        title: 'Setting up OpenSesame',
        principal: grant.principal,
        csrf,
        body: await groupNav(ctx, grant, 'opensesame', progressView(request.params.groupId)),
      });
    },
  );

  r.get(
    '/groups/:groupId/settings/integrations/opensesame/status.json',
    { schema: { hide: true, params: Params } },
    async (request) => {
      await admin(request, request.params.groupId);
      const v = await showIntegration(ctx, request.params.groupId);
      const run = v.lastRun;
      const running = !run || run.status === 'running';
      const done = v.status !== 'setting-up' || (run !== null && run.status !== 'running');
      const message = !run
        ? 'Waiting for the first sync to start…'
        : running
          ? `Listing the catalogue: ${run.counts.listed} courses so far, ${run.counts.created} added.`
          : run.status === 'succeeded'
            ? `Done: ${run.counts.created + run.counts.updated + run.counts.unchanged} courses synced, ${run.counts.rejected} rejected.`
            : `The first sync failed: ${run.error?.message ?? run.error?.code ?? 'unknown error'}. Continue to see the details.`;
      return { status: v.status, done, percent: done ? 100 : null, message, lastRun: run };
    },
  );

  const action = (
    path: string,
    run: (groupId: string, principal: { userId: string }) => Promise<unknown>,
    notice: string,
  ) =>
    r.post(
      `/groups/:groupId/settings/integrations/opensesame/${path}`,
      { preHandler: app.csrfProtection, schema: { hide: true, params: Params, body: CsrfBody } },
      async (request, reply) => {
        const grant = await admin(request, request.params.groupId);
        await run(request.params.groupId, grant.principal);
        return reply.redirect(`${integrationBase(request.params.groupId)}?notice=${notice}`, 303);
      },
    );
  action('sync-now', (g) => syncNow(ctx, g, 'manual'), 'sync-started');
  action('rotate', (g) => rotateWebhookCredentials(ctx, g), 'rotated');
  action('held-archives/confirm', (g) => confirmArchives(ctx, g), 'archives-confirmed');
  action('held-archives/reject', (g) => rejectArchives(ctx, g), 'archives-kept');
  action('deactivate', (g) => deactivateIntegration(ctx, g), 'deactivated');
  action('sandbox-connect', (g) => connectEmbeddedSandbox(ctx, g), 'sandbox-connected');

  r.get(
    '/groups/:groupId/settings/integrations/opensesame/deactivate',
    { schema: { hide: true, params: Params } },
    async (request, reply) => {
      const grant = await admin(request, request.params.groupId);
      const v = await showIntegration(ctx, request.params.groupId);
      const csrf = reply.generateCsrf();
      return sendPage(reply, {
        title: 'Deactivate OpenSesame',
        principal: grant.principal,
        csrf,
        body: await groupNav(
          ctx,
          grant,
          'opensesame',
          deactivateView(request.params.groupId, csrf, v.courses.live),
        ),
      });
    },
  );

  r.post(
    '/groups/:groupId/settings/integrations/opensesame/saml',
    {
      preHandler: app.csrfProtection,
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          metadataXml: Type.Optional(Type.String({ maxLength: 200_000 })),
          entityId: Type.Optional(Type.String({ maxLength: 1000 })),
          acsUrl: Type.Optional(Type.String({ maxLength: 2000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { groupId } = request.params;
      const grant = await admin(request, groupId);
      const v = await showIntegration(ctx, groupId);
      const { metadataXml, entityId, acsUrl } = request.body;
      await configureServiceProvider(
        ctx,
        v.id,
        metadataXml?.trim() ? { metadataXml } : { entityId: entityId ?? '', acsUrl: acsUrl ?? '' },
        grant.principal.userId,
      );
      return reply.redirect(`${integrationBase(groupId)}?notice=sso-saved`, 303);
    },
  );
}
