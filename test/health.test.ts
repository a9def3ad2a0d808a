import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, forEachEngine, type TestApp } from './helpers/engines.js';

forEachEngine('health and errors', (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  it('answers /healthz after a real database round trip', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(res.json().engine, engine);
  });

  it('answers an unknown route with a machine-readable code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'route_not_found');
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().openapi, '3.0.3');
    assert.ok(res.json().paths['/healthz']);
  });
});
