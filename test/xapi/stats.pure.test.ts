// DESIGN rule 3: one test per row of the seed's statistics table, then the attempt rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { courseKeyCandidates, statementToStatistic, type Statistic } from '../../src/stats/stats.mapping.js';
import { planLaunch, planStatistic, type Attempt } from '../../src/platform/attempts.rules.js';
import { toCsv, summarize } from '../../src/stats/stats.summary.js';

const stmt = (result: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  actor: { mbox: 'mailto:Jane.Doe@Example.COM' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: 'https://opensesame.example/course/abc' },
  timestamp: '2026-03-05T18:22:41.000Z',
  result,
  ...extra,
});
const map = (s: Record<string, unknown>): Statistic => {
  const out = statementToStatistic(s);
  assert.ok(out.ok);
  return out.statistic;
};

describe('statistics mapping (seed table)', () => {
  it('object.id → externalCourseId (the IRI, then ids embedded in a quickLaunch-style URL)', () => {
    assert.equal(map(stmt()).objectId, 'https://opensesame.example/course/abc');
    assert.deepEqual(courseKeyCandidates('https://os.example/quickLaunch?courseId=C-1&x=2'), [
      'https://os.example/quickLaunch?courseId=C-1&x=2',
      'C-1',
      'quickLaunch',
    ]);
    assert.deepEqual(courseKeyCandidates('urn:opensesame:course:42'), ['urn:opensesame:course:42', '42']);
  });
  it('actor.mbox → learnerMail (case-insensitive, mailto: stripped)', () =>
    assert.equal(map(stmt()).learnerMail, 'jane.doe@example.com'));
  it('result.completion → progress (true → 100; false → no change)', () => {
    assert.equal(map(stmt({ completion: true })).progress, 100);
    assert.equal(map(stmt({ completion: false })).progress, undefined);
  });
  it('result.success → result (success / failed)', () => {
    assert.equal(map(stmt({ success: true })).result, 'success');
    assert.equal(map(stmt({ success: false })).result, 'failed');
  });
  it('result.score.scaled → score (0–100)', () => {
    assert.equal(map(stmt({ score: { scaled: 0.9 } })).score, 90);
    assert.equal(map(stmt({ score: { scaled: -0.5 } })).score, 0);
    assert.equal(map(stmt({ score: { raw: 9 } })).score, undefined);
  });
  it('result.duration → timeSpentInMilliseconds', () =>
    assert.equal(map(stmt({ duration: 'PT42M10S' })).timeSpentMs, 2_530_000));
  it('timestamp → completedAt (when the statement completes the course)', () => {
    assert.equal(map(stmt({ completion: true })).completedAt, '2026-03-05T18:22:41.000Z');
    assert.equal(map(stmt({ success: true })).completedAt, undefined);
  });
  it('a statement without mbox, or whose object is not an Activity, is not a statistic', () => {
    assert.deepEqual(statementToStatistic(stmt({}, { actor: { openid: 'https://id.example/x' } })), {
      ok: false,
      reason: 'no_learner_mail',
    });
    assert.deepEqual(statementToStatistic(stmt({}, { object: { objectType: 'StatementRef', id: 'x' } })), {
      ok: false,
      reason: 'not_a_course',
    });
  });
});

const attempt = (over: Partial<Attempt>): Attempt => ({
  id: 'a1',
  entry_type: 'catalog',
  entry_id: null,
  progress: 50,
  result: null,
  score: null,
  time_spent_ms: null,
  first_activity_at: '2026-03-01T10:00:00.000Z',
  last_activity_at: '2026-03-01T10:00:00.000Z',
  completed_at: null,
  ...over,
});
const stat: Statistic = {
  objectId: 'x',
  learnerMail: 'j@x',
  progress: 100,
  result: 'success',
  score: 90,
  timeSpentMs: 1000,
  completedAt: '2026-03-05T18:00:00.000Z',
  at: '2026-03-05T18:00:00.000Z',
};

