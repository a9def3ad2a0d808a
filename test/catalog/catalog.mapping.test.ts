// One test per row of the seed's course field table, plus hashing and rejection rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapCourse, type MapResult } from '../../src/catalog/catalog.mapping.js';
import { parseDuration } from '../../src/catalog/catalog.duration.js';
import { toPlatformLanguage, PLATFORM_LANGUAGES } from '../../src/catalog/catalog.languages.js';

const base = {
  id: 'course-0001',
  title: 'Preventing Harassment',
  descriptionHtml: '<p>Hello</p>',
  imageUrl: 'https://img.example.com/1.png',
  duration: '00:45:00',
  publisherName: 'Acme Learning',
  languages: ['English'],
  quickLaunchUrl: 'https://launch.example.com/c/1',
  dateUpdated: '2025-03-01T10:00:00Z',
  categories: ['|Compliance|Harassment Prevention'],
  active: true,
  type: 'Course',
};

function ok(item: unknown) {
  const r = mapCourse(item);
  assert.equal(r.ok, true, JSON.stringify(r));
  return r as Extract<MapResult, { ok: true }>;
}
function rejected(item: unknown) {
  const r = mapCourse(item);
  assert.equal(r.ok, false, 'expected a rejection');
  return r as Extract<MapResult, { ok: false }>;
}

