import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretBox, safeEqual } from '../src/secrets.js';

describe('secrets at rest', () => {
  it('seals and opens, never storing the plain text', () => {
    const box = createSecretBox('k'.repeat(40));
    const sealed = box.seal('client-secret-123');
    assert.ok(!sealed.includes('client-secret-123'));
    assert.equal(box.open(sealed), 'client-secret-123');
    assert.notEqual(box.seal('x'), box.seal('x'), 'a fresh IV each time');
  });

  it('refuses a value sealed under another key or tampered with', () => {
    const sealed = createSecretBox('a'.repeat(40)).seal('s');
    assert.throws(() => createSecretBox('b'.repeat(40)).open(sealed));
    assert.throws(() => createSecretBox('a'.repeat(40)).open(sealed.slice(0, -2) + 'AA'));
  });

  it('compares in constant time', () => {
    assert.ok(safeEqual('abc', 'abc'));
    assert.ok(!safeEqual('abc', 'abd'));
  });
});
