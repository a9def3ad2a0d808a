import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchedule, latestDue, nextRun, scheduleAnchor } from '../../src/integrations/schedule.js';
import { fixedClock } from '../../src/clock.js';

const PARIS = { cron: '50 6 * * *', timeZone: 'Europe/Paris' };

describe('schedule arithmetic', () => {
  it('runs at 06:50 Paris on the spring-forward day (Mar 29, 2026): 05:50Z before, 04:50Z from that day', () => {
    const clock = fixedClock('2026-03-28T12:00:00Z');
    assert.equal(nextRun(PARIS, new Date('2026-03-27T12:00:00Z'))?.toISOString(), '2026-03-28T05:50:00.000Z');
    assert.equal(nextRun(PARIS, clock.now())?.toISOString(), '2026-03-29T04:50:00.000Z');
    // 02:00 -> 03:00 local happens at 01:00Z; a clock standing in the skipped hour still finds 06:50.
    clock.set('2026-03-29T01:30:00Z');
    assert.equal(nextRun(PARIS, clock.now())?.toISOString(), '2026-03-29T04:50:00.000Z');
    clock.set('2026-03-29T04:50:00Z');
    assert.equal(nextRun(PARIS, clock.now())?.toISOString(), '2026-03-30T04:50:00.000Z');
  });

  it('runs at 06:50 Paris on the fall-back day (Oct 25, 2026): 04:50Z before, 05:50Z from that day', () => {
    const clock = fixedClock('2026-10-24T12:00:00Z');
    assert.equal(nextRun(PARIS, new Date('2026-10-23T12:00:00Z'))?.toISOString(), '2026-10-24T04:50:00.000Z');
    assert.equal(nextRun(PARIS, clock.now())?.toISOString(), '2026-10-25T05:50:00.000Z');
    // 04:50Z on that day is 05:50 local (winter time already): not yet due.
    clock.set('2026-10-25T04:50:00Z');
    assert.equal(latestDue(PARIS, new Date('2026-10-24T04:50:00Z'), clock.now()), null);
    clock.set('2026-10-25T05:50:00Z');
    assert.equal(
      latestDue(PARIS, new Date('2026-10-24T04:50:00Z'), clock.now())?.toISOString(),
      '2026-10-25T05:50:00.000Z',
    );
  });

  it('runs once a day across the switch, never twice and never skipped', () => {
    const runs: string[] = [];
    let cursor = new Date('2026-10-23T00:00:00Z');
    for (let i = 0; i < 4; i++) {
      const next = nextRun(PARIS, cursor)!;
      runs.push(next.toISOString());
      cursor = next;
    }
    assert.deepEqual(runs, [
      '2026-10-23T04:50:00.000Z',
      '2026-10-24T04:50:00.000Z',
      '2026-10-25T05:50:00.000Z',
      '2026-10-26T05:50:00.000Z',
    ]);
  });

  it('collapses missed runs into the latest one and finds none when nothing fell due', () => {
    const after = new Date('2026-06-01T04:50:00Z');
    assert.equal(
      latestDue(PARIS, after, new Date('2026-06-04T09:00:00Z'))?.toISOString(),
      '2026-06-04T04:50:00.000Z',
    );
    assert.equal(latestDue(PARIS, after, new Date('2026-06-02T04:49:59Z')), null);
    assert.equal(latestDue(PARIS, after, after), null);
  });

  it('counts from the last claimed run, else from activation', () => {
    const base = { created_at: '2026-01-01T00:00:00.000Z', activated_at: '2026-01-02T00:00:00.000Z' };
    assert.equal(
      scheduleAnchor({ ...base, last_scheduled_for: null }).toISOString(),
      '2026-01-02T00:00:00.000Z',
    );
    assert.equal(
      scheduleAnchor({ ...base, last_scheduled_for: '2026-01-05T05:50:00.000Z' }).toISOString(),
      '2026-01-05T05:50:00.000Z',
    );
  });

  it('honours another time zone per integration', () => {
    const ny = { cron: '0 7 * * 1-5', timeZone: 'America/New_York' };
    // Saturday Mar 7, 2026 -> Monday Mar 9 (the US switched on Mar 8): 07:00 EDT = 11:00Z.
    assert.equal(nextRun(ny, new Date('2026-03-07T00:00:00Z'))?.toISOString(), '2026-03-09T11:00:00.000Z');
  });

  it('validates patterns and zones with a reason', () => {
    assert.equal(checkSchedule(PARIS), null);
    assert.equal(checkSchedule({ cron: '50 6 * * *', timeZone: 'Mars/Olympus' })?.field, 'timeZone');
    assert.equal(checkSchedule({ cron: 'every day', timeZone: 'UTC' })?.field, 'cron');
    assert.equal(checkSchedule({ cron: '0 0 6 * * *', timeZone: 'UTC' })?.field, 'cron');
    assert.match(
      checkSchedule({ cron: '*/5 * * * *', timeZone: 'UTC' })?.message ?? '',
      /at least 60 minutes/,
    );
    assert.equal(checkSchedule({ cron: '0 */2 * * *', timeZone: 'UTC' }), null);
  });
});
