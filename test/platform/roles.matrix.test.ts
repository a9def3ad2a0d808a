// Walks every role against every group action over the real API, on both engines.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import {
  seedCourse,
  seedGroup,
  seedMember,
  seedPlatformAdmin,
  seedUser,
} from '../../src/platform/platform.seed.js';

type Who =
  'admin' | 'coach' | 'author' | 'learner' | 'parentAdmin' | 'parentLearner' | 'outsider' | 'platformAdmin';
type Action = 'read' | 'addToCatalog' | 'addToLibrary' | 'manageMembers' | 'editGroup' | 'listMembers';

// What each caller may do in group G (a subgroup of P). Admins of P administer G; other roles do not
// inherit; platform admins can do everything.
const ALLOWED: Record<Who, Action[]> = {
  admin: ['read', 'addToCatalog', 'addToLibrary', 'manageMembers', 'editGroup', 'listMembers'],
  coach: ['read', 'addToCatalog', 'listMembers'],
  author: ['read', 'addToLibrary'],
  learner: ['read'],
  parentAdmin: ['read', 'addToCatalog', 'addToLibrary', 'manageMembers', 'editGroup', 'listMembers'],
  parentLearner: [],
  outsider: [],
  platformAdmin: ['read', 'addToCatalog', 'addToLibrary', 'manageMembers', 'editGroup', 'listMembers'],
};
const ACTIONS: Action[] = [
  'read',
  'addToCatalog',
  'addToLibrary',
  'manageMembers',
  'editGroup',
  'listMembers',
];

forEachEngine('platform role matrix', (engine) => {
  let t: TestApp;
  let groupId: string;
  const headers = {} as Record<Who, { authorization: string }>;

  before(async () => {
    t = await createTestApp(engine);
    const parent = await seedGroup(t.ctx, { name: 'Company' });
    const group = await seedGroup(t.ctx, { name: 'Sales', parentId: parent.id, isPublic: false });
    groupId = group.id;
    for (const role of ['admin', 'coach', 'author', 'learner'] as const)
      headers[role] = (await seedMember(t.ctx, { groupId, email: `${role}@example.test`, role })).headers;
    headers.parentAdmin = (
      await seedMember(t.ctx, { groupId: parent.id, email: 'padmin@example.test', role: 'admin' })
    ).headers;
    headers.parentLearner = (
      await seedMember(t.ctx, { groupId: parent.id, email: 'plearner@example.test', role: 'learner' })
    ).headers;
    headers.outsider = (await seedUser(t.ctx, { email: 'outsider@example.test' })).headers;
    headers.platformAdmin = (await seedPlatformAdmin(t.ctx)).headers;
    await seedUser(t.ctx, { email: 'target@example.test' });
  });
  after(() => t.close());

  async function attempt(who: Who, action: Action) {
    const h = headers[who];
    switch (action) {
      case 'read':
        return t.app.inject({ url: `/api/v1/groups/${groupId}`, headers: h });
      case 'listMembers':
        return t.app.inject({ url: `/api/v1/groups/${groupId}/members`, headers: h });
      case 'addToCatalog':
      case 'addToLibrary': {
        const course = await seedCourse(t.ctx, { source: 'opensesame' });
        const where = action === 'addToCatalog' ? 'catalog' : 'library';
        return t.app.inject({
          method: 'POST',
          url: `/api/v1/groups/${groupId}/${where}`,
          headers: h,
          payload: { courseId: course.id },
        });
      }
      case 'manageMembers':
        return t.app.inject({
          method: 'POST',
          url: `/api/v1/groups/${groupId}/members`,
          headers: h,
          payload: { email: 'TARGET@example.test', role: 'learner' },
        });
      case 'editGroup':
        return t.app.inject({
          method: 'PATCH',
          url: `/api/v1/groups/${groupId}`,
          headers: h,
          payload: { name: `Sales (${who})` },
        });
    }
  }

  for (const who of Object.keys(ALLOWED) as Who[]) {
    it(`${who}: allowed ${JSON.stringify(ALLOWED[who])}, refused the rest with insufficient_role`, async () => {
      for (const action of ACTIONS) {
        const res = await attempt(who, action);
        if (ALLOWED[who].includes(action)) {
          assert.ok([200, 201].includes(res.statusCode), `${who} ${action}: ${res.statusCode} ${res.body}`);
        } else {
          assert.equal(res.statusCode, 403, `${who} ${action}: ${res.body}`);
          assert.equal(res.json().error.code, 'insufficient_role', `${who} ${action}`);
        }
      }
    });
  }

  it('answers 401 to anonymous callers and 404 for an unknown group', async () => {
    const anon = await t.app.inject({ url: `/api/v1/groups/${groupId}` });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error.code, 'authentication_required');
    const missing = await t.app.inject({ url: '/api/v1/groups/nope', headers: headers.admin });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'group_not_found');
  });
});
