import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, type TestApp } from '../helpers/engines.js';
import { apiCaller, archive, createWorldApp, type World } from '../helpers/courses-world.js';
import type { SeededUser } from '../../src/platform/platform.seed.js';

forEachEngine('program templates and sessions', (engine) => {
  let t: TestApp;
  let w: World;
  let programId: string;
  before(async () => {
    ({ t, w } = await createWorldApp(engine));
  });
  after(() => t.close());
  const call = apiCaller(() => t);

  it('lets admins and authors create templates and add blocks; others are refused', async () => {
    for (const who of [w.learner, w.coach, w.otherAuthor])
      assert.equal(
        (await call(who, 'POST', `/api/v1/groups/${w.groupId}/programs`, { name: 'x' })).statusCode,
        403,
      );
    const created = await call(w.author, 'POST', `/api/v1/groups/${w.groupId}/programs`, {
      name: 'Onboarding',
    });
    assert.equal(created.statusCode, 201, created.body);
    programId = created.json().id;
    const add = (who: SeededUser, courseId: string) =>
      call(who, 'POST', `/api/v1/programs/${programId}/blocks`, { courseId });
    assert.equal((await add(w.author, w.courses.catalog)).statusCode, 201);
    assert.equal((await add(w.admin, w.courses.library)).statusCode, 201);
    const last = await add(w.author, w.courses.native);
    assert.equal(last.statusCode, 201);
    assert.deepEqual(
      last.json().blocks.map((b: { id: string }) => b.id),
      [w.courses.catalog, w.courses.library, w.courses.native],
    );
    assert.equal((await add(w.learner, w.courses.third)).statusCode, 403);
    assert.equal((await add(w.coach, w.courses.third)).statusCode, 403);
    assert.equal((await add(w.author, w.courses.elsewhere)).json().error.code, 'course_not_found');
    const archived = await add(w.author, w.courses.archived);
    assert.equal(archived.statusCode, 409);
    assert.equal(archived.json().error.code, 'course_archived');
    assert.equal((await add(w.author, w.courses.catalog)).json().error.code, 'course_already_in_program');
  });

  it('runs sessions for members of the group, started by admins, coaches and authors', async () => {
    const body = { name: 'January', startsAt: '2026-01-05T09:00:00.000Z', learnerIds: [w.learner.user.id] };
    assert.equal(
      (await call(w.learner, 'POST', `/api/v1/programs/${programId}/sessions`, body)).statusCode,
      403,
    );
    assert.equal(
      (await call(w.otherAuthor, 'POST', `/api/v1/programs/${programId}/sessions`, body)).statusCode,
      403,
    );
    const outsider = await call(w.coach, 'POST', `/api/v1/programs/${programId}/sessions`, {
      ...body,
      learnerIds: [w.otherAuthor.user.id],
    });
    assert.equal(outsider.json().error.code, 'not_a_group_member');
    const session = await call(w.coach, 'POST', `/api/v1/programs/${programId}/sessions`, body);
    assert.equal(session.statusCode, 201, session.body);
    const sessionId = session.json().id as string;
    assert.equal(session.json().blocks.length, 3);
    assert.equal(
      (
        await call(w.learner, 'POST', `/api/v1/program-sessions/${sessionId}/learners`, {
          userIds: [w.learner2.user.id],
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (
        await call(w.author, 'POST', `/api/v1/program-sessions/${sessionId}/learners`, {
          userIds: [w.learner2.user.id],
        })
      ).statusCode,
      204,
    );
    const list = await call(w.learner, 'GET', `/api/v1/programs/${programId}/sessions`);
    assert.deepEqual(
      list.json().sessions.map((s: { id: string }) => s.id),
      [sessionId],
    );
    assert.equal((await call(w.otherAuthor, 'GET', `/api/v1/program-sessions/${sessionId}`)).statusCode, 403);
  });

  it('keeps an archived course in the template and lists it in the usage view', async () => {
    await archive(t.ctx, w.courses.library);
    const view = await call(w.author, 'GET', `/api/v1/programs/${programId}`);
    assert.deepEqual(
      view.json().blocks.map((b: { id: string; archived: boolean }) => [b.id, b.archived]),
      [
        [w.courses.catalog, false],
        [w.courses.library, true],
        [w.courses.native, false],
      ],
    );
    const usage = await call(w.platformAdmin, 'GET', `/api/v1/courses/${w.courses.library}/usage`);
    assert.equal(usage.statusCode, 200, usage.body);
    assert.deepEqual(usage.json().programs, [
      { id: programId, groupId: w.groupId, name: 'Onboarding', position: 1, sessions: 1, learners: 2 },
    ]);
    assert.deepEqual(usage.json().paths, []);
    // The owner group's admin may look at a platform course's usage.
    assert.equal((await call(w.admin, 'GET', `/api/v1/courses/${w.courses.native}/usage`)).statusCode, 200);
    assert.equal((await call(w.coach, 'GET', `/api/v1/courses/${w.courses.native}/usage`)).statusCode, 403);
  });
});
