// Settings → Integrations → OpenSesame, for a group's admins: activate, status and health, webhook
// credentials, schedule, sync now, held archives, deactivate.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireGroupAction } from '../platform/guards.js';
import {
  activateIntegration,
  deactivateIntegration,
  rotateWebhookCredentials,
  showIntegration,
  syncNow,
  updateSchedule,
} from './integrations.service.js';
import { confirmArchives, rejectArchives } from './integrations.archives.js';
import {
  ActivationBody,
  GroupParams,
  IntegrationSchema,
  ScheduleBody,
  SECURITY,
  errors,
} from './integrations.schemas.js';

const tags = ['integrations'];
const BASE = '/groups/:groupId/integrations/opensesame';

export const integrationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const admin = (request: Parameters<typeof requireGroupAction>[0], groupId: string) =>
    requireGroupAction(request, groupId, 'integration.manage');

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary: 'Activate OpenSesame for the group (verifies the credentials and CIID first)',
        description:
          'Checks the connector admin, then asks OpenSesame for a token and a catalogue page. Nothing is written unless both work. The first sync starts at once in the background.',
        security: SECURITY,
        params: GroupParams,
        body: ActivationBody,
        response: { 201: IntegrationSchema, ...errors(400, 401, 403, 404, 409, 502) },
      },
    },
    async (request, reply) => {
      await admin(request, request.params.groupId);
      const view = await activateIntegration(ctx, request.params.groupId, request.body);
      return reply.status(201).send(view);
    },
  );

  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Status, health, last and next run, counts, held archives and webhook credentials',
        security: SECURITY,
        params: GroupParams,
        response: { 200: IntegrationSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      await admin(request, request.params.groupId);
      return showIntegration(ctx, request.params.groupId);
    },
  );

  app.post(
    `${BASE}/deactivate`,
    {
      schema: {
        tags,
        summary: 'Deactivate: stop syncing, archive every synced course, keep all statistics',
        security: SECURITY,
        params: GroupParams,
        response: { 200: IntegrationSchema, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      await admin(request, request.params.groupId);
      return deactivateIntegration(ctx, request.params.groupId);
    },
  );

  app.post(
    `${BASE}/webhook-credentials/rotate`,
    {
      schema: {
        tags,
        summary: 'New webhook secret; the old one works for the grace period',
        security: SECURITY,
        params: GroupParams,
        response: { 200: IntegrationSchema, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      await admin(request, request.params.groupId);
      return rotateWebhookCredentials(ctx, request.params.groupId);
    },
  );

  app.put(
    `${BASE}/schedule`,
    {
      schema: {
        tags,
        summary: 'Change when the daily sync runs (cron pattern and time zone)',
        security: SECURITY,
        params: GroupParams,
        body: ScheduleBody,
        response: { 200: IntegrationSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await admin(request, request.params.groupId);
      return updateSchedule(ctx, request.params.groupId, request.body);
    },
  );

  app.post(
    `${BASE}/sync`,
    {
      schema: {
        tags,
        summary: 'Sync now (in the background; follow it in the status or the runs)',
        security: SECURITY,
        params: GroupParams,
        response: {
          202: Type.Object({ accepted: Type.Literal(true), integrationId: Type.String() }),
          ...errors(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      await admin(request, request.params.groupId);
      const { integrationId } = await syncNow(ctx, request.params.groupId, 'manual');
      return reply.status(202).send({ accepted: true as const, integrationId });
    },
  );

  for (const [action, fn] of [
    ['confirm', confirmArchives],
    ['reject', rejectArchives],
  ] as const) {
    app.post(
      `${BASE}/held-archives/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'confirm'
              ? 'Archive the courses the mass-archive brake held back'
              : 'Keep the held courses live and release the brake',
          security: SECURITY,
          params: GroupParams,
          response: { 200: IntegrationSchema, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        await admin(request, request.params.groupId);
        return fn(ctx, request.params.groupId);
      },
    );
  }
};
