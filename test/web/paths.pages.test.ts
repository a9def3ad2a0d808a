// Path pages as people use them: an author creates a path, finds synced courses and adds them,
// reorders and removes steps and enrols a learner; an archived step stays, marked; the learner sees
// each step's state, STARTs the open one with the path as entry point, and the next opens once the
// first is completed. Coaches and learners cannot edit.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, type TestApp } from '../helpers/engines.js';
import { archive, createWorldApp, type World } from '../helpers/courses-world.js';
import { seedSession, type SeededUser } from '../../src/platform/platform.seed.js';
import { applyAttemptPlan, attemptsOf } from '../../src/platform/attempts.repository.js';
import { planStatistic } from '../../src/platform/attempts.rules.js';
import { PageClient } from './browser.js';

/** The course ids of a path page's steps, in order. */
function stepIds(body: string): string[] {
  const list = /<ol class="steps sequence">([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
  return [...list.matchAll(/<li data-position="\d+">\s*<(?:a href="\/courses\/([^"?]+)|span)/g)].map(
    (m) => m[1] ?? 'locked',
  );
}

forEachEngine('path pages', (engine) => {
  let t: TestApp;
  let w: World;
  let pathId = '';
  const as = async (who: SeededUser) =>
    new PageClient(t.app).useCookie((await seedSession(t.ctx, who.user.id)).cookie);
  before(async () => {
    ({ t, w } = await createWorldApp(engine));
  });
  after(() => t.close());

  it('lets an author create a path and add synced courses found by search', async () => {
    const b = await as(w.author);
    const list = await b.get(`/groups/${w.groupId}/paths`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<a href="\/groups\/[^"]+\/paths" aria-current="page">Paths<\/a>/);
    assert.match(list.body, /<label for="path-name">New path name<\/label>/);
    const created = await b.post(`/groups/${w.groupId}/paths`, { name: 'Sales basics', description: '' });
    assert.equal(created.statusCode, 303);
    pathId = /^\/paths\/([^/?]+)$/.exec(created.headers.location as string)?.[1] ?? '';
    assert.ok(pathId);
    const found = await b.get(`/paths/${pathId}?q=Negotiation`);
    assert.match(found.body, /<label for="find">Find a course<\/label>/);
    assert.match(found.body, /Add<span class="visually-hidden"> Negotiation<\/span>/);
    for (const courseId of [w.courses.catalog, w.courses.library, w.courses.third]) {
      const added = await b.post(`/paths/${pathId}/steps`, { courseId });
      assert.equal(added.statusCode, 303, added.body);
      assert.equal(added.headers.location, `/paths/${pathId}?notice=added#steps-h`);
    }
    const page = await b.get(`/paths/${pathId}?notice=added`);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.library, w.courses.third]);
    assert.match(page.body, /role="status">Step added at the end\./);
    // The first step cannot move up, the last cannot move down.
    assert.equal(page.body.match(/Move up<span/g)?.length, 2);
    assert.equal(page.body.match(/Move down<span/g)?.length, 2);
    const odd = await b.get(`/paths/${pathId}?notice=constructor`);
    assert.doesNotMatch(odd.body, /class="alert success"/, 'only known notices are shown');
    const again = await b.get(`/paths/${pathId}?q=Negotiation`);
    assert.match(again.body, /In the path/);
    const duplicate = await b.post(`/paths/${pathId}/steps`, { courseId: w.courses.catalog });
    assert.equal(duplicate.statusCode, 409);
  });

  it('reorders and removes steps', async () => {
    const b = await as(w.admin);
    await b.get(`/paths/${pathId}`);
    assert.equal(
      (await b.post(`/paths/${pathId}/steps/move`, { courseId: w.courses.third, direction: 'up' }))
        .statusCode,
      303,
    );
    let page = await b.get(`/paths/${pathId}`);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.third, w.courses.library]);
    // Moving the first step up leaves it where it is.
    await b.post(`/paths/${pathId}/steps/move`, { courseId: w.courses.catalog, direction: 'up' });
    await b.post(`/paths/${pathId}/steps/move`, { courseId: w.courses.library, direction: 'down' });
    page = await b.get(`/paths/${pathId}`);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.third, w.courses.library]);
    const removed = await b.post(`/paths/${pathId}/steps/remove`, { courseId: w.courses.third });
    assert.equal(removed.headers.location, `/paths/${pathId}?notice=removed#steps-h`);
    page = await b.get(`/paths/${pathId}`);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.library]);
    const missing = await b.post(`/paths/${pathId}/steps/remove`, { courseId: w.courses.third });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /not a step of the path/);
  });

  it('marks an archived step, which stays in the path', async () => {
    const b = await as(w.author);
    await b.get(`/paths/${pathId}`);
    await b.post(`/paths/${pathId}/steps`, { courseId: w.courses.third });
    await archive(t.ctx, w.courses.third);
    const page = await b.get(`/paths/${pathId}`);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.library, w.courses.third]);
    const archivedItem = page.body.split('<li data-position="2">')[1] ?? '';
    assert.match(archivedItem, /<span class="status warn">Archived<\/span>/);
    assert.match(archivedItem, /cannot be added again once removed/);
  });

  it('enrols learners of the group and shows their progress', async () => {
    const b = await as(w.author);
    const page = await b.get(`/paths/${pathId}`);
    assert.match(page.body, /No learner enrolled yet/);
    assert.match(page.body, new RegExp(`name="learnerIds" value="${w.learner.user.id}"`));
    const res = await b.post(`/paths/${pathId}/learners`, { learnerIds: w.learner.user.id });
    assert.equal(res.headers.location, `/paths/${pathId}?notice=enrolled#learners-h`);
    const after = await b.get(`/paths/${pathId}`);
    assert.match(after.body, /learner@sales\.test<\/span><\/td>\s*<td>0 of 3 \(0%\)<\/td>/);
    assert.doesNotMatch(after.body, new RegExp(`name="learnerIds" value="${w.learner.user.id}"`));
  });

  it('shows a learner their steps, STARTs the open one from the path, and opens the next on completion', async () => {
    const b = await as(w.learner);
    let page = await b.get('/my/paths');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/my\/paths" aria-current="page">My paths<\/a>/);
    assert.match(page.body, /<h2 id="path-[^"]+">Sales basics<\/h2>/);
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, 'locked', 'locked']);
    assert.match(page.body, new RegExp(`action="/courses/${w.courses.catalog}/start"`));
    assert.doesNotMatch(page.body, new RegExp(`action="/courses/${w.courses.library}/start"`));
    assert.match(page.body, /START<span class="visually-hidden"> Negotiation<\/span>/);

    // A locked step refuses to launch.
    const locked = await b.post(`/courses/${w.courses.library}/start`, { from: `path:${pathId}` });
    assert.equal(locked.statusCode, 409);
    const start = await b.post(`/courses/${w.courses.catalog}/start`, { from: `path:${pathId}` });
    assert.equal(start.statusCode, 303, start.body);
    assert.equal(start.headers.location, 'https://os.example.test/launch/Negotiation');
    const attempts = await attemptsOf(t.ctx.db, w.learner.user.id, w.courses.catalog);
    assert.deepEqual(
      attempts.map((a) => [a.entry_type, a.entry_id]),
      [['path', pathId]],
    );
    page = await b.get('/my/paths');
    assert.match(page.body, /<span class="status warn">In progress<\/span>/);

    const at = t.ctx.clock.now().toISOString();
    const plan = planStatistic(attempts, { progress: 100, at, completedAt: at } as never);
    await applyAttemptPlan(t.ctx.db, w.learner.user.id, w.courses.catalog, plan, at);
    page = await b.get('/my/paths');
    assert.deepEqual(stepIds(page.body), [w.courses.catalog, w.courses.library, 'locked']);
    assert.match(page.body, /33% completed/);
    // The library course is not in the learner's catalog: the path opens its page, with START.
    const course = await b.get(`/courses/${w.courses.library}?from=${encodeURIComponent(`path:${pathId}`)}`);
    assert.equal(course.statusCode, 200);
    assert.match(course.body, /<input type="hidden" name="from" value="path:[^"]+" \/>/);
    assert.equal((await b.get(`/courses/${w.courses.library}`)).statusCode, 404);
  });

  it('refuses the editor to coaches and learners', async () => {
    for (const who of [w.coach, w.learner]) {
      const b = await as(who);
      assert.equal((await b.get(`/paths/${pathId}`)).statusCode, 403);
      assert.equal((await b.get(`/groups/${w.groupId}/paths`)).statusCode, 403);
      await b.get('/my/paths');
      const res = await b.post(`/paths/${pathId}/steps/remove`, { courseId: w.courses.catalog });
      assert.equal(res.statusCode, 403);
    }
    const other = await as(w.otherAuthor);
    assert.equal((await other.get(`/paths/${pathId}`)).statusCode, 403);
  });
});
