// Every page renders for each role it is meant for and refuses the others: one table (pages.world.ts)
// of every page route, asked by a learner, an author, a coach, a group admin, a platform admin and
// a signed-out visitor, over the real app on both engines. The table must name every page route the
// app has, so a new page cannot skip it.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { buildPagesWorld, pageRoutes, WHO, type PagesWorld } from './pages.world.js';

forEachEngine('pages by role', (engine) => {
  let t: TestApp;
  let world: PagesWorld;
  before(async () => {
    t = await createTestApp(engine);
    world = await buildPagesWorld(t.ctx);
  });
  after(() => t.close());

  it('covers every page route the app has', () => {
    assert.deepEqual([...new Set(world.rows.map((r) => r.route))].sort(), pageRoutes(t.app));
  });

  it('answers each page as the table says, for every kind of visitor', async () => {
    const failures: string[] = [];
    for (const row of world.rows) {
      for (const who of WHO) {
        const cookie = world.cookies.get(who) ?? '';
        const res = await t.app.inject({ url: row.url, headers: cookie ? { cookie } : {} });
        const expected = row.expect[who];
        const name = `${row.route}${row.label ? ` (${row.label})` : ''} as ${who}`;
        if (typeof expected === 'number') {
          if (res.statusCode !== expected) failures.push(`${name}: ${res.statusCode}, expected ${expected}`);
          else if (expected !== 200 && !/text\/html/.test(String(res.headers['content-type'])))
            failures.push(`${name}: the refusal is not a page`);
          else if (expected === 403 && !res.body.includes('You cannot open this page'))
            failures.push(`${name}: not the 403 page`);
        } else if (res.statusCode !== 303 || !expected.redirect.test(String(res.headers.location)))
          failures.push(
            `${name}: ${res.statusCode} ${String(res.headers.location)}, expected 303 ${expected.redirect}`,
          );
      }
    }
    assert.deepEqual(failures, []);
  });
});
