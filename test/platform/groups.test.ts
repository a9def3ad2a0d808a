import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember, seedPlatformAdmin } from '../../src/platform/platform.seed.js';

forEachEngine('platform groups and memberships', (engine) => {
  let t: TestApp;
  let pa: { authorization: string };
  before(async () => {
    t = await createTestApp(engine);
    pa = (await seedPlatformAdmin(t.ctx)).headers;
  });
  after(() => t.close());

  it('builds a tree: platform admin makes roots, group admins make subgroups, no cycles', async () => {
    const root = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: pa,
      payload: { name: 'Acme' },
    });
    assert.equal(root.statusCode, 201);
    const rootId = root.json().id;
    const lead = (await seedMember(t.ctx, { groupId: rootId, email: 'lead@acme.test', role: 'admin' }))
      .headers;
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: lead,
      payload: { name: 'X' },
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, 'platform_admin_required');
    const child = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: lead,
      payload: { name: 'OpenSesame courses', parentId: rootId, isPublic: false },
    });
    assert.equal(child.statusCode, 201);
    const childId = child.json().id;
    assert.equal(child.json().isPublic, false);
    const grandchild = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: lead,
      payload: { name: 'Team', parentId: childId },
    });
    const cycle = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/groups/${rootId}`,
      headers: pa,
      payload: { parentId: grandchild.json().id },
    });
    assert.equal(cycle.statusCode, 409);
    assert.equal(cycle.json().error.code, 'group_cycle');
    const mine = await t.app.inject({ url: '/api/v1/groups', headers: lead });
    const names = mine
      .json()
      .groups.map((g: { name: string; myRoles: string[] }) => `${g.name}:${g.myRoles}`);
    assert.deepEqual(names.sort(), ['Acme:admin', 'OpenSesame courses:admin', 'Team:admin']);
    const notEmpty = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/groups/${childId}`,
      headers: lead,
    });
    assert.equal(notEmpty.statusCode, 409);
    assert.equal(notEmpty.json().error.code, 'group_not_empty');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/groups/${grandchild.json().id}`,
      headers: lead,
    });
    assert.equal(del.statusCode, 204);
  });

  it('adds, changes and removes members', async () => {
    const g = await seedGroup(t.ctx, { name: 'Support' });
    const boss = (await seedMember(t.ctx, { groupId: g.id, email: 'boss@s.test', role: 'admin' })).headers;
    const { user } = await seedMember(t.ctx, {
      groupId: (await seedGroup(t.ctx, { name: 'Y' })).id,
      email: 'amy@s.test',
      role: 'learner',
    });
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1/groups/${g.id}/members`,
      headers: boss,
      payload: { email: 'AMY@s.test', role: 'learner' },
    });
    assert.equal(add.statusCode, 201);
    const change = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/groups/${g.id}/members/${user.id}`,
      headers: boss,
      payload: { role: 'coach' },
    });
    assert.equal(change.statusCode, 200);
    assert.equal(change.json().role, 'coach');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/groups/${g.id}/members/${user.id}`,
      headers: boss,
      payload: { role: 'owner' },
    });
    assert.equal(bad.statusCode, 400);
    const remove = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/groups/${g.id}/members/${user.id}`,
      headers: boss,
    });
    assert.equal(remove.statusCode, 204);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/groups/${g.id}/members`,
      headers: boss,
      payload: { email: 'ghost@s.test', role: 'learner' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'user_not_found');
  });

  it('documents every platform route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    for (const [path, methods] of Object.entries({
      '/api/v1/auth/login': ['post'],
      '/api/v1/auth/logout': ['post'],
      '/api/v1/me': ['get'],
      '/api/v1/me/tokens': ['get', 'post'],
      '/api/v1/me/tokens/{tokenId}': ['delete'],
      '/api/v1/users': ['get', 'post'],
      '/api/v1/groups': ['get', 'post'],
      '/api/v1/groups/{id}': ['get', 'patch', 'delete'],
      '/api/v1/groups/{id}/members': ['get', 'post'],
      '/api/v1/groups/{id}/members/{userId}': ['patch', 'delete'],
      '/api/v1/groups/{id}/catalog': ['get', 'post'],
      '/api/v1/groups/{id}/catalog/{courseId}': ['post', 'delete'],
      '/api/v1/groups/{id}/library': ['get', 'post'],
      '/api/v1/groups/{id}/library/{courseId}': ['post', 'delete'],
      '/api/v1/courses': ['get', 'post'],
      '/api/v1/courses/{id}': ['get', 'patch'],
    })) {
      for (const m of methods) {
        const op = doc.paths[path]?.[m];
        assert.ok(op, `${m.toUpperCase()} ${path} is documented`);
        assert.ok(op.tags?.length, `${m} ${path} is tagged`);
        assert.ok(Object.keys(op.responses).length > 0, `${m} ${path} documents responses`);
      }
    }
  });
});
