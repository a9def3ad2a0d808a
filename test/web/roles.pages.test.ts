// Every page renders for each role it is meant for and refuses the others (403 page), and sends
// anonymous visitors to sign in.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember, seedSession } from '../../src/platform/platform.seed.js';
import type { Role } from '../../src/db/schema.js';

type PageCase = { path: (g: string) => string; allowed: readonly Role[] };

// The pages of a group, and the roles each is meant for (platform/roles.ts decides the actions).
const PAGES: readonly PageCase[] = [
  { path: () => '/home', allowed: ['admin', 'coach', 'author', 'learner'] },
  { path: (g) => `/groups/${g}/settings/integrations/opensesame`, allowed: ['admin'] },
  { path: (g) => `/groups/${g}/stats`, allowed: ['admin', 'coach'] },
  { path: (g) => `/groups/${g}/stats/unmatched`, allowed: ['admin'] },
  { path: (g) => `/groups/${g}/programs`, allowed: ['admin', 'author'] },
  { path: () => '/catalog', allowed: ['admin', 'coach', 'author', 'learner'] },
  { path: () => '/my/programs', allowed: ['admin', 'coach', 'author', 'learner'] },
];

const ROLES: readonly Role[] = ['admin', 'coach', 'author', 'learner'];

forEachEngine('pages by role', (engine) => {
  let t: TestApp;
  let groupId: string;
  const cookies = new Map<Role, string>();
  before(async () => {
    t = await createTestApp(engine);
    groupId = (await seedGroup(t.ctx, { name: 'Roles' })).id;
    for (const role of ROLES) {
      const { user } = await seedMember(t.ctx, { groupId, email: `${role}@roles.test`, role });
      cookies.set(role, (await seedSession(t.ctx, user.id)).cookie);
    }
  });
  after(() => t.close());

  for (const page of PAGES) {
    it(`${page.path(':group')}: ${page.allowed.join(', ')} only`, async () => {
      const url = page.path(groupId);
      const anonymous = await t.app.inject({ url });
      assert.equal(anonymous.statusCode, 303, `${url} anonymous`);
      assert.match(anonymous.headers.location as string, /^\/login\?next=/);
      for (const role of ROLES) {
        const res = await t.app.inject({ url, headers: { cookie: cookies.get(role) ?? '' } });
        const expected = page.allowed.includes(role) ? 200 : 403;
        assert.equal(res.statusCode, expected, `${url} as ${role}: ${res.statusCode}`);
        assert.match(res.headers['content-type'] as string, /text\/html/);
        if (expected === 403) assert.match(res.body, /You cannot open this page/);
      }
    });
  }
});
