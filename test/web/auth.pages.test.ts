import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember } from '../../src/platform/platform.seed.js';
import { PageClient } from './browser.js';

forEachEngine('sign-in pages', (engine) => {
  let t: TestApp;
  let groupId: string;
  before(async () => {
    t = await createTestApp(engine);
    groupId = (await seedGroup(t.ctx, { name: 'Sales <team>' })).id;
    await seedMember(t.ctx, {
      groupId,
      email: 'ann@pages.test',
      role: 'admin',
      name: 'Ann',
      password: 'correct horse battery',
    });
  });
  after(() => t.close());

  it('sends anonymous visitors to sign in and back to where they were going', async () => {
    const b = new PageClient(t.app);
    const res = await b.get('/home');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?next=%2Fhome');
    const form = await b.get('/login?next=/home');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="email">E-mail<\/label>/);
    assert.match(form.body, /<main id="main"/);
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const b = new PageClient(t.app);
    await b.get('/login');
    const res = await b.post('/login', {
      _csrf: 'forged',
      email: 'ann@pages.test',
      password: 'correct horse battery',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /The form expired/);
  });

  it('says when the password is wrong, and signs in with the right one', async () => {
    const b = new PageClient(t.app);
    await b.get('/login');
    const wrong = await b.post('/login', { email: 'ann@pages.test', password: 'nope' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /role="alert"/);
    const ok = await b.post('/login', {
      email: 'ann@pages.test',
      password: 'correct horse battery',
      next: '//evil.test',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/home');
    const home = await b.get('/home');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Sales &lt;team&gt;/, 'names are escaped');
    assert.match(home.body, /Settings → Integrations → OpenSesame/);
    const out = await b.post('/logout');
    assert.equal(out.statusCode, 303);
    assert.equal((await b.get('/home')).statusCode, 303);
  });

  it('serves the stylesheet, scripts and Chart.js from our own origin', async () => {
    for (const name of ['app.css', 'app.js', 'autosubmit.js', 'chart.umd.js']) {
      const res = await t.app.inject({ url: `/assets/${name}` });
      assert.equal(res.statusCode, 200, name);
    }
    assert.equal((await t.app.inject({ url: '/assets/../package.json' })).statusCode, 404);
  });
});
