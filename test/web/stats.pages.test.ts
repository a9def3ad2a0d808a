// Statistics pages over the real statements resource: a completion shows in the charts' data and
// tables; a statement whose e-mail matches nobody ends in the unmatched list, not nowhere.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { seedMember, seedSession } from '../../src/platform/platform.seed.js';
import {
  completion,
  makeCourse,
  makeIntegration,
  sendStatement,
  type TestIntegration,
} from '../xapi/fixtures.js';
import { completionsByDay, progressByCourse } from '../../src/web/web.stats.view.js';

forEachEngine('statistics pages', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  let admin = '';
  let coach = '';
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
    await makeCourse(t.ctx, i.row.id, 'OS-7');
    await seedMember(t.ctx, {
      groupId: i.groupId,
      email: 'jane@acme.test',
      name: 'Jane <Doe>',
      role: 'learner',
    });
    const a = await seedMember(t.ctx, { groupId: i.groupId, email: 'boss@acme.test', role: 'admin' });
    const c = await seedMember(t.ctx, { groupId: i.groupId, email: 'coach@acme.test', role: 'coach' });
    admin = (await seedSession(t.ctx, a.user.id)).cookie;
    coach = (await seedSession(t.ctx, c.user.id)).cookie;
  });
  after(() => t.close());

  const send = (s: unknown) => sendStatement(t, i, s);

  it('shows a completion in the charts and the learners table', async () => {
    await send(completion('JANE@acme.test', 'urn:opensesame:course:OS-7'));
    for (const cookie of [admin, coach]) {
      const res = await t.app.inject({ url: `/groups/${i.groupId}/stats`, headers: { cookie } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<script src="\/assets\/chart\.umd\.js"><\/script>/);
      assert.match(res.body, /<script type="application\/json" id="completions-data">[^<]*"2026-03-05"/);
      assert.match(res.body, /"Course OS-7"/);
      assert.match(res.body, /Jane &lt;Doe&gt;/);
      assert.match(res.body, /<td>100%<\/td>/);
    }
  });

  it('lists a statement for an unknown e-mail as unmatched, for the admins', async () => {
    await send(completion('nobody@elsewhere.test', 'urn:opensesame:course:OS-7'));
    const res = await t.app.inject({
      url: `/groups/${i.groupId}/stats/unmatched`,
      headers: { cookie: admin },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /nobody@elsewhere\.test/);
    assert.match(res.body, /No learner has this e-mail|unknown/i);
    const refused = await t.app.inject({
      url: `/groups/${i.groupId}/stats/unmatched`,
      headers: { cookie: coach },
    });
    assert.equal(refused.statusCode, 403);
  });

  it('computes the chart series (pure)', () => {
    const line = {
      userId: 'u',
      learnerName: 'U',
      learnerMail: 'u@x',
      courseId: 'c',
      courseName: 'C',
      result: null,
      score: null,
      timeSpentInMilliseconds: null,
      lastActivityAt: '2026-03-05T10:00:00.000Z',
      attempts: 1,
    };
    const lines = [
      { ...line, progress: 100, completedAt: '2026-03-05T10:00:00.000Z' },
      { ...line, userId: 'v', progress: 50, completedAt: null },
      {
        ...line,
        userId: 'w',
        courseId: 'd',
        courseName: 'A',
        progress: 100,
        completedAt: '2026-03-04T10:00:00.000Z',
      },
    ];
    assert.deepEqual(completionsByDay(lines), [
      { day: '2026-03-04', completions: 1 },
      { day: '2026-03-05', completions: 1 },
    ]);
    assert.deepEqual(
      progressByCourse(lines).map((c) => [c.courseName, c.learners, c.completed, c.averageProgress]),
      [
        ['A', 1, 1, 100],
        ['C', 2, 1, 75],
      ],
    );
  });
});
