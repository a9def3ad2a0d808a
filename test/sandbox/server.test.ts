import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';
import { generateCatalogue } from '../../sandbox/sandbox.catalogue.js';

describe('sandbox HTTP API', () => {
  let sb: Sandbox;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const tokenRequest = (body: string, auth = basic(sb.connection.clientId, sb.connection.clientSecret)) =>
    fetch(sb.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body,
    });
  const token = async () => {
    const res = await tokenRequest('grant_type=client_credentials&scope=content');
    assert.equal(res.status, 200);
    const json = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    assert.equal(json.token_type, 'Bearer');
    assert.equal(json.expires_in, 3600);
    return json.access_token;
  };
  const list = async (query: string, auth?: string) =>
    fetch(`${sb.url}/v1/content?${query}`, { headers: { authorization: auth ?? `Bearer ${await token()}` } });
  const ciid = () => `customerIntegrationId=${sb.connection.customerIntegrationId}`;
  const admin = (method: string, path: string, body?: unknown, key = sb.adminKey) =>
    fetch(`${sb.url}/admin${path}`, {
      method,
      headers: { 'x-admin-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  before(async () => {
    sb = await startSandbox({ courses: 30, seed: 5, adminKey: 'test-admin-key' });
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  it('answers OAuth errors in OAuth form', async () => {
    const wrong = await tokenRequest(
      'grant_type=client_credentials&scope=content',
      basic('sandbox-client', 'x'),
    );
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    const noAuth = await tokenRequest('grant_type=client_credentials&scope=content', '');
    assert.equal(noAuth.status, 401);
    const grant = await tokenRequest('grant_type=password&scope=content');
    assert.equal(((await grant.json()) as { error: string }).error, 'unsupported_grant_type');
    const scope = await tokenRequest('grant_type=client_credentials&scope=xapi:write');
    assert.equal(scope.status, 400);
    assert.equal(((await scope.json()) as { error: string }).error, 'invalid_scope');
  });

  it('pages /v1/content with an absolute next URL and an empty next on the last page', async () => {
    const res = await list(`${ciid()}&limit=20&page=1`);
    assert.equal(res.status, 200);
    const first = (await res.json()) as { data: Array<{ id: string }>; paging: { next: string } };
    assert.equal(first.data.length, 20);
    assert.equal(first.paging.next, `${sb.url}/v1/content?${ciid()}&limit=20&page=2`);
    const second = (await (await list(`${ciid()}&limit=20&page=2`)).json()) as typeof first;
    assert.equal(second.data.length, 10);
    assert.equal(second.paging.next, '');
    const all = generateCatalogue({ seed: 5, launchBaseUrl: sb.url }, 30);
    assert.deepEqual([...first.data, ...second.data], all);
  });

  it('refuses a bad limit, a wrong CIID, a missing or Basic credential', async () => {
    assert.equal((await list(`${ciid()}&limit=51`)).status, 400);
    assert.equal((await list(`${ciid()}&limit=0`)).status, 400);
    assert.equal((await list(`${ciid()}&page=0`)).status, 400);
    const forbidden = await list('customerIntegrationId=not-mine');
    assert.equal(forbidden.status, 403);
    assert.equal(((await forbidden.json()) as { error: string }).error, 'forbidden');
    assert.equal((await list(ciid(), 'Bearer made-up')).status, 401);
    assert.equal((await list(ciid(), basic(sb.connection.clientId, sb.connection.clientSecret))).status, 400);
  });

  it('guards the admin surface with the admin key', async () => {
    assert.equal((await admin('GET', '/stats', undefined, 'wrong')).status, 401);
    assert.equal((await admin('GET', '/stats')).status, 200);
  });

  it('adds, edits, retires and removes courses over HTTP', async () => {
    const before = generateCatalogue({ seed: 5, launchBaseUrl: sb.url }, 30);
    const id = before[3]?.id as string;
    const edited = (await (await admin('PATCH', `/courses/${id}`, { title: 'New title' })).json()) as Record<
      string,
      unknown
    >;
    assert.equal(edited.title, 'New title');
    assert.notEqual(edited.dateUpdated, before[3]?.dateUpdated);
    const retired = (await (await admin('POST', `/courses/${id}/retire`)).json()) as Record<string, unknown>;
    assert.equal(retired.active, false);
    assert.equal((await admin('DELETE', `/courses/${before[0]?.id}`)).status, 204);
    const added = await admin('POST', '/courses', { title: 'Added course', languages: ['fr-FR'] });
    assert.equal(added.status, 201);
    const addedItem = (await added.json()) as Record<string, unknown>;
    assert.match(String(addedItem.quickLaunchUrl), new RegExp(`^${sb.url}/player/`));
    assert.equal((await admin('PATCH', '/courses/unknown', { title: 'x' })).status, 404);

    const page = (await (await list(`${ciid()}&limit=50`)).json()) as {
      data: Array<Record<string, unknown>>;
    };
    assert.equal(page.data.length, 30);
    assert.ok(!page.data.some((i) => i.id === before[0]?.id));
    assert.equal(page.data.find((i) => i.id === id)?.title, 'New title');
    assert.equal(page.data.at(-1)?.title, 'Added course');

    assert.equal((await admin('POST', '/reset')).status, 204);
    const reset = (await (await list(`${ciid()}&limit=50`)).json()) as { data: unknown[] };
    assert.deepEqual(reset.data, before);
  });

  it('sets fault knobs over HTTP, refuses bad ones, and counts requests', async () => {
    assert.equal((await admin('PUT', '/faults', { serverErrors: 'many' })).status, 400);
    assert.equal((await admin('PUT', '/faults', { nope: 1 })).status, 400);
    assert.equal((await admin('PUT', '/faults', { nextStyle: 'sideways' })).status, 400);
    const set = await admin('PUT', '/faults', {
      rateLimit: 1,
      retryAfter: '7',
      serverErrors: 1,
      serverErrorStatus: 500,
    });
    assert.equal(set.status, 200);
    const bearer = `Bearer ${await token()}`;
    const limited = await list(ciid(), bearer);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal((await list(ciid(), bearer)).status, 500);
    assert.equal((await list(ciid(), bearer)).status, 200);
    assert.equal((await admin('POST', '/tokens/invalidate')).status, 204);
    assert.equal((await list(ciid(), bearer)).status, 401);
    const stats = (await (await admin('GET', '/stats')).json()) as {
      content: number;
      statuses: Record<string, number>;
    };
    assert.equal(stats.content, 4);
    assert.equal(stats.statuses['429'], 1);
    await admin('PUT', '/faults', { cutBody: 1 });
    await assert.rejects(async () => (await list(ciid())).json());
  });

  it('serves customers added through the admin surface', async () => {
    const res = await admin('POST', '/customers', { customerIntegrationId: 'second-ciid' });
    const c = (await res.json()) as { clientId: string; clientSecret: string };
    const t = await tokenRequest(
      'grant_type=client_credentials&scope=content',
      basic(c.clientId, c.clientSecret),
    );
    const { access_token } = (await t.json()) as { access_token: string };
    assert.equal((await list('customerIntegrationId=second-ciid', `Bearer ${access_token}`)).status, 200);
    assert.equal((await list(ciid(), `Bearer ${access_token}`)).status, 403);
  });
});