describe('attempt rules (360learning-platform.md, Launch and attempts)', () => {
  it('launch creates an attempt at 50 % with last activity now', () => {
    const plan = planLaunch([], { type: 'catalog', id: null }, '2026-03-01T10:00:00.000Z');
    assert.equal(plan.kind, 'create');
    if (plan.kind === 'create') {
      assert.equal(plan.attempt.progress, 50);
      assert.equal(plan.attempt.last_activity_at, '2026-03-01T10:00:00.000Z');
      assert.equal(plan.attempt.origin, 'launch');
    }
  });
  it('launch creates one attempt per entry point, and reuses the open one of the same entry', () => {
    const open = attempt({ entry_type: 'path', entry_id: 'p1' });
    assert.equal(
      planLaunch([open], { type: 'program', id: 's1' }, '2026-03-02T00:00:00.000Z').kind,
      'create',
    );
    const again = planLaunch([open], { type: 'path', id: 'p1' }, '2026-03-02T00:00:00.000Z');
    assert.deepEqual(again, {
      kind: 'update',
      id: 'a1',
      patch: { progress: 50, last_activity_at: '2026-03-02T00:00:00.000Z' },
    });
  });
  it('launch after a completion creates a new attempt', () => {
    const done = attempt({ progress: 100, completed_at: '2026-03-01T11:00:00.000Z' });
    assert.equal(
      planLaunch([done], { type: 'catalog', id: null }, '2026-03-09T00:00:00.000Z').kind,
      'create',
    );
  });
  it('a statement updates the open attempt, preferring the most recently active entry point', () => {
    const older = attempt({ id: 'old', last_activity_at: '2026-03-01T00:00:00.000Z' });
    const newer = attempt({
      id: 'new',
      entry_type: 'path',
      entry_id: 'p',
      last_activity_at: '2026-03-04T00:00:00.000Z',
    });
    const plan = planStatistic([older, newer], stat);
    assert.equal(plan.kind, 'update');
    if (plan.kind === 'update') {
      assert.equal(plan.id, 'new');
      assert.equal(plan.patch.progress, 100);
      assert.equal(plan.patch.completed_at, '2026-03-05T18:00:00.000Z');
      assert.equal(plan.patch.score, 90);
      assert.equal(plan.patch.result, 'success');
    }
  });
  it('a statement with no attempt creates one (Go1 behaviour)', () => {
    const plan = planStatistic([], stat);
    assert.equal(plan.kind, 'create');
    if (plan.kind === 'create') assert.equal(plan.attempt.origin, 'statement');
  });
  it('a second statement of the same completion (passed after completed) joins that attempt', () => {
    const done = attempt({
      progress: 100,
      completed_at: '2026-03-05T18:00:00.000Z',
      last_activity_at: '2026-03-05T18:00:00.000Z',
    });
    assert.equal(planStatistic([done], { ...stat, at: '2026-03-05T18:01:00.000Z' }).kind, 'update');
    assert.equal(planStatistic([done], { ...stat, at: '2026-04-05T18:01:00.000Z' }).kind, 'create');
  });
  it('time spent keeps the largest duration reported for the attempt', () => {
    const plan = planStatistic([attempt({ time_spent_ms: 5000 })], stat);
    assert.ok(plan.kind === 'update' && plan.patch.time_spent_ms === 5000);
  });
  it('CSV export escapes quotes and neutralises formulas', () => {
    const csv = toCsv(
      summarize([
        {
          user_id: 'u',
          user_name: '=cmd()',
          user_email: 'a@b',
          course_id: 'c',
          course_name: 'A, "B"',
          progress: 100,
          result: 'success',
          score: 90,
          time_spent_ms: 1,
          last_activity_at: 't',
          completed_at: 't',
        },
      ]),
    );
    assert.match(csv, /'=cmd\(\)/);
    assert.match(csv, /"A, ""B"""/);
  });
});
