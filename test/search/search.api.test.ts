// GET /api/v1/search over HTTP: the response carries `rankedAmong` (and the OpenAPI document
// describes it), so a client can tell an exact ranking from one among bounded candidates.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, type TestApp } from '../helpers/engines.js';
import { apiCaller, createWorldApp, type World } from '../helpers/courses-world.js';

forEachEngine('search API', (engine) => {
  let t: TestApp;
  let w: World;
  before(async () => {
    ({ t, w } = await createWorldApp(engine));
  });
  after(() => t.close());
  const call = apiCaller(() => t);

  it('answers with rankedAmong, null when every match was ranked', async () => {
    const res = await call(w.learner, 'GET', '/api/v1/search?q=negotiation');
    assert.equal(res.statusCode, 200);
    const body = res.json<{
      rankedAmong: number | null;
      items: Array<{ id: string }>;
      approximate: boolean;
    }>();
    assert.equal(body.rankedAmong, null);
    assert.equal(body.approximate, false);
    assert.deepEqual(
      body.items.map((i) => i.id),
      [w.courses.catalog],
    );
    const browse = await call(w.learner, 'GET', '/api/v1/search');
    assert.equal(browse.json<{ rankedAmong: number | null }>().rankedAmong, null);
  });

  it('documents rankedAmong in the OpenAPI schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<
        string,
        { get?: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
      >;
    }>();
    const schema = JSON.stringify(doc.paths['/api/v1/search']?.get?.responses['200']);
    assert.match(schema, /"rankedAmong"/);
    assert.match(schema, /best N candidates|ranked by relevance/);
  });
});
