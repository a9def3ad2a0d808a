import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { healthOf, xapiBlock } from '../../src/integrations/integrations.mapping.js';
import { uuidFromKey } from '../../src/integrations/integrations.queue.js';
import type { RunRow } from '../../src/integrations/integrations.repository.js';

const run = (status: string): RunRow => ({
  id: 'r',
  trigger: 'schedule',
  status,
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: null,
  listed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  archived: 0,
  restored: 0,
  rejected: 0,
  held_archives: 0,
  error_code: null,
  error_message: null,
});

describe('integration view rules', () => {
  it('health: held beats failed, failed when the last run failed, ok otherwise', () => {
    assert.equal(healthOf({ archive_hold_run_id: null }, 0), 'ok');
    assert.equal(healthOf({ archive_hold_run_id: null }, 0, run('succeeded')), 'ok');
    assert.equal(healthOf({ archive_hold_run_id: null }, 0, run('running')), 'ok');
    assert.equal(healthOf({ archive_hold_run_id: null }, 0, run('failed')), 'failed');
    assert.equal(healthOf({ archive_hold_run_id: 'r' }, 3, run('failed')), 'held');
    assert.equal(healthOf({ archive_hold_run_id: null }, 2, run('succeeded')), 'held');
  });

  it('builds the xAPI block from the public base URL', () => {
    assert.deepEqual(xapiBlock('https://lms.acme.test', 'osw_x', 's3cret'), {
      lmsAuthUrl: 'https://lms.acme.test/api/opensesame/oauth2/token',
      lmsUrl: 'https://lms.acme.test/api/opensesame/stats',
      clientId: 'osw_x',
      clientSecret: 's3cret',
      scope: 'xapi:write',
      userIdentification: 'MBOX',
    });
  });

  it('derives one stable job id per scheduled time', () => {
    const a = uuidFromKey('i1@2026-03-29T04:50:00.000Z');
    assert.equal(a, uuidFromKey('i1@2026-03-29T04:50:00.000Z'));
    assert.notEqual(a, uuidFromKey('i1@2026-03-30T04:50:00.000Z'));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
