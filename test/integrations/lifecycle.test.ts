// The lifecycle over the HTTP API, on both engines: activation (roles, connector admin, verify
// before writing), webhook credentials and rotation, schedule edits, sync now, health, deactivation
// and reactivation.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { fixedClock } from '../../src/clock.js';
import { waitForSyncs } from '../../src/integrations/integrations.jobs.js';
import { createCompany, type Company } from './setup.js';
import { completion, XAPI_HEADERS } from '../xapi/fixtures.js';
import { drainStatistics } from '../../src/stats/stats.worker.js';

const START = '2026-06-10T10:00:00.000Z';

forEachEngine('integration lifecycle', (engine) => {
  let c: Company;
  const clock = fixedClock(START);
  before(async () => {
    c = await createCompany(engine, {}, { clock });
  });
  after(() => c.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    suffix: string,
    who: { headers: object } | null,
    payload?: object,
  ) =>
    c.t.app.inject({
      method,
      url: c.url(suffix),
      headers: (who?.headers ?? {}) as Record<string, string>,
      ...(payload ? { payload } : {}),
    });

  // OpenSesame's side of the webhook credentials: a token, then a completion statement.
  const tokenFor = (id: string, secret: string) =>
    c.t.app.inject({
      method: 'POST',
      url: '/api/opensesame/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: id,
        client_secret: secret,
        scope: 'xapi:write',
      }).toString(),
    });
  const postCompletion = async (id: string, secret: string, externalId: string) => {
    // OpenSesame names the course by an IRI: its xAPI activity id, else its launch URL.
    const course = await c.t.ctx.db
      .selectFrom('courses')
      .select(['xapi_activity_id', 'launch_url'])
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    const objectId = course.xapi_activity_id ?? course.launch_url!;
    const res = await c.t.app.inject({
      method: 'POST',
      url: '/api/opensesame/stats',
      headers: {
        ...XAPI_HEADERS,
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      },
      payload: completion(c.learner.user.email, objectId),
    });
    await drainStatistics(c.t.ctx);
    return res;
  };
  const liveExternalIds = async () =>
    (
      await c.t.ctx.db
        .selectFrom('courses')
        .select('external_id')
        .where('archived', '=', 0)
        .orderBy('external_id')
        .execute()
    ).map((r) => r.external_id!);

  const statistics = async () => ({
    attempts: (await c.t.ctx.db.selectFrom('attempts').selectAll().orderBy('id').execute()).map((a) => [
      a.id,
      a.course_id,
      a.progress,
    ]),
    statements: (await c.t.ctx.db.selectFrom('xapi_statements').select('id').orderBy('id').execute()).length,
  });

  it('lets only group admins in: 401 without a caller, 403 insufficient_role for others', async () => {
    assert.equal((await call('GET', '', null)).statusCode, 401);
    for (const who of [c.coach, c.author, c.learner]) {
      const res = await call('POST', '', who, c.body());
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'insufficient_role');
    }
    const res = await call('GET', '', c.learner);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'insufficient_role');
  });

  it('refuses a connector admin who is not an author or admin of the group', async () => {
    for (const email of [c.learner.user.email, c.coach.user.email, 'nobody@corp.test']) {
      const res = await call('POST', '', c.admin, c.body({ connectorAdminEmail: email }));
      assert.equal(res.statusCode, 400, email);
      assert.equal(res.json().error.code, 'connector_admin_not_author');
    }
    assert.equal((await call('GET', '', c.admin)).json().error.code, 'integration_not_found');
  });

  it('says which OpenSesame setting is wrong and activates nothing', async () => {
    const wrongCiid = await call('POST', '', c.admin, c.body({ customerIntegrationId: 'not-a-ciid' }));
    assert.equal(wrongCiid.statusCode, 400);
    assert.equal(wrongCiid.json().error.code, 'invalid_customer_integration_id');
    const wrongSecret = await call('POST', '', c.admin, c.body({ clientSecret: 'wrong-secret' }));
    assert.equal(wrongSecret.statusCode, 400);
    assert.equal(wrongSecret.json().error.code, 'invalid_opensesame_credentials');
    const res = await call('GET', '', c.admin);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'integration_not_found');
    const rows = await c.t.ctx.db.selectFrom('integrations').select('id').execute();
    assert.equal(rows.length, 0);
  });

  let clientId = '';
  let secret = '';

  it('activates: setting-up at once, webhook credentials and the xAPI block, then active after the first sync', async () => {
    const res = await call('POST', '', c.admin, c.body());
    assert.equal(res.statusCode, 201, res.body);
    const view = res.json();
    assert.equal(view.status, 'setting-up');
    assert.match(view.webhook.clientId, /^osw_/);
    assert.ok(view.webhook.clientSecret.length >= 40);
    clientId = view.webhook.clientId;
    secret = view.webhook.clientSecret;
    assert.deepEqual(view.xapi, {
      lmsAuthUrl: 'https://lms.example.test/api/opensesame/oauth2/token',
      lmsUrl: 'https://lms.example.test/api/opensesame/stats',
      clientId,
      clientSecret: secret,
      scope: 'xapi:write',
      userIdentification: 'MBOX',
    });
    assert.equal(view.connectorAdmin.email, c.author.user.email);
    // Secrets are sealed at rest.
    const row = await c.t.ctx.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(row.webhook_secret_sealed, secret);
    assert.notEqual(row.client_secret_sealed, c.sandbox.connection.clientSecret);
    assert.ok(!row.ciid_sealed.includes(c.sandbox.connection.customerIntegrationId));

    await waitForSyncs(c.t.ctx);
    const after = (await call('GET', '', c.admin)).json();
    assert.equal(after.status, 'active');
    assert.equal(after.health, 'ok');
    assert.equal(after.lastRun.trigger, 'activation');
    assert.equal(after.lastRun.status, 'succeeded');
    assert.ok(after.courses.live > 0);
    // 10:00Z on June 10 → the next 06:50 Paris (summer time) is 04:50Z on June 11.
    assert.equal(after.schedule.nextRunAt, '2026-06-11T04:50:00.000Z');
    assert.equal(after.schedule.cron, '50 6 * * *');
    assert.equal(after.schedule.timeZone, 'Europe/Paris');
  });

  it('gives OpenSesame working webhook credentials: token, then statements that become attempts', async () => {
    const token = await tokenFor(clientId, secret);
    assert.equal(token.statusCode, 200, token.body);
    assert.equal(token.json().token_type, 'Bearer');
    const [course] = await liveExternalIds();
    const res = await postCompletion(clientId, secret, course!);
    assert.equal(res.statusCode, 200, res.body);
    const stats = await statistics();
    assert.equal(stats.attempts.length, 1);
    assert.equal(stats.attempts[0]![2], 100);
    assert.equal((await tokenFor(clientId, 'not-the-secret')).statusCode, 401);
  });

  it('allows one OpenSesame integration per group', async () => {
    const res = await call('POST', '', c.admin, c.body());
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'integration_exists');
  });

  it('rotates the webhook secret with a grace period for the old one', async () => {
    const res = await call('POST', '/webhook-credentials/rotate', c.admin);
    assert.equal(res.statusCode, 200);
    const view = res.json();
    assert.equal(view.webhook.clientId, clientId);
    assert.notEqual(view.webhook.clientSecret, secret);
    assert.equal(view.webhook.credentialsVersion, 2);
    assert.equal(view.webhook.previousSecretValidUntil, '2026-06-11T10:00:00.000Z');
    const row = await c.t.ctx.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    assert.equal(c.t.ctx.secrets.open(row.previous_webhook_secret_sealed!), secret);
    secret = view.webhook.clientSecret;
  });

  it('validates and saves a per-integration schedule', async () => {
    const bad = await call('PUT', '/schedule', c.admin, { cron: '*/5 * * * *', timeZone: 'Europe/Paris' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_schedule');
    const badZone = await call('PUT', '/schedule', c.admin, { cron: '0 7 * * *', timeZone: 'Nowhere/City' });
    assert.equal(badZone.json().error.details.field, 'timeZone');
    const ok = await call('PUT', '/schedule', c.admin, { cron: '0 7 * * 1-5', timeZone: 'America/New_York' });
    assert.equal(ok.statusCode, 200);
    // Wednesday June 10, 10:00Z = 06:00 EDT → 07:00 EDT the same day = 11:00Z.
    assert.equal(ok.json().schedule.nextRunAt, '2026-06-10T11:00:00.000Z');
    const forbidden = await call('PUT', '/schedule', c.coach, { cron: '0 7 * * *', timeZone: 'UTC' });
    assert.equal(forbidden.statusCode, 403);
    await call('PUT', '/schedule', c.admin, { cron: '50 6 * * *', timeZone: 'Europe/Paris' });
  });

  it('syncs now on demand and shows the run', async () => {
    const res = await call('POST', '/sync', c.admin);
    assert.equal(res.statusCode, 202);
    await waitForSyncs(c.t.ctx);
    const view = (await call('GET', '', c.admin)).json();
    assert.equal(view.lastRun.trigger, 'manual');
    assert.equal(view.lastRun.status, 'succeeded');
    assert.equal(view.lastRun.counts.created, 0);
  });

  it('reports health failed when the last run failed', async () => {
    c.sandbox.faults.set({ serverErrors: 20, serverErrorStatus: 400, target: 'content' });
    await call('POST', '/sync', c.admin);
    await waitForSyncs(c.t.ctx);
    const view = (await call('GET', '', c.admin)).json();
    assert.equal(view.lastRun.status, 'failed');
    assert.equal(view.health, 'failed');
    assert.ok(view.lastRun.error.message);
    c.sandbox.faults.reset();
  });

  it('holds a mass archive for an admin, who confirms or rejects it', async () => {
    const archivedBefore = (await call('GET', '', c.admin)).json().courses.archived;
    const ids = (await liveExternalIds()).slice(0, 8);
    for (const id of ids) c.sandbox.catalogue.remove(id);
    await call('POST', '/sync', c.admin);
    await waitForSyncs(c.t.ctx);
    let view = (await call('GET', '', c.admin)).json();
    assert.equal(view.health, 'held');
    assert.deepEqual(
      view.heldArchives.map((h: { externalId: string }) => h.externalId).sort(),
      [...ids].sort(),
    );
    const rejected = await call('POST', '/held-archives/reject', c.admin);
    assert.equal(rejected.statusCode, 200);
    assert.equal(rejected.json().heldArchives.length, 0);
    assert.equal(rejected.json().health, 'ok');
    assert.equal(rejected.json().courses.archived, archivedBefore);
    const none = await call('POST', '/held-archives/confirm', c.admin);
    assert.equal(none.json().error.code, 'no_held_archives');

    await call('POST', '/sync', c.admin);
    await waitForSyncs(c.t.ctx);
    view = (await call('GET', '', c.admin)).json();
    assert.equal(view.health, 'held');
    const confirmed = (await call('POST', '/held-archives/confirm', c.admin)).json();
    assert.equal(confirmed.heldArchives.length, 0);
    assert.equal(confirmed.courses.archived, archivedBefore + 8);
    c.sandbox.catalogue.reset();
    await call('POST', '/sync', c.admin);
    await waitForSyncs(c.t.ctx);
    assert.equal((await call('GET', '', c.admin)).json().courses.archived, archivedBefore);
  });

  let liveBeforeDeactivation: string[] = [];
  let statsBefore: Awaited<ReturnType<typeof statistics>>;
  let archivedBeforeDeactivation = 0;

  it('deactivates: every course archived, placements and statistics kept, credentials end after the grace period', async () => {
    const db = c.t.ctx.db;
    const course = await db.selectFrom('courses').select('id').limit(1).executeTakeFirstOrThrow();
    // A coach put one course in another group's catalog.
    await db
      .insertInto('catalog_entries')
      .values({ group_id: c.otherGroupId, course_id: course.id, added_by: null, added_at: START })
      .execute();
    const entriesBefore = await db.selectFrom('catalog_entries').select('course_id').execute();
    statsBefore = await statistics();
    assert.ok(statsBefore.attempts.length > 0);
    liveBeforeDeactivation = await liveExternalIds();
    archivedBeforeDeactivation = (await call('GET', '', c.admin)).json().courses.archived;
    assert.ok(liveBeforeDeactivation.length > 0);

    clock.set('2026-06-12T08:00:00.000Z');
    const res = await call('POST', '/deactivate', c.admin);
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.equal(view.status, 'inactive');
    assert.equal(view.courses.live, 0);
    assert.equal(view.schedule.nextRunAt, null);
    assert.equal(view.webhook.validUntil, '2026-06-13T08:00:00.000Z');
    assert.equal(view.webhook.credentialsVersion, 2, 'nothing bumped during the grace period');
    const deactivated = await db
      .selectFrom('courses')
      .select('external_id')
      .where('archived_reason', '=', 'deactivated')
      .orderBy('external_id')
      .execute();
    assert.deepEqual(
      deactivated.map((r) => r.external_id),
      liveBeforeDeactivation,
    );
    // Courses archived earlier for their own reason (inactive at OpenSesame) keep that reason.
    assert.equal(view.courses.archived, archivedBeforeDeactivation + liveBeforeDeactivation.length);
    const entriesAfter = await db.selectFrom('catalog_entries').select('course_id').execute();
    assert.equal(entriesAfter.length, entriesBefore.length);

    assert.deepEqual(await statistics(), statsBefore, 'statistics kept');

    // Completions in flight still land during the grace period, on the archived course...
    const [archivedCourse] = deactivated;
    const late = await postCompletion(clientId, secret, archivedCourse!.external_id!);
    assert.equal(late.statusCode, 200, late.body);
    statsBefore = await statistics();
    // ...and the credentials stop working after it.
    clock.set('2026-06-13T08:00:01.000Z');
    assert.equal((await tokenFor(clientId, secret)).statusCode, 401);
    assert.equal((await postCompletion(clientId, secret, archivedCourse!.external_id!)).statusCode, 401);

    const again = await call('POST', '/deactivate', c.admin);
    assert.equal(again.json().error.code, 'integration_inactive');
    const sync = await call('POST', '/sync', c.admin);
    assert.equal(sync.statusCode, 409);
    assert.equal(sync.json().error.code, 'integration_inactive');
  });

  it('reactivates the same group: courses restored on the first sync, webhook credentials kept', async () => {
    const res = await call('POST', '', c.admin, c.body());
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'setting-up');
    assert.equal(res.json().webhook.clientId, clientId);
    assert.equal(res.json().webhook.clientSecret, secret);
    assert.equal(res.json().webhook.validUntil, null);
    await waitForSyncs(c.t.ctx);
    const view = (await call('GET', '', c.admin)).json();
    assert.equal(view.status, 'active');
    assert.deepEqual(await liveExternalIds(), liveBeforeDeactivation);
    assert.equal(view.courses.archived, archivedBeforeDeactivation);
    assert.equal(view.lastRun.counts.restored, liveBeforeDeactivation.length);
    assert.deepEqual(await statistics(), statsBefore, 'statistics kept across reactivation');
    assert.equal((await tokenFor(clientId, secret)).statusCode, 200, 'the kept credentials work again');
    const integrations = await c.t.ctx.db.selectFrom('integrations').select('id').execute();
    assert.equal(integrations.length, 1);
  });
});
