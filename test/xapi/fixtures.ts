// Test fixtures for the xAPI area: integrations with webhook credentials, synced courses, and
// statements the way OpenSesame sends them.
import crypto from 'node:crypto';
import type { AppContext } from '../../src/context.js';
import { insertIntegration, type Integration } from '../../src/integrations/integrations.repository.js';
import { getIntegration } from '../../src/integrations/integrations.repository.js';
import { seedGroup } from '../../src/platform/platform.seed.js';
import type { IntegrationStatus } from '../../src/db/schema.js';
import assert from 'node:assert/strict';
import { drainStatistics } from '../../src/stats/stats.worker.js';
import type { TestApp } from '../helpers/engines.js';

export type TestIntegration = {
  row: Integration;
  clientId: string;
  secret: string;
  basic: string;
  groupId: string;
};

export async function makeIntegration(
  ctx: AppContext,
  options: { status?: IntegrationStatus; credentialsValidUntil?: string | null } = {},
): Promise<TestIntegration> {
  const group = await seedGroup(ctx, { name: `OpenSesame ${crypto.randomBytes(3).toString('hex')}` });
  const id = crypto.randomUUID();
  const clientId = `os_${crypto.randomBytes(8).toString('hex')}`;
  const secret = crypto.randomBytes(24).toString('base64url');
  const now = ctx.clock.now().toISOString();
  await insertIntegration(ctx.db, {
    id,
    group_id: group.id,
    provider: 'opensesame',
    status: options.status ?? 'active',
    api_url: 'https://api.example.test',
    token_url: 'https://auth.example.test/token',
    client_id: 'x',
    client_secret_sealed: ctx.secrets.seal('x'),
    ciid_sealed: ctx.secrets.seal('ciid'),
    cron: '50 6 * * *',
    time_zone: 'Europe/Paris',
    mass_archive_threshold: 0.2,
    webhook_client_id: clientId,
    webhook_secret_sealed: ctx.secrets.seal(secret),
    credentials_version: 1,
    credentials_valid_until: options.credentialsValidUntil ?? null,
    created_at: now,
    updated_at: now,
  });
  const row = await getIntegration(ctx.db, id);
  if (!row) throw new Error('integration not stored');
  return {
    row,
    clientId,
    secret,
    basic: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    groupId: group.id,
  };
}

export async function makeCourse(
  ctx: AppContext,
  integrationId: string | null,
  externalId: string,
  options: { archived?: boolean; xapiActivityId?: string } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('courses')
    .values({
      id,
      integration_id: integrationId,
      source: 'opensesame',
      external_id: externalId,
      name: `Course ${externalId}`,
      lang: 'en',
      content_type: 'course',
      archived: options.archived ? 1 : 0,
      xapi_activity_id: options.xapiActivityId ?? null,
      created_at: now,
      updated_at: now,
      owner_group_id: null,
      created_by: null,
      other_langs: '[]',
      subjects: '[]',
      local_tags: '[]',
    })
    .execute();
  return id;
}

export const XAPI_HEADERS = { 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' };

/** A completion the way OpenSesame sends one (specs/opensesame-api.md). */
export function completion(
  mail: string,
  objectId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: crypto.randomUUID(),
    timestamp: '2026-03-05T18:22:41Z',
    actor: { objectType: 'Agent', name: 'Jane Doe', mbox: `mailto:${mail}` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: objectId,
      definition: { type: 'http://adlnet.gov/expapi/activities/course' },
    },
    result: { completion: true, success: true, score: { scaled: 0.9 }, duration: 'PT42M10S' },
    ...extra,
  };
}

/** POSTs one statement as OpenSesame does (Basic auth), expects 200, then applies the statistics. */
export async function sendStatement(
  t: TestApp,
  integration: TestIntegration,
  statement: unknown,
): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/opensesame/stats',
    headers: { ...XAPI_HEADERS, authorization: integration.basic },
    payload: statement as object,
  });
  assert.equal(res.statusCode, 200, res.body);
  await drainStatistics(t.ctx);
}
