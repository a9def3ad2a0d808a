import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../src/config.js';

describe('config', () => {
  it('defaults to SQLite under ./data and the embedded sandbox', () => {
    const c = parseConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.database.engine, 'sqlite');
    assert.match(c.database.engine === 'sqlite' ? c.database.file : '', /data[/\\]sesame-bridge\.sqlite$/);
    assert.equal(c.openSesame, undefined);
    assert.equal(c.sync.cron, '50 6 * * *');
    assert.equal(c.sync.timeZone, 'Europe/Paris');
    assert.equal(c.publicBaseUrl, 'http://localhost:3000');
    assert.ok(Object.isFrozen(c));
  });

  it('lists every bad key at once', () => {
    assert.throws(
      () =>
        parseConfig({
          PORT: 'abc',
          DATABASE_URL: 'mysql://x',
          SYNC_TIMEZONE: 'Mars/Olympus',
          MASS_ARCHIVE_THRESHOLD: '2',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.problems.join('\n');
        assert.match(text, /PORT/);
        assert.match(text, /DATABASE_URL/);
        assert.match(text, /MASS_ARCHIVE_THRESHOLD/);
        return true;
      },
    );
  });

  it('rejects a bad time zone', () => {
    assert.throws(() => parseConfig({ SYNC_TIMEZONE: 'Mars/Olympus' }), /SYNC_CRON \/ SYNC_TIMEZONE/);
  });

  it('refuses partial OpenSesame settings', () => {
    assert.throws(
      () => parseConfig({ OPENSESAME_API_URL: 'https://api.example.com' }),
      /OPENSESAME_CLIENT_ID/,
    );
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1/db',
      PUBLIC_BASE_URL: 'https://lms.example.com/',
    });
    assert.equal(c.database.engine, 'postgres');
    assert.equal(c.publicBaseUrl, 'https://lms.example.com');
  });
});
