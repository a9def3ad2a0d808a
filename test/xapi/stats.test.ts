// Statements become attempts (DESIGN rule 3): matching, unmatched kept and applied later, isolation
// between integrations, archived courses, and the read side for people.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { seedMember, seedUser } from '../../src/platform/platform.seed.js';
import { recordLaunch } from '../../src/platform/attempts.repository.js';
import { applyPendingStatements } from '../../src/stats/stats.worker.js';
import { completion, makeCourse, makeIntegration, sendStatement, type TestIntegration } from './fixtures.js';

forEachEngine('xAPI statistics', (engine) => {
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
  const attempts = (userId: string, courseId: string) =>
    t.ctx.db
      .selectFrom('attempts')
      .selectAll()
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .execute();

  it('a completion updates the open attempt made by a launch (50 % → 100 %, score, result, time, completedAt)', async () => {
    const courseId = await makeCourse(t.ctx, i.row.id, 'OS-1');
    const { user } = await seedUser(t.ctx, { email: 'Jane.Doe@Example.com' });
    await recordLaunch(
      t.ctx.db,
      user.id,
      courseId,
      { type: 'catalog', id: null },
      '2026-03-05T18:00:00.000Z',
    );
    assert.equal((await attempts(user.id, courseId))[0]?.progress, 50);
    await send(i, completion('JANE.DOE@example.com', 'urn:opensesame:course:OS-1'));
    const [a, more] = await attempts(user.id, courseId);
    assert.equal(more, undefined);
    assert.equal(a?.progress, 100);
    assert.equal(a?.result, 'success');
    assert.equal(Number(a?.score), 90);
    assert.equal(Number(a?.time_spent_ms), 2_530_000);
    assert.equal(a?.completed_at, '2026-03-05T18:22:41.000Z');
    assert.equal(a?.origin, 'launch');
  });

  it('object.id matches the course xApiActivityId or an id embedded in a quickLaunch URL; archived courses still count', async () => {
    const byActivity = await makeCourse(t.ctx, i.row.id, 'OS-2', {
      xapiActivityId: 'https://xapi.opensesame.example/activity/OS-2',
    });
    const archived = await makeCourse(t.ctx, i.row.id, 'OS-3', { archived: true });
    const { user } = await seedUser(t.ctx, { email: 'sam@example.com' });
    await send(i, [
      completion('sam@example.com', 'https://xapi.opensesame.example/activity/OS-2'),
      completion('sam@example.com', 'https://os.example/quickLaunch?courseId=OS-3'),
    ]);
    assert.equal((await attempts(user.id, byActivity))[0]?.origin, 'statement');
    assert.equal((await attempts(user.id, archived))[0]?.progress, 100);
  });

  it('several statements of one completion in a batch (completed, then passed) make one attempt', async () => {
    const courseId = await makeCourse(t.ctx, i.row.id, 'OS-7');
    const { user } = await seedUser(t.ctx, { email: 'twice@example.com' });
    const iri = 'https://opensesame.example/courses/OS-7';
    const completed = completion('twice@example.com', iri, {
      result: { completion: true, duration: 'PT10M' },
    });
    const passed = completion('twice@example.com', iri, {
      timestamp: '2026-03-05T18:23:00Z',
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      result: { success: true, score: { scaled: 0.75 } },
    });
    await send(i, [completed, passed]);
    const rows = await attempts(user.id, courseId);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [rows[0]?.progress, rows[0]?.result, Number(rows[0]?.score), Number(rows[0]?.time_spent_ms)],
      [100, 'success', 75, 600_000],
    );
  });

  it("one integration's credentials never touch another integration's course", async () => {
    const foreign = await makeCourse(t.ctx, other.row.id, 'OS-FOREIGN');
    const { user } = await seedUser(t.ctx, { email: 'iso@example.com' });
    await send(i, completion('iso@example.com', 'https://opensesame.example/courses/OS-FOREIGN'));
    assert.equal((await attempts(user.id, foreign)).length, 0);
    const row = await t.ctx.db
      .selectFrom('stats_unmatched')
      .selectAll()
      .where('integration_id', '=', i.row.id)
      .where('course_key', '=', 'https://opensesame.example/courses/OS-FOREIGN')
      .executeTakeFirst();
    assert.equal(row?.reason, 'unknown_course');
  });

  it('an unknown learner is kept as unmatched, listed for admins, and applied when the learner appears', async () => {
    const courseId = await makeCourse(t.ctx, i.row.id, 'OS-4');
    const s = completion('late@example.com', 'https://opensesame.example/courses/OS-4');
    await send(i, s);
    const admin = await seedMember(t.ctx, {
      groupId: i.groupId,
      email: 'admin-i@example.com',
      role: 'admin',
    });
    const learner = await seedMember(t.ctx, {
      groupId: i.groupId,
      email: 'learner-i@example.com',
      role: 'learner',
    });
    const list = await t.app.inject({
      url: `/api/v1/integrations/${i.row.id}/unmatched-statements`,
      headers: admin.headers,
    });
    assert.equal(list.statusCode, 200, list.body);
    const item = list.json().items.find((x: { statement_id: string }) => x.statement_id === s.id);
    assert.equal(item.reason, 'unknown_learner');
    assert.equal(item.learner_mail, 'late@example.com');
    assert.equal(
      (
        await t.app.inject({
          url: `/api/v1/integrations/${i.row.id}/unmatched-statements`,
          headers: learner.headers,
        })
      ).statusCode,
      403,
    );

    const { user } = await seedUser(t.ctx, { email: 'Late@Example.com' });
    assert.equal(await applyPendingStatements(t.ctx, { userId: user.id }), 1);
    assert.equal((await attempts(user.id, courseId))[0]?.progress, 100);
    const after = (
      await t.app.inject({
        url: `/api/v1/integrations/${i.row.id}/unmatched-statements`,
        headers: admin.headers,
      })
    ).json();
    assert.ok(!after.items.some((x: { statement_id: string }) => x.statement_id === s.id));
  });

  it('an unknown course is applied when the course appears (sync calls applyPendingStatements with courseId)', async () => {
    const { user } = await seedUser(t.ctx, { email: 'early@example.com' });
    await send(i, completion('early@example.com', 'https://os.example/launch/OS-5'));
    const courseId = await makeCourse(t.ctx, i.row.id, 'OS-5');
    assert.equal(await applyPendingStatements(t.ctx, { courseId }), 1);
    assert.equal((await attempts(user.id, courseId))[0]?.progress, 100);
  });

  it('read side: per course (JSON and CSV), per learner, per group completion rates, role-guarded', async () => {
    const courseId = await makeCourse(t.ctx, i.row.id, 'OS-6');
    const coach = await seedMember(t.ctx, {
      groupId: i.groupId,
      email: 'coach-i@example.com',
      role: 'coach',
    });
    const a = await seedMember(t.ctx, { groupId: i.groupId, email: 'a6@example.com', role: 'learner' });
    const b = await seedMember(t.ctx, { groupId: i.groupId, email: 'b6@example.com', role: 'learner' });
    await recordLaunch(
      t.ctx.db,
      b.user.id,
      courseId,
      { type: 'catalog', id: null },
      '2026-03-05T10:00:00.000Z',
    );
    await send(i, completion('a6@example.com', 'https://opensesame.example/courses/OS-6'));

    const course = await t.app.inject({
      url: `/api/v1/courses/${courseId}/statistics`,
      headers: coach.headers,
    });
    assert.equal(course.statusCode, 200, course.body);
    const rows = course.json().items;
    assert.equal(rows.length, 2);
    const rowA = rows.find((r: { learnerMail: string }) => r.learnerMail === 'a6@example.com');
    assert.deepEqual(
      [rowA.progress, rowA.result, rowA.score, rowA.timeSpentInMilliseconds],
      [100, 'success', 90, 2_530_000],
    );
    assert.equal(rows.find((r: { learnerMail: string }) => r.learnerMail === 'b6@example.com').progress, 50);

    const csv = await t.app.inject({
      url: `/api/v1/courses/${courseId}/statistics.csv`,
      headers: coach.headers,
    });
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body, /^learnerMail,learnerName,courseId/);
    assert.match(csv.body, /a6@example\.com/);

    assert.equal(
      (await t.app.inject({ url: `/api/v1/courses/${courseId}/statistics`, headers: a.headers })).statusCode,
      403,
    );
    const mine = await t.app.inject({ url: `/api/v1/users/${a.user.id}/statistics`, headers: a.headers });
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().items[0].progress, 100);
    assert.equal(
      (await t.app.inject({ url: `/api/v1/users/${a.user.id}/statistics`, headers: b.headers })).statusCode,
      403,
    );
    assert.equal(
      (await t.app.inject({ url: `/api/v1/users/${a.user.id}/statistics`, headers: coach.headers }))
        .statusCode,
      200,
    );

    const group = await t.app.inject({
      url: `/api/v1/groups/${i.groupId}/statistics`,
      headers: coach.headers,
    });
    assert.equal(group.statusCode, 200, group.body);
    const rate = group.json().courses.find((c: { courseId: string }) => c.courseId === courseId);
    assert.deepEqual([rate.learners, rate.completed, rate.completionRate], [2, 1, 50]);
    assert.equal((await t.app.inject({ url: `/api/v1/groups/${i.groupId}/statistics` })).statusCode, 401);
  });
});
