import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, type TestApp } from '../helpers/engines.js';
import { apiCaller, archive, createWorldApp, type World } from '../helpers/courses-world.js';
import type { SeededUser } from '../../src/platform/platform.seed.js';
import { applyAttemptPlan, attemptsOf } from '../../src/platform/attempts.repository.js';
import { planStatistic } from '../../src/platform/attempts.rules.js';

forEachEngine('launch', (engine) => {
  let t: TestApp;
  let w: World;
  let pathId: string;
  let sessionId: string;
  const call = apiCaller(() => t);
  before(async () => {
    ({ t, w } = await createWorldApp(engine));
    const path = await call(w.author, 'POST', `/api/v1/groups/${w.groupId}/paths`, { name: 'Sales path' });
    pathId = path.json().id;
    for (const courseId of [w.courses.catalog, w.courses.third])
      assert.equal(
        (await call(w.author, 'POST', `/api/v1/paths/${pathId}/steps`, { courseId })).statusCode,
        201,
      );
    await call(w.coach, 'POST', `/api/v1/paths/${pathId}/learners`, { userIds: [w.learner.user.id] });
    const program = await call(w.author, 'POST', `/api/v1/groups/${w.groupId}/programs`, {
      name: 'Onboarding',
    });
    const programId = program.json().id;
    for (const courseId of [w.courses.library, w.courses.native, w.courses.third])
      assert.equal(
        (await call(w.author, 'POST', `/api/v1/programs/${programId}/blocks`, { courseId })).statusCode,
        201,
      );
    const session = await call(w.coach, 'POST', `/api/v1/programs/${programId}/sessions`, {
      name: 'Now',
      startsAt: '2020-01-01T00:00:00.000Z',
      learnerIds: [w.learner.user.id],
    });
    sessionId = session.json().id;
  });
  after(() => t.close());

  const launch = (who: SeededUser, courseId: string, entry: Record<string, string>) =>
    call(who, 'POST', `/api/v1/courses/${courseId}/launch`, entry);
  const attempts = (who: SeededUser, courseId: string) => attemptsOf(t.ctx.db, who.user.id, courseId);
  /** A completion arriving as a statistic (what the xAPI worker applies). */
  async function complete(who: SeededUser, courseId: string) {
    const at = t.ctx.clock.now().toISOString();
    const plan = planStatistic(await attempts(who, courseId), {
      progress: 100,
      at,
      completedAt: at,
    } as never);
    await applyAttemptPlan(t.ctx.db, who.user.id, courseId, plan, at);
  }

  it('launches from the catalog: attempt at 50 %, redirect to the launch URL without identity', async () => {
    const res = await launch(w.learner, w.courses.catalog, { entry: 'catalog', groupId: w.groupId });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().redirectUrl, 'https://os.example.test/launch/Negotiation');
    assert.ok(!res.json().redirectUrl.includes(w.learner.user.email));
    const rows = await attempts(w.learner, w.courses.catalog);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [rows[0]!.id, rows[0]!.entry_type, rows[0]!.progress],
      [res.json().attemptIds[0], 'catalog', 50],
    );
    // Again from the same entry point: the same open attempt.
    const again = await launch(w.learner, w.courses.catalog, { entry: 'catalog', groupId: w.groupId });
    assert.deepEqual(again.json().attemptIds, res.json().attemptIds);
  });

  it('redirects a GET (links in pages) and an HTML form post', async () => {
    const get = await call(
      w.learner,
      'GET',
      `/api/v1/courses/${w.courses.third}/launch?entry=catalog&groupId=${w.groupId}`,
    );
    assert.equal(get.statusCode, 302);
    assert.equal(get.headers.location, 'https://os.example.test/launch/Closing');
    const form = await t.app.inject({
      method: 'POST',
      url: `/api/v1/courses/${w.courses.third}/launch`,
      headers: { ...w.learner.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `entry=catalog&groupId=${w.groupId}`,
    });
    assert.equal(form.statusCode, 303);
    assert.equal(form.headers.location, 'https://os.example.test/launch/Closing');
  });

  it('refuses entry points the learner may not use', async () => {
    const elsewhere = await launch(w.learner, w.courses.elsewhere, {
      entry: 'catalog',
      groupId: w.otherGroupId,
    });
    assert.equal(elsewhere.json().error.code, 'course_not_in_catalog');
    assert.equal(
      (await launch(w.learner2, w.courses.catalog, { entry: 'path', pathId })).json().error.code,
      'not_enrolled',
    );
    assert.equal(
      (await launch(w.learner2, w.courses.library, { entry: 'program', sessionId })).json().error.code,
      'not_enrolled',
    );
    assert.equal(
      (await launch(w.learner, w.courses.library, { entry: 'path', pathId })).json().error.code,
      'course_not_in_path',
    );
    const bad = await launch(w.learner, w.courses.catalog, { entry: 'path' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_entry_point');
  });

  it('opens the next path step only when the current course is completed (a completion arriving as an attempt update)', async () => {
    const locked = await launch(w.learner, w.courses.third, { entry: 'path', pathId });
    assert.equal(locked.statusCode, 409);
    assert.equal(locked.json().error.code, 'step_locked');
    const first = await launch(w.learner, w.courses.catalog, { entry: 'path', pathId });
    assert.equal(first.statusCode, 200, first.body);
    // One attempt per entry point: the catalog attempt and this path attempt are different.
    const rows = await attempts(w.learner, w.courses.catalog);
    assert.deepEqual(rows.map((r) => r.entry_type).sort(), ['catalog', 'path']);
    assert.equal(
      (await launch(w.learner, w.courses.third, { entry: 'path', pathId })).json().error.code,
      'step_locked',
    );
    await complete(w.learner, w.courses.catalog);
    const view = await call(w.learner, 'GET', `/api/v1/paths/${pathId}`);
    assert.deepEqual(
      view.json().steps.map((s: { state: string }) => s.state),
      ['completed', 'available'],
    );
    assert.equal((await launch(w.learner, w.courses.third, { entry: 'path', pathId })).statusCode, 200);
    const stats = await call(w.coach, 'GET', `/api/v1/paths/${pathId}/stats`);
    assert.equal(stats.statusCode, 200, stats.body);
    assert.deepEqual([stats.json().rows[0].completedSteps, stats.json().rows[0].completionRate], [1, 50]);
    assert.equal((await call(w.learner, 'GET', `/api/v1/paths/${pathId}/stats`)).statusCode, 403);
  });

  it('makes a new attempt when a completed course is launched again', async () => {
    const before = await attempts(w.learner, w.courses.catalog);
    const res = await launch(w.learner, w.courses.catalog, { entry: 'path', pathId });
    assert.equal(res.statusCode, 200);
    const after = await attempts(w.learner, w.courses.catalog);
    assert.equal(after.length, before.length + 1);
    assert.ok(!before.some((a) => a.id === res.json().attemptIds[0]));
  });

  it('unlocks the next program block at once when a synced course is launched, whatever its result', async () => {
    assert.equal(
      (await launch(w.learner, w.courses.native, { entry: 'program', sessionId })).json().error.code,
      'block_locked',
    );
    const first = await launch(w.learner, w.courses.library, { entry: 'program', sessionId });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().unlockedPosition, 1);
    // Block 2 is a platform course: launching it is not enough, block 3 waits for its completion.
    const second = await launch(w.learner, w.courses.native, { entry: 'program', sessionId });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().unlockedPosition, undefined);
    assert.equal(
      (await launch(w.learner, w.courses.third, { entry: 'program', sessionId })).json().error.code,
      'block_locked',
    );
    await complete(w.learner, w.courses.native);
    assert.equal((await launch(w.learner, w.courses.third, { entry: 'program', sessionId })).statusCode, 200);
    const stats = await call(w.coach, 'GET', `/api/v1/program-sessions/${sessionId}/stats`);
    assert.deepEqual([stats.json().rows[0].unlockedBlocks, stats.json().rows[0].completedBlocks], [3, 1]);
  });

  it('refuses a session that has not started', async () => {
    const program = await call(w.author, 'POST', `/api/v1/groups/${w.groupId}/programs`, { name: 'Later' });
    await call(w.author, 'POST', `/api/v1/programs/${program.json().id}/blocks`, {
      courseId: w.courses.third,
    });
    const later = await call(w.coach, 'POST', `/api/v1/programs/${program.json().id}/sessions`, {
      name: 'Next year',
      startsAt: '2999-01-01T00:00:00.000Z',
      learnerIds: [w.learner.user.id],
    });
    const res = await launch(w.learner, w.courses.third, { entry: 'program', sessionId: later.json().id });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'session_not_started');
  });

  it('launches an archived course only from a path or program that already holds it', async () => {
    await archive(t.ctx, w.courses.catalog);
    await archive(t.ctx, w.courses.library);
    const catalog = await launch(w.learner, w.courses.catalog, { entry: 'catalog', groupId: w.groupId });
    assert.equal(catalog.statusCode, 409);
    assert.equal(catalog.json().error.code, 'course_archived');
    assert.equal((await launch(w.learner, w.courses.catalog, { entry: 'path', pathId })).statusCode, 200);
    assert.equal(
      (await launch(w.learner, w.courses.library, { entry: 'program', sessionId })).statusCode,
      200,
    );
  });
});
