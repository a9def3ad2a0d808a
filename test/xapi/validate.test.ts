// Statement validation, one requirement per test (xAPI 1.0.3 Data sections 2 and 4; 2.0 where noted).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateStatement, type Json } from '../../src/xapi/xapi.validate.js';

const base = (): Json => ({
  actor: { mbox: 'mailto:jane@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: { id: 'https://example.com/course/1' },
});
const ok = (s: Json, v: '1.0' | '2.0' = '1.0') => assert.deepEqual(validateStatement(s, v), []);
const bad = (s: unknown, rule: RegExp, v: '1.0' | '2.0' = '1.0') => {
  const issues = validateStatement(s, v);
  assert.ok(issues.length > 0, 'expected a problem');
  assert.ok(
    issues.some((i) => rule.test(i.rule)),
    `expected ${rule}, got ${JSON.stringify(issues)}`,
  );
};
const withActor = (actor: unknown) => ({ ...base(), actor });

describe('statement validation', () => {
  it('Data 2.2: a minimal statement (actor, verb, object) is valid', () => ok(base()));
  it('Data 2.2: unknown top-level properties are rejected', () => bad({ ...base(), foo: 1 }, /Data 2.2/));
  it('Data 2.4.1: id must be a UUID', () => bad({ ...base(), id: 'not-a-uuid' }, /Data 2.4.1/));

  it('Data 2.4.2.1: actor has exactly one IFI (none)', () => bad(withActor({ name: 'x' }), /Data 2.4.2.1/));
  it('Data 2.4.2.1: actor has exactly one IFI (two)', () =>
    bad(withActor({ mbox: 'mailto:a@b.c', openid: 'https://id.example/a' }), /Data 2.4.2.1/));
  it('Data 2.4.2.3: mbox must be a mailto: IRI', () =>
    bad(withActor({ mbox: 'jane@example.com' }), /Data 2.4.2.3/));
  it('Data 2.4.2.3: mbox_sha1sum must be 40 hex digits', () => {
    bad(withActor({ mbox_sha1sum: 'abc' }), /Data 2.4.2.3/);
    ok(withActor({ mbox_sha1sum: 'a'.repeat(40) }));
  });
  it('Data 2.4.2.3: openid must be an absolute IRI', () =>
    bad(withActor({ openid: 'not an iri' }), /Data 2.4.2.3/));
  it('Data 2.4.2.4: account needs homePage (IRI) and name', () => {
    ok(withActor({ account: { homePage: 'https://lms.example', name: '42' } }));
    bad(withActor({ account: { name: '42' } }), /Data 2.4.2.4/);
    bad(withActor({ account: { homePage: 'https://lms.example', name: '42', extra: 1 } }), /Data 2.4.2.4/);
  });
  it('Data 2.4.2.1: an Agent object needs objectType "Agent"', () =>
    bad({ ...base(), object: { mbox: 'mailto:x@y.z' } }, /Data 2.4.4.1/));
  it('Data 2.4.2.2: an anonymous Group lists members; members are Agents, not Groups', () => {
    bad(withActor({ objectType: 'Group' }), /Data 2.4.2.2/);
    ok(withActor({ objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] }));
    bad(
      withActor({
        objectType: 'Group',
        member: [{ objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] }],
      }),
      /Data 2.4.2.2/,
    );
  });
  it('Data 2.4.2.2: an identified Group has exactly one IFI', () =>
    bad(
      withActor({ objectType: 'Group', mbox: 'mailto:g@b.c', openid: 'https://g.example' }),
      /Data 2.4.2.2/,
    ));

  it('Data 2.4.3: verb.id is an absolute IRI', () =>
    bad({ ...base(), verb: { id: 'completed' } }, /Data 2.4.3/));
  it('Data 4.2 (RFC 5646): language map keys are valid language tags', () => {
    bad({ ...base(), verb: { id: 'http://v.example/x', display: { 'not a tag': 'x' } } }, /RFC 5646/);
    ok({
      ...base(),
      verb: { id: 'http://v.example/x', display: { 'zh-Hant-TW': 'x', 'en-GB-oed': 'y', und: 'z' } },
    });
  });
  it('Data 4.2: language map values are strings', () =>
    bad({ ...base(), verb: { id: 'http://v.example/x', display: { en: 1 } } }, /Data 4.2/));

  it('Data 2.4.4.1: activity id is an absolute IRI', () =>
    bad({ ...base(), object: { id: 'course-1' } }, /Data 2.4.4.1/));
  it('Data 2.4.4.1: definition type and moreInfo are IRIs; interactionType is known', () => {
    bad({ ...base(), object: { id: 'https://a.example', definition: { type: 'course' } } }, /Data 2.4.4.1/);
    bad(
      { ...base(), object: { id: 'https://a.example', definition: { interactionType: 'essay' } } },
      /Data 2.4.4.1.1/,
    );
  });
  it('Data 2.4.4.1.1: interaction components need an interactionType and unique ids', () => {
    bad(
      { ...base(), object: { id: 'https://a.example', definition: { choices: [{ id: 'a' }] } } },
      /Data 2.4.4.1.1/,
    );
    bad(
      {
        ...base(),
        object: {
          id: 'https://a.example',
          definition: { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] },
        },
      },
      /Data 2.4.4.1.1/,
    );
  });
  it('Data 4.1: extension keys are absolute IRIs', () =>
    bad(
      { ...base(), object: { id: 'https://a.example', definition: { extensions: { foo: 1 } } } },
      /Data 4.1/,
    ));
  it('Data 2.4.4.3: a StatementRef has a UUID id', () => {
    ok({ ...base(), object: { objectType: 'StatementRef', id: '0f8e6a52-0000-4000-8000-000000000001' } });
    bad({ ...base(), object: { objectType: 'StatementRef', id: 'x' } }, /Data 2.4.4.3/);
  });
  it('Data 2.4.4.3: a SubStatement is valid and cannot nest a SubStatement', () => {
    const sub = { objectType: 'SubStatement', ...base() };
    ok({ ...base(), object: sub });
    bad({ ...base(), object: { ...sub, object: { objectType: 'SubStatement', ...base() } } }, /Data 2.4.4.3/);
    bad({ ...base(), object: { ...sub, id: '0f8e6a52-0000-4000-8000-000000000001' } }, /SubStatement/);
  });
  it('Data 2.4.4: an unknown objectType is rejected', () =>
    bad({ ...base(), object: { objectType: 'Thing', id: 'https://a' } }, /Data 2.4.4/));

  it('Data 2.4.5.1: score.scaled is within [-1, 1]', () => {
    bad({ ...base(), result: { score: { scaled: 1.5 } } }, /Data 2.4.5.1/);
    ok({ ...base(), result: { score: { scaled: -1 } } });
  });
  it('Data 2.4.5.1: raw lies between min and max, and min < max', () => {
    bad({ ...base(), result: { score: { raw: 11, min: 0, max: 10 } } }, /Data 2.4.5.1/);
    bad({ ...base(), result: { score: { min: 5, max: 5 } } }, /Data 2.4.5.1/);
    ok({ ...base(), result: { score: { raw: 7, min: 0, max: 10 } } });
  });
  it('Data 2.4.5: success and completion are booleans', () =>
    bad({ ...base(), result: { completion: 'yes' } }, /Data 2.4.5/));
  it('Data 4.6: result.duration is an ISO 8601 duration (extra precision accepted)', () => {
    ok({ ...base(), result: { duration: 'PT42M10.12345S' } });
    ok({ ...base(), result: { duration: 'P2W' } });
    bad({ ...base(), result: { duration: '42 minutes' } }, /Data 4.6/);
    bad({ ...base(), result: { duration: 'P1WT1H' } }, /Data 4.6/);
  });

  it('Data 2.4.7: timestamp is ISO 8601 with a time zone', () => {
    ok({ ...base(), timestamp: '2026-03-05T18:22:41+02:00' });
    ok({ ...base(), timestamp: '2099-01-01T00:00:00Z' }); // a future timestamp is not rejected
    bad({ ...base(), timestamp: '2026-03-05T18:22:41' }, /Data 2.4.7/);
    bad({ ...base(), timestamp: '2026-03-05T18:22:41-00:00' }, /Data 2.4.7/);
  });
  it('Data 2.4.6: registration is a UUID; revision/platform only with an Activity object', () => {
    bad({ ...base(), context: { registration: 'x' } }, /Data 2.4.6/);
    bad(
      { ...base(), object: { objectType: 'Agent', mbox: 'mailto:a@b.c' }, context: { platform: 'web' } },
      /Data 2.4.6/,
    );
    ok({ ...base(), context: { platform: 'web', revision: '2' } });
  });
  it('Data 2.4.6.2: contextActivities accept a single object, an array, or {}', () => {
    ok({ ...base(), context: { contextActivities: { parent: { id: 'https://p.example' } } } });
    ok({ ...base(), context: { contextActivities: { grouping: [{ id: 'https://g.example' }] } } });
    ok({ ...base(), context: { contextActivities: {} } });
    bad({ ...base(), context: { contextActivities: { sibling: [] } } }, /Data 2.4.6.2/);
  });
  it('xAPI 2.0 Data 2.4.6: contextAgents and contextGroups are accepted in 2.0 only', () => {
    const s = {
      ...base(),
      context: {
        contextAgents: [
          {
            objectType: 'contextAgent',
            agent: { mbox: 'mailto:a@b.c' },
            relevantTypes: ['https://t.example'],
          },
        ],
      },
    };
    ok(s, '2.0');
    bad(s, /Data 2.4.6/, '1.0');
  });
  it('Data 2.4.10: version is 1.0.x or 2.0.x', () => {
    ok({ ...base(), version: '2.0.0' }, '2.0');
    bad({ ...base(), version: '0.95' }, /Data 2.4.10/);
  });
  it('Data 2.3.2 (voiding): a voiding statement has a StatementRef object', () =>
    bad({ ...base(), verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } }, /voiding/));
  it('Data 2.4.11: attachments need usageType, display, contentType, length and sha2', () => {
    bad({ ...base(), attachments: [{ usageType: 'https://u.example' }] }, /Data 2.4.11/);
    ok({
      ...base(),
      attachments: [
        {
          usageType: 'https://u.example',
          display: { en: 'x' },
          contentType: 'text/plain',
          length: 3,
          sha2: 'a'.repeat(64),
          fileUrl: 'https://f.example/x',
        },
      ],
    });
  });
});
