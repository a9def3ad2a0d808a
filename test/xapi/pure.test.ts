// The other pure parts: durations, immutability ("same statement"), formats, credentials rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { durationToMs } from '../../src/xapi/xapi.duration.js';
import { sameStatement } from '../../src/xapi/xapi.equivalence.js';
import { formatIds, prepareStatement } from '../../src/xapi/xapi.statement.js';
import { credentialsUsable, parseBasic, parseScope } from '../../src/xapi/xapi.credentials.js';
import { parseStatementQuery } from '../../src/xapi/xapi.query.js';
import { createFailureLimiter } from '../../src/failure-limiter.js';

const s = {
  actor: { mbox: 'mailto:a@b.c' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: { id: 'https://a.example', definition: { name: { 'en-US': 'A' } } },
  context: { contextActivities: { parent: { id: 'https://p.example' } } },
};

describe('xAPI pure rules', () => {
  it('Data 4.6: durations become milliseconds, weeks and fractions included', () => {
    assert.equal(durationToMs('PT42M10S'), 2_530_000);
    assert.equal(durationToMs('PT1.5S'), 1500);
    assert.equal(durationToMs('P1DT1H'), 90_000_000);
    assert.equal(durationToMs('P1W'), 604_800_000);
    assert.equal(durationToMs('PT'), undefined);
    assert.equal(durationToMs('1h'), undefined);
  });

  it('Communication 2.1.2 (immutability): id, authority, stored, timestamp, version, attachments are ignored', () => {
    const a = { ...s, id: 'x', timestamp: '2026-01-01T00:00:00Z', version: '1.0.0' };
    const b = {
      ...s,
      stored: 'y',
      authority: { mbox: 'mailto:z@z.z' },
      timestamp: '2027-01-01T00:00:00Z',
      attachments: [],
    };
    assert.ok(sameStatement(a, b));
  });
  it('Communication 2.1.2 (immutability): key order, language-map key case, single vs array context activities', () => {
    const b = {
      object: { definition: { name: { 'EN-us': 'A' } }, id: 'https://a.example', objectType: 'Activity' },
      verb: { display: { 'en-us': 'completed' }, id: 'http://adlnet.gov/expapi/verbs/completed' },
      context: { contextActivities: { parent: [{ id: 'https://p.example' }] } },
      actor: { objectType: 'Agent', mbox: 'mailto:a@b.c' },
    };
    assert.ok(sameStatement(s, b));
  });
  it('Communication 2.1.2 (immutability): a different result is a different statement', () =>
    assert.ok(!sameStatement(s, { ...s, result: { completion: true } })));

  it('Data 2.4.6.2: the LRS stores context activities as arrays and sets id, stored, authority, version, timestamp', () => {
    const p = prepareStatement(structuredClone(s), {
      stored: '2026-01-01T00:00:00.000Z',
      authority: { mbox: 'mailto:lrs@x.y' },
      version: '1.0',
    });
    const ctx = p.statement.context as { contextActivities: { parent: unknown[] } };
    assert.ok(Array.isArray(ctx.contextActivities.parent));
    assert.match(p.id, /^[0-9a-f-]{36}$/);
    assert.equal(p.statement.stored, '2026-01-01T00:00:00.000Z');
    assert.equal(p.statement.timestamp, '2026-01-01T00:00:00.000Z');
    assert.equal(p.statement.version, '1.0.0');
    assert.deepEqual(p.refs.find((r) => r.kind === 'activity' && r.key === 'https://p.example')?.related, 1);
  });
  it('xAPI 2.0 Data 2.4.7: a 2.0 timestamp is converted to UTC, and version 2.0.0 is kept', () => {
    const p = prepareStatement(
      { ...s, timestamp: '2026-03-05T20:22:41+02:00' },
      { stored: 'x', authority: {}, version: '2.0' },
    );
    assert.equal(p.statement.timestamp, '2026-03-05T18:22:41.000Z');
    assert.equal(p.statement.version, '2.0.0');
  });
  it('Communication 2.1.3: format=ids keeps identifiers only', () => {
    const out = formatIds({ ...s, actor: { name: 'A', mbox: 'mailto:a@b.c' } }) as Record<
      string,
      Record<string, unknown>
    >;
    assert.deepEqual(out.actor, { mbox: 'mailto:a@b.c' });
    assert.deepEqual(out.verb, { id: 'http://adlnet.gov/expapi/verbs/completed' });
    assert.deepEqual(out.object, { id: 'https://a.example' });
  });
  it('Communication 2.1.3: unknown query parameters and ids mixed with filters are refused', () => {
    assert.ok('problem' in parseStatementQuery({ foo: '1' }));
    assert.ok(
      'problem' in
        parseStatementQuery({ statementId: '0f8e6a52-0000-4000-8000-000000000001', verb: 'http://v' }),
    );
    assert.ok('problem' in parseStatementQuery({ agent: '{"name":"no ifi"}' }));
    const q = parseStatementQuery({
      agent: '{"mbox":"mailto:A@b.c"}',
      limit: '0',
      since: '2026-01-01T00:00:00+01:00',
    });
    assert.ok(!('problem' in q) && q.kind === 'list');
    if (!('problem' in q) && q.kind === 'list') {
      assert.equal(q.query.agent, 'mbox:mailto:a@b.c');
      assert.equal(q.query.since, '2025-12-31T23:00:00.000Z');
    }
  });

  it('RFC 6749 §3.3: scope absent means xapi:write; unknown scopes are refused', () => {
    assert.deepEqual(parseScope(undefined), ['xapi:write']);
    assert.deepEqual(parseScope('xapi:read xapi:write'), ['xapi:read', 'xapi:write']);
    assert.equal(parseScope('admin'), undefined);
  });
  it('RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64', () =>
    assert.deepEqual(parseBasic(`Basic ${Buffer.from('id%3A1:s%26cret').toString('base64')}`), {
      id: 'id:1',
      secret: 's&cret',
    }));
  it('DESIGN rule 4: credentials die with deactivation after the grace period', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    assert.ok(credentialsUsable({ status: 'active', credentials_valid_until: null }, now));
    assert.ok(
      credentialsUsable({ status: 'inactive', credentials_valid_until: '2026-01-03T00:00:00Z' }, now),
    );
    assert.ok(
      !credentialsUsable({ status: 'inactive', credentials_valid_until: '2026-01-01T00:00:00Z' }, now),
    );
    assert.ok(!credentialsUsable({ status: 'inactive', credentials_valid_until: null }, now));
  });
  it('repeated failures block a key for the rest of the window', () => {
    const l = createFailureLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) l.fail(['k'], 1000);
    assert.ok(l.blockedFor(['k'], 2000) > 0);
    assert.equal(l.blockedFor(['k'], 62_000), 0);
    assert.equal(l.blockedFor(['other'], 2000), 0);
  });
});
