import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { seedCourse, seedGroup, seedMember, seedPlatformAdmin } from '../../src/platform/platform.seed.js';

forEachEngine('platform courses, catalogs and libraries', (engine) => {
  let t: TestApp;
  let groupId: string;
  let other: string;
  let admin: { authorization: string };
  let coach: { authorization: string };
  let author: { authorization: string };
  let learner: { authorization: string };

  before(async () => {
    t = await createTestApp(engine);
    groupId = (await seedGroup(t.ctx, { name: 'Academy' })).id;
    other = (await seedGroup(t.ctx, { name: 'Elsewhere', isPublic: false })).id;
    admin = (await seedMember(t.ctx, { groupId, email: 'admin@a.test', role: 'admin' })).headers;
    coach = (await seedMember(t.ctx, { groupId, email: 'coach@a.test', role: 'coach' })).headers;
    author = (await seedMember(t.ctx, { groupId, email: 'author@a.test', role: 'author' })).headers;
    learner = (await seedMember(t.ctx, { groupId, email: 'learner@a.test', role: 'learner' })).headers;
  });
  after(() => t.close());

  it('refuses an archived course in a catalog or a library with 409 course_archived', async () => {
    const archived = await seedCourse(t.ctx, { source: 'opensesame', archived: true, name: 'Old' });
    for (const [where, h] of [
      ['catalog', coach],
      ['library', author],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/groups/${groupId}/${where}`,
        headers: h,
        payload: { courseId: archived.id },
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, 'course_archived');
    }
    const catalog = await t.app.inject({
      url: `/api/v1/groups/${groupId}/catalog?includeArchived=true`,
      headers: learner,
    });
    assert.equal(catalog.json().entries.length, 0);
  });

  it('adds once (201), again is harmless (200), lists, and removes (204)', async () => {
    const c = await seedCourse(t.ctx, { source: 'opensesame', name: 'Negotiation' });
    const url = `/api/v1/groups/${groupId}/catalog`;
    const first = await t.app.inject({ method: 'POST', url, headers: coach, payload: { courseId: c.id } });
    assert.equal(first.statusCode, 201);
    assert.equal(first.json().course.name, 'Negotiation');
    const again = await t.app.inject({ method: 'POST', url: `${url}/${c.id}`, headers: coach });
    assert.equal(again.statusCode, 200);
    const list = await t.app.inject({ url, headers: learner });
    assert.deepEqual(
      list.json().entries.map((e: { course: { id: string } }) => e.course.id),
      [c.id],
    );
    const del = await t.app.inject({ method: 'DELETE', url: `${url}/${c.id}`, headers: coach });
    assert.equal(del.statusCode, 204);
    const gone = await t.app.inject({ method: 'DELETE', url: `${url}/${c.id}`, headers: coach });
    assert.equal(gone.json().error.code, 'entry_not_found');
    const unknown = await t.app.inject({
      method: 'POST',
      url,
      headers: coach,
      payload: { courseId: 'nope' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'course_not_found');
  });

  it('refuses edits of a synced course but accepts and keeps local tags', async () => {
    const c = await seedCourse(t.ctx, { source: 'opensesame', name: 'Synced', catalogOf: [groupId] });
    for (const payload of [{ name: 'Renamed' }, { description: 'x' }, { launchUrl: 'https://x.test/' }]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/courses/${c.id}`,
        headers: admin,
        payload,
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, 'course_read_only');
    }
    const tagged = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${c.id}`,
      headers: coach,
      payload: { localTags: ['onboarding', ' Onboarding ', 'sales  team'] },
    });
    assert.equal(tagged.statusCode, 200, tagged.body);
    assert.deepEqual(tagged.json().localTags, ['onboarding', 'sales team']);
    assert.equal(tagged.json().name, 'Synced');
    assert.equal(tagged.json().readOnly, true);
    const read = await t.app.inject({ url: `/api/v1/courses/${c.id}`, headers: learner });
    assert.deepEqual(read.json().localTags, ['onboarding', 'sales team']);
    // A mixed patch changes nothing at all.
    const mixed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${c.id}`,
      headers: admin,
      payload: { name: 'Nope', localTags: [] },
    });
    assert.equal(mixed.statusCode, 409);
    const still = await t.app.inject({ url: `/api/v1/courses/${c.id}`, headers: admin });
    assert.deepEqual(still.json().localTags, ['onboarding', 'sales team']);
    // Learners cannot tag.
    const byLearner = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${c.id}`,
      headers: learner,
      payload: { localTags: ['mine'] },
    });
    assert.equal(byLearner.statusCode, 403);
    assert.equal(byLearner.json().error.code, 'insufficient_role');
  });

  it('lets authors create and edit native courses, which join their library', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: author,
      payload: { groupId, name: 'House rules', lang: 'en', durationMinutes: 15 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const course = created.json();
    assert.equal(course.source, 'native');
    assert.equal(course.readOnly, false);
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${course.id}`,
      headers: author,
      payload: { name: 'House rules v2', localTags: ['policy'] },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().name, 'House rules v2');
    const library = await t.app.inject({ url: `/api/v1/groups/${groupId}/library`, headers: author });
    assert.ok(library.json().entries.some((e: { course: { id: string } }) => e.course.id === course.id));
    const byCoach = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${course.id}`,
      headers: coach,
      payload: { name: 'Coach edit' },
    });
    assert.equal(byCoach.statusCode, 403);
    const byLearner = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: learner,
      payload: { groupId, name: 'x', lang: 'en' },
    });
    assert.equal(byLearner.statusCode, 403);
  });

  it('lists only courses the caller can see, searches names, hides archived', async () => {
    const visible = await seedCourse(t.ctx, {
      source: 'opensesame',
      name: 'Visible 100% Course',
      catalogOf: [groupId],
    });
    const hidden = await seedCourse(t.ctx, {
      source: 'opensesame',
      name: 'Hidden Course',
      catalogOf: [other],
    });
    await seedCourse(t.ctx, {
      source: 'opensesame',
      name: 'Archived Course',
      archived: true,
      catalogOf: [groupId],
    });
    const list = await t.app.inject({ url: '/api/v1/courses?q=course', headers: learner });
    const names = list.json().courses.map((c: { name: string }) => c.name);
    assert.ok(names.includes('Visible 100% Course'));
    assert.ok(!names.includes('Hidden Course'));
    assert.ok(!names.includes('Archived Course'));
    const pct = await t.app.inject({
      url: `/api/v1/courses?q=${encodeURIComponent('100%')}`,
      headers: learner,
    });
    assert.deepEqual(
      pct.json().courses.map((c: { id: string }) => c.id),
      [visible.id],
    );
    const denied = await t.app.inject({ url: `/api/v1/courses/${hidden.id}`, headers: learner });
    assert.equal(denied.statusCode, 404);
    const pa = (await seedPlatformAdmin(t.ctx)).headers;
    const all = await t.app.inject({ url: '/api/v1/courses?includeArchived=true&q=course', headers: pa });
    assert.equal(all.json().total, 3);
  });

  it("shows a public parent's catalog in its public subgroups, not in private ones", async () => {
    const root = await seedGroup(t.ctx, { name: 'Root' });
    const pub = await seedGroup(t.ctx, { name: 'Public child', parentId: root.id });
    const priv = await seedGroup(t.ctx, { name: 'Private child', parentId: root.id, isPublic: false });
    const c = await seedCourse(t.ctx, { source: 'opensesame', name: 'Company-wide', catalogOf: [root.id] });
    const inPub = (await seedMember(t.ctx, { groupId: pub.id, email: 'p@a.test', role: 'learner' })).headers;
    const inPriv = (await seedMember(t.ctx, { groupId: priv.id, email: 'q@a.test', role: 'learner' }))
      .headers;
    assert.equal((await t.app.inject({ url: `/api/v1/courses/${c.id}`, headers: inPub })).statusCode, 200);
    assert.equal((await t.app.inject({ url: `/api/v1/courses/${c.id}`, headers: inPriv })).statusCode, 404);
  });
});