describe('course mapping: the seed table, row by row', () => {
  it('id → externalId (string ≤ 50, numbers accepted, longer rejected)', () => {
    assert.equal(ok(base).course.externalId, 'course-0001');
    assert.equal(ok({ ...base, id: 12345 }).course.externalId, '12345');
    const r = rejected({ ...base, id: 'x'.repeat(51) });
    assert.equal(r.code, 'invalid_id');
  });

  it('title → name (trimmed, mandatory)', () => {
    assert.equal(ok({ ...base, title: '  Safety First ' }).course.name, 'Safety First');
    assert.equal(rejected({ ...base, title: '   ' }).code, 'missing_field');
  });

  it('descriptionHtml → description, sanitised to a safe allow-list', () => {
    const html =
      '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><style>p{}</style>' +
      '<a href="javascript:alert(1)">bad</a> <a href="https://ok.example.com">ok</a>' +
      '<img src=x onerror=alert(1)><iframe src="https://evil"></iframe></p>';
    const d = ok({ ...base, descriptionHtml: html }).course.description ?? '';
    assert.doesNotMatch(d, /script|style|onclick|onerror|javascript:|iframe|<img/i);
    assert.match(d, /<b>there<\/b>/);
    assert.match(d, /href="https:\/\/ok\.example\.com"/);
    assert.match(d, /rel="noopener noreferrer nofollow"/);
    assert.equal(ok({ ...base, descriptionHtml: '<script>x</script>' }).course.description, null);
    assert.equal(ok({ ...base, descriptionHtml: undefined }).course.description, null);
  });

  it('imageUrl → image (thumbnailUrl fallback; non-http(s) dropped with a warning, not rejected)', () => {
    assert.equal(ok(base).course.image, 'https://img.example.com/1.png');
    const fallback = ok({ ...base, imageUrl: undefined, thumbnailUrl: 'http://img.example.com/t.png' });
    assert.equal(fallback.course.image, 'http://img.example.com/t.png');
    const bad = ok({ ...base, imageUrl: 'javascript:alert(1)', thumbnailUrl: 'ftp://x/y.png' });
    assert.equal(bad.course.image, null);
    assert.deepEqual(
      bad.warnings.map((w) => w.code),
      ['image_dropped', 'image_dropped'],
    );
    const badThenGood = ok({
      ...base,
      imageUrl: 'data:image/png;base64,xx',
      thumbnailUrl: 'https://t/1.png',
    });
    assert.equal(badThenGood.course.image, 'https://t/1.png');
  });

  it('duration "HH:MM:SS" → courseDuration in minutes (rounded up, min 1, malformed dropped)', () => {
    assert.equal(ok(base).course.durationMinutes, 45);
    assert.equal(ok({ ...base, duration: '01:30:01' }).course.durationMinutes, 91);
    assert.equal(ok({ ...base, duration: '00:00:20' }).course.durationMinutes, 1);
    assert.equal(ok({ ...base, duration: '00:00:00' }).course.durationMinutes, null);
    const bad = ok({ ...base, duration: '1h30' });
    assert.equal(bad.course.durationMinutes, null);
    assert.deepEqual(
      bad.warnings.map((w) => w.code),
      ['duration_dropped'],
    );
    assert.deepEqual(parseDuration('00:61:00'), { ok: false });
    assert.deepEqual(parseDuration('125:00:00'), { ok: true, minutes: 7500 });
  });

  it('publisherName → author', () => {
    assert.equal(ok(base).course.author, 'Acme Learning');
    assert.equal(ok({ ...base, publisherName: undefined }).course.author, null);
  });

  it('languages → lang (first) and other_langs; names and BCP 47 tags; none mappable → rejected', () => {
    const multi = ok({
      ...base,
      languages: ['Brazilian Portuguese', 'en-US', 'zh-Hant', 'Klingon', 'pt-BR'],
    });
    assert.equal(multi.course.lang, 'pt_BR');
    assert.deepEqual(multi.course.otherLangs, ['en', 'zh_HANT']);
    assert.deepEqual(
      multi.warnings.map((w) => w.code),
      ['language_unmapped'],
    );
    const cases: Array<[string, string | undefined]> = [
      ['English', 'en'],
      ['en-GB', 'en_GB'],
      ['British English', 'en_GB'],
      ['Spanish (Mexico)', 'es_MX'],
      ['es-419', 'es'],
      ['zh-TW', 'zh_tw'],
      ['zh-HK', 'zh_HANT'],
      ['Chinese (Traditional)', 'zh_HANT'],
      ['zh-CN', 'zh'],
      ['Hebrew', 'he_IL'],
      ['iw', 'he_IL'],
      ['nb', 'no'],
      ['Filipino', 'tl_PH'],
      ['Deutsch', 'de'],
      ['German (Austria)', 'de'],
      ['fr_CA', 'fr_CA'],
      ['Klingon', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(toPlatformLanguage(input), expected, input);
    // Every platform code maps to itself.
    for (const code of PLATFORM_LANGUAGES) assert.equal(toPlatformLanguage(code), code);
    assert.equal(rejected({ ...base, languages: ['Klingon', 'Elvish'] }).code, 'no_mappable_language');
    assert.equal(rejected({ ...base, languages: [] }).code, 'missing_field');
  });

  it('quickLaunchUrl → launchUrl (https only, else rejected)', () => {
    assert.equal(ok(base).course.launchUrl, 'https://launch.example.com/c/1');
    const r = rejected({ ...base, quickLaunchUrl: 'http://launch.example.com/c/1' });
    assert.equal(r.code, 'invalid_launch_url');
    assert.equal(r.externalId, 'course-0001');
    assert.equal(rejected({ ...base, quickLaunchUrl: 'not a url' }).code, 'invalid_launch_url');
    assert.equal(rejected({ ...base, quickLaunchUrl: 'javascript:alert(1)' }).code, 'invalid_launch_url');
    // The local sandbox: plain http on a loopback host only.
    assert.equal(
      ok({ ...base, quickLaunchUrl: 'http://127.0.0.1:4000/player/x' }).course.launchUrl,
      'http://127.0.0.1:4000/player/x',
    );
  });

  it('dateUpdated → modifiedAt (ISO 8601, normalised to UTC; else rejected)', () => {
    assert.equal(ok(base).course.modifiedAt, '2025-03-01T10:00:00.000Z');
    assert.equal(
      ok({ ...base, dateUpdated: '2025-03-01T12:00:00+02:00' }).course.modifiedAt,
      '2025-03-01T10:00:00.000Z',
    );
    assert.equal(ok({ ...base, dateUpdated: '2025-03-01' }).course.modifiedAt, '2025-03-01T00:00:00.000Z');
    assert.equal(rejected({ ...base, dateUpdated: 'March 1st' }).code, 'invalid_date_updated');
    assert.equal(rejected({ ...base, dateUpdated: '2025-13-45' }).code, 'invalid_date_updated');
  });

  it('categories "|A|B" → subjects (every segment, deduplicated)', () => {
    const r = ok({
      ...base,
      categories: ['|Compliance|Harassment Prevention', '|Compliance|Safety', '|Leadership'],
    });
    assert.deepEqual(r.course.subjects, ['Compliance', 'Harassment Prevention', 'Safety', 'Leadership']);
    assert.deepEqual(ok({ ...base, categories: undefined }).course.subjects, []);
  });

  it('active (true/false/1/0/strings) → archived when false; anything else rejected', () => {
    for (const v of [true, 1, 'true', 'TRUE', '1', 'yes'])
      assert.equal(ok({ ...base, active: v }).course.active, true);
    for (const v of [false, 0, 'false', 'False', '0', 'no'])
      assert.equal(ok({ ...base, active: v }).course.active, false);
    assert.equal(rejected({ ...base, active: 'maybe' }).code, 'invalid_active');
    assert.equal(rejected({ ...base, active: undefined }).code, 'missing_field');
  });

  it('type → contentType (known and synonyms mapped; unknown → course, raw kept; missing rejected)', () => {
    assert.equal(ok({ ...base, type: 'Video' }).course.contentType, 'video');
    assert.equal(ok({ ...base, type: 'e-learning' }).course.contentType, 'course');
    assert.equal(ok({ ...base, type: 'Quiz' }).course.contentType, 'assessment');
    const unknown = ok({ ...base, type: 'Hologram' });
    assert.equal(unknown.course.contentType, 'course');
    assert.equal(unknown.course.sourceType, 'Hologram');
    assert.deepEqual(
      unknown.warnings.map((w) => w.code),
      ['content_type_unknown'],
    );
    assert.equal(rejected({ ...base, type: undefined }).code, 'missing_field');
  });
});

describe('course mapping: rejections and hash', () => {
  it('lists every missing mandatory field in one reason, with the external id when known', () => {
    const r = rejected({ id: 'abc', title: 'x' });
    assert.equal(r.code, 'missing_field');
    assert.equal(r.externalId, 'abc');
    assert.match(r.reason, /languages, quickLaunchUrl, dateUpdated, active, type/);
    const noId = rejected({ title: 'x' });
    assert.equal(noId.externalId, undefined);
    assert.equal(rejected('nope').code, 'invalid_item');
    assert.equal(rejected(null).code, 'invalid_item');
  });

  it('hash is stable, ignores key order and activity, and changes with content', () => {
    const a = ok(base).hash;
    const reordered = Object.fromEntries(Object.entries(base).reverse());
    assert.equal(ok(reordered).hash, a);
    assert.equal(ok({ ...base, active: false }).hash, a);
    assert.equal(ok({ ...base, unknownVendorField: 1 }).hash, a);
    assert.notEqual(ok({ ...base, title: 'Other' }).hash, a);
    assert.notEqual(ok({ ...base, categories: ['|Other'] }).hash, a);
    assert.match(a, /^[0-9a-f]{64}$/);
  });
});
