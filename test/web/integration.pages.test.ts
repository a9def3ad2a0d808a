// Settings → Integrations → OpenSesame as a page flow, over the embedded sandbox: a wrong CIID is
// refused beside its field with nothing written; the right one sets up, the status endpoint says
// when the first sync is done, the status page shows the webhook block; Sync now, SSO settings,
// Send to the sandbox, and Deactivate behind a confirmation.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember } from '../../src/platform/platform.seed.js';
import { waitForSyncs } from '../../src/integrations/integrations.jobs.js';
import { getIntegrationByGroup } from '../../src/integrations/integrations.repository.js';
import { PageClient } from './browser.js';

forEachEngine('integration pages', (engine) => {
  let t: TestApp;
  let groupId: string;
  let b: PageClient;
  let base: string;
  before(async () => {
    t = await createTestApp(engine, { SANDBOX_COURSES: '12' });
    groupId = (await seedGroup(t.ctx, { name: 'OpenSesame library', isPublic: false })).id;
    await seedMember(t.ctx, {
      groupId,
      email: 'ada@pages.test',
      name: 'Ada',
      role: 'admin',
      password: 'admin-password-1',
    });
    b = new PageClient(t.app);
    await b.signIn('ada@pages.test', 'admin-password-1');
    base = `/groups/${groupId}/settings/integrations/opensesame`;
  });
  after(() => t.close());

  it('refuses an unknown Customer Integration ID beside the field, writing nothing', async () => {
    const form = await b.get(base);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="ciid">OpenSesame Customer Integration ID<\/label>/);
    assert.match(form.body, /value="ada@pages.test"/, 'connector admin defaults to the signed-in admin');
    const res = await b.post(`${base}/setup`, {
      customerIntegrationId: 'no-such-ciid',
      connectorAdminEmail: 'ada@pages.test',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="ciid-error" role="alert"/);
    assert.match(res.body, /aria-describedby="ciid-hint ciid-error"/);
    assert.match(res.body, /value="no-such-ciid"/, 'the form keeps what was typed');
    assert.equal(await getIntegrationByGroup(t.ctx.db, groupId), undefined);
  });

  it('sets up with the right CIID, reports the first sync, then shows status and the webhook block', async () => {
    await b.get(base);
    const res = await b.post(`${base}/setup`, {
      customerIntegrationId: 'sandbox-ciid-0001',
      connectorAdminEmail: 'ada@pages.test',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${base}/progress`);
    const progress = await b.get(`${base}/progress`);
    assert.match(progress.body, /data-poll="[^"]+\/status\.json"/);
    await waitForSyncs(t.ctx);
    const status = await b.getJson(`${base}/status.json`);
    assert.equal(status.json().done, true);
    assert.match(status.json().message, /Done: 12 courses synced/);
    const page = await b.get(base);
    for (const label of [
      'LMS Auth URL',
      'LMS URL',
      'Client ID',
      'Client Secret',
      'Scope',
      'User identification',
    ])
      assert.match(page.body, new RegExp(`>${label}</dt>`));
    assert.match(page.body, /<code id="scope">xapi:write<\/code>/);
    assert.match(page.body, /<code id="user-identification">MBOX<\/code>/);
    assert.match(page.body, /12 courses in the catalog/);
    assert.match(page.body, /Send to the sandbox/);
  });

  it('runs Sync now, saves SSO settings, and hands our settings to the sandbox', async () => {
    await b.get(base);
    const sync = await b.post(`${base}/sync-now`);
    assert.equal(sync.headers.location, `${base}?notice=sync-started`);
    await waitForSyncs(t.ctx);
    const after = await b.get(`${base}?notice=sync-started`);
    assert.match(after.body, /role="status">A sync has started/);
    assert.equal((after.body.match(/<td>manual<\/td>|>manual</g) ?? []).length >= 1, true);
    const bad = await b.post(`${base}/saml`, { metadataXml: '<not-metadata/>' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /EntityDescriptor/);
    await b.get(base);
    const connect = await b.post(`${base}/sandbox-connect`);
    assert.equal(connect.statusCode, 303);
    const page = await b.get(connect.headers.location as string);
    assert.match(
      page.body,
      /<code>http:\/\/127\.0\.0\.1:\d+\/saml\/sp\/[0-9a-f]+<\/code> → <code>http:\/\/127\.0\.0\.1:\d+\/saml\/acs<\/code>/,
    );
  });

  it('deactivates only after the confirmation page, keeping the history', async () => {
    const page = await b.get(base);
    assert.match(page.body, new RegExp(`href="${base}/deactivate"`));
    const confirm = await b.get(`${base}/deactivate`);
    assert.match(confirm.body, /all 12 courses will be archived/);
    assert.match(confirm.body, /keep all the learning data/);
    const forged = await b.post(`${base}/deactivate`, { _csrf: 'nope' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await getIntegrationByGroup(t.ctx.db, groupId))?.status, 'active');
    await b.get(`${base}/deactivate`);
    const done = await b.post(`${base}/deactivate`);
    assert.equal(done.headers.location, `${base}?notice=deactivated`);
    const after = await b.get(done.headers.location as string);
    assert.match(after.body, /Deactivated/);
    assert.match(after.body, /12 archived/);
    assert.equal((await getIntegrationByGroup(t.ctx.db, groupId))?.status, 'inactive');
    const again = await b.get(base);
    assert.match(again.body, /Setup Integration/, 'a deactivated integration can be set up again');
  });
});
