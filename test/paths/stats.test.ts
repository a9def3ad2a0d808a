import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import { seedCourse, seedGroup, seedMember, seedPlatformAdmin } from '../../src/platform/platform.seed.js';
import { insertIntegration } from '../../src/integrations/integrations.repository.js';
import { addStep, createPath, enrolLearners, pathStats } from '../../src/paths/paths.service.js';

forEachEngine('path statistics', (engine) => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext(engine);
  });
  after(() => t.close());

  it('counts time spent and last activity only from plays after the integration was set up', async () => {
    const ctx = t.ctx;
    const group = await seedGroup(ctx, { name: 'Ops' });
    const admin = await seedPlatformAdmin(ctx);
    const learner = await seedMember(ctx, { groupId: group.id, email: 'l@ops.test', role: 'learner' });
    const integrationId = crypto.randomUUID();
    const stamp = '2026-06-01T00:00:00.000Z';
    await insertIntegration(ctx.db, {
      id: integrationId,
      group_id: group.id,
      provider: 'opensesame',
      status: 'active',
      api_url: 'https://api.example.test',
      token_url: 'https://api.example.test/token',
      client_id: 'c',
      client_secret_sealed: 'x',
      ciid_sealed: 'x',
      cron: '50 6 * * *',
      time_zone: 'Europe/Paris',
      mass_archive_threshold: 0.2,
      webhook_client_id: `wh-${integrationId}`,
      webhook_secret_sealed: 'x',
      credentials_version: 1,
      connector_admin_user_id: null,
      previous_webhook_secret_sealed: null,
      previous_secret_valid_until: null,
      credentials_valid_until: null,
      archive_hold_run_id: null,
      last_scheduled_for: null,
      deactivated_at: null,
      activated_at: stamp,
      created_at: stamp,
      updated_at: stamp,
    });
    const course = await seedCourse(ctx, {
      name: 'Forklifts',
      source: 'opensesame',
      integrationId,
      catalogOf: [group.id],
    });
    const who = { userId: admin.user.id, isPlatformAdmin: true };
    const path = await createPath(ctx, who, group.id, { name: 'Warehouse' });
    await addStep(ctx, who, path.id, course.id);
    await enrolLearners(ctx, who, path.id, [learner.user.id]);
    const attempt = (first: string, last: string, ms: number) => ({
      id: crypto.randomUUID(),
      user_id: learner.user.id,
      course_id: course.id,
      entry_type: 'path' as const,
      entry_id: path.id,
      progress: 50,
      result: null,
      score: null,
      time_spent_ms: ms,
      first_activity_at: first,
      last_activity_at: last,
      completed_at: null,
      origin: 'statement' as const,
      created_at: last,
      updated_at: last,
    });
    await ctx.db
      .insertInto('attempts')
      .values([
        attempt('2026-05-01T10:00:00.000Z', '2026-05-20T10:00:00.000Z', 90_000),
        attempt('2026-06-02T10:00:00.000Z', '2026-06-03T10:00:00.000Z', 30_000),
      ])
      .execute();
    const stats = await pathStats(ctx, who, path.id);
    assert.equal(stats.learners, 1);
    assert.deepEqual(
      [stats.rows[0]!.timeSpentMs, stats.rows[0]!.lastActivityAt],
      [30_000, '2026-06-03T10:00:00.000Z'],
    );
  });
});
