import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, type TestApp } from '../helpers/engines.js';
import { apiCaller, archive, createWorldApp, type World } from '../helpers/courses-world.js';
import type { SeededUser } from '../../src/platform/platform.seed.js';
import { completionRate, moveItem, sequenceStates } from '../../src/paths/sequence.rules.js';

describe('sequence rules', () => {
  const item = (completed: boolean, launched = false, unlocksNextOnLaunch = false) => ({
    completed,
    launched,
    unlocksNextOnLaunch,
  });
  it('unlocks a path step only when every step before it is completed', () => {
    assert.deepEqual(sequenceStates([item(false), item(false), item(false)]), [
      'available',
      'locked',
      'locked',
    ]);
    assert.deepEqual(sequenceStates([item(true), item(false, true), item(false)]), [
      'completed',
      'in_progress',
      'locked',
    ]);
    // A later course completed elsewhere shows completed, but does not open what lies between.
    assert.deepEqual(sequenceStates([item(false), item(false), item(true)]), [
      'available',
      'locked',
      'completed',
    ]);
  });
  it('unlocks the next program block on launch of a synced course, whatever its result', () => {
    assert.deepEqual(sequenceStates([item(false, true, true), item(false, false, true)]), [
      'in_progress',
      'available',
    ]);
    assert.deepEqual(sequenceStates([item(false, true, false), item(false)]), ['in_progress', 'locked']);
    assert.equal(completionRate(['completed', 'available', 'locked']), 33);
    assert.equal(completionRate([]), 0);
  });
  it('moves an item by one place, and not past either end', () => {
    assert.deepEqual(moveItem(['a', 'b', 'c'], 'c', 'up'), ['a', 'c', 'b']);
    assert.deepEqual(moveItem(['a', 'b', 'c'], 'a', 'down'), ['b', 'a', 'c']);
    assert.equal(moveItem(['a', 'b'], 'a', 'up'), undefined);
    assert.equal(moveItem(['a', 'b'], 'b', 'down'), undefined);
    assert.equal(moveItem(['a', 'b'], 'x', 'up'), undefined);
  });
});

forEachEngine('paths', (engine) => {
  let t: TestApp;
  let w: World;
  let pathId: string;
  before(async () => {
    ({ t, w } = await createWorldApp(engine));
  });
  after(() => t.close());
  const call = apiCaller(() => t);

  it('lets admins and authors of the group create paths, nobody else', async () => {
    for (const who of [w.learner, w.coach, w.otherAuthor]) {
      const res = await call(who, 'POST', `/api/v1/groups/${w.groupId}/paths`, { name: 'Nope' });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'insufficient_role');
    }
    assert.equal(
      (await call(w.admin, 'POST', `/api/v1/groups/${w.groupId}/paths`, { name: 'By admin' })).statusCode,
      201,
    );
    const res = await call(w.author, 'POST', `/api/v1/groups/${w.groupId}/paths`, { name: 'Sales basics' });
    assert.equal(res.statusCode, 201, res.body);
    pathId = res.json().id;
    assert.deepEqual(res.json().steps, []);
  });

  it('lets authors add courses from the group catalog or library, in order', async () => {
    const a = await call(w.author, 'POST', `/api/v1/paths/${pathId}/steps`, { courseId: w.courses.catalog });
    assert.equal(a.statusCode, 201, a.body);
    const b = await call(w.author, 'POST', `/api/v1/paths/${pathId}/steps`, { courseId: w.courses.library });
    assert.equal(b.statusCode, 201, b.body);
    assert.equal(
      (await call(w.admin, 'POST', `/api/v1/paths/${pathId}/steps`, { courseId: w.courses.third }))
        .statusCode,
      201,
    );
    const steps = b.json().steps as Array<{ id: string; position: number; name: string }>;
    assert.deepEqual(
      steps.map((s) => [s.position, s.id]),
      [
        [0, w.courses.catalog],
        [1, w.courses.library],
      ],
    );
  });

  it('refuses the others: wrong role, unseen course, archived course, duplicate', async () => {
    const add = (who: SeededUser, courseId: string) =>
      call(who, 'POST', `/api/v1/paths/${pathId}/steps`, { courseId });
    assert.equal((await add(w.learner, w.courses.native)).statusCode, 403);
    assert.equal((await add(w.coach, w.courses.native)).statusCode, 403);
    assert.equal((await add(w.otherAuthor, w.courses.native)).statusCode, 403);
    const unseen = await add(w.author, w.courses.elsewhere);
    assert.equal(unseen.statusCode, 404);
    assert.equal(unseen.json().error.code, 'course_not_found');
    const archived = await add(w.author, w.courses.archived);
    assert.equal(archived.statusCode, 409);
    assert.equal(archived.json().error.code, 'course_archived');
    const dup = await add(w.author, w.courses.catalog);
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'course_already_in_path');
    // A platform admin sees every course.
    assert.equal((await add(w.platformAdmin, w.courses.elsewhere)).statusCode, 201);
  });

  it('lets admins, coaches and authors enrol members of the group only', async () => {
    const enrol = (who: SeededUser, userIds: string[]) =>
      call(who, 'POST', `/api/v1/paths/${pathId}/learners`, { userIds });
    assert.equal((await enrol(w.learner, [w.learner2.user.id])).statusCode, 403);
    assert.equal((await enrol(w.otherAuthor, [w.learner.user.id])).statusCode, 403);
    const outsider = await enrol(w.coach, [w.otherAuthor.user.id]);
    assert.equal(outsider.statusCode, 400);
    assert.equal(outsider.json().error.code, 'not_a_group_member');
    assert.equal((await enrol(w.coach, [w.learner.user.id])).statusCode, 204);
    assert.equal((await enrol(w.author, [w.learner.user.id, w.learner2.user.id])).statusCode, 204);
    const mine = await call(w.learner, 'GET', '/api/v1/me/paths');
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().paths.length, 1);
  });

  it('keeps an archived course where it is and shows admins where it is used', async () => {
    await archive(t.ctx, w.courses.catalog);
    const view = await call(w.author, 'GET', `/api/v1/paths/${pathId}`);
    assert.equal(view.statusCode, 200);
    assert.deepEqual(
      view.json().steps.map((s: { id: string; archived: boolean }) => [s.id, s.archived]),
      [
        [w.courses.catalog, true],
        [w.courses.library, false],
        [w.courses.third, false],
        [w.courses.elsewhere, false],
      ],
    );
    const usage = await call(w.platformAdmin, 'GET', `/api/v1/courses/${w.courses.catalog}/usage`);
    assert.equal(usage.statusCode, 200, usage.body);
    assert.equal(usage.json().course.archived, true);
    assert.deepEqual(
      usage
        .json()
        .paths.map((p: { id: string; position: number; learners: number }) => [p.id, p.position, p.learners]),
      [[pathId, 0, 2]],
    );
    assert.equal(
      (await call(w.learner, 'GET', `/api/v1/courses/${w.courses.catalog}/usage`)).statusCode,
      403,
    );
  });

  it('hides a group’s paths from people outside it', async () => {
    assert.equal((await call(w.otherAuthor, 'GET', `/api/v1/paths/${pathId}`)).statusCode, 403);
    assert.equal((await call(w.otherAuthor, 'GET', `/api/v1/groups/${w.groupId}/paths`)).statusCode, 403);
    const list = await call(w.learner, 'GET', `/api/v1/groups/${w.groupId}/paths`);
    assert.equal(list.json().paths.length, 2);
  });
});
