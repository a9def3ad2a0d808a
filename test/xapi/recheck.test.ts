// Unmatched statements that wait for a learner or a course: the periodic re-check takes only those
// the data now resolves, and an admin's retry only its own integration's.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { seedMember, seedUser } from '../../src/platform/platform.seed.js';
import { applyPendingStatements } from '../../src/stats/stats.worker.js';
import { completion, makeCourse, makeIntegration, sendStatement, type TestIntegration } from './fixtures.js';

forEachEngine('unmatched statements re-checked', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  let other: TestIntegration;
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
    other = await makeIntegration(t.ctx);
  });
  after(() => t.close());

  const send = (integration: TestIntegration, s: unknown) => sendStatement(t, integration, s);
  const unmatchedMails = async () =>
    (await t.ctx.db.selectFrom('stats_unmatched').select('learner_mail').execute())
      .map((r) => r.learner_mail)
      .sort();
  const progressOf = async (userId: string, courseId: string) =>
    (
      await t.ctx.db
        .selectFrom('attempts')
        .select('progress')
        .where('user_id', '=', userId)
        .where('course_id', '=', courseId)
        .executeTakeFirst()
    )?.progress;

  it('the periodic re-check re-queues only statements a user or course now resolves', async () => {
    const courseId = await makeCourse(t.ctx, i.row.id, 'RC-1');
    await send(i, completion('arrives@example.com', 'urn:opensesame:course:RC-1'));
    await send(i, completion('never@example.com', 'urn:opensesame:course:RC-1'));
    const { user: early } = await seedUser(t.ctx, { email: 'early@example.com' });
    await send(i, completion('early@example.com', 'https://os.example/launch?courseId=RC-2'));
    await send(i, completion('early@example.com', 'https://os.example/launch?courseId=RC-404'));
    assert.deepEqual(await unmatchedMails(), [
      'arrives@example.com',
      'early@example.com',
      'early@example.com',
      'never@example.com',
    ]);
    // Nothing has arrived yet: nothing to re-queue.
    assert.equal(await applyPendingStatements(t.ctx), 0);

    // A learner and a course that came without the hooks (another instance, an import).
    const { user } = await seedUser(t.ctx, { email: 'Arrives@Example.com' });
    const laterCourse = await makeCourse(t.ctx, i.row.id, 'RC-2');
    assert.equal(await applyPendingStatements(t.ctx), 2);
    assert.equal(await progressOf(user.id, courseId), 100);
    assert.equal(await progressOf(early.id, laterCourse), 100);
    assert.deepEqual(await unmatchedMails(), ['early@example.com', 'never@example.com']);
  });

  it("an admin's retry re-queues every unmatched statement of that integration only", async () => {
    await send(other, completion('elsewhere@example.com', 'urn:opensesame:course:RC-9'));
    const admin = await seedMember(t.ctx, {
      groupId: i.groupId,
      email: 'admin-rc@example.com',
      role: 'admin',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/${i.row.id}/unmatched-statements/retry`,
      headers: admin.headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    // This integration's two that nothing resolves; not the other integration's.
    assert.equal(res.json().requeued, 2);
    assert.deepEqual(await unmatchedMails(), [
      'early@example.com',
      'elsewhere@example.com',
      'never@example.com',
    ]);
  });
});
