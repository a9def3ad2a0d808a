// The pure rules, without a database.
import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import { can, effectiveRoles, isInSubtree, visibleCatalogGroups } from '../../src/platform/roles.js';
import { hashPassword, verifyPassword } from '../../src/platform/passwords.js';

describe('roles', () => {
  it('inherits admin from ancestors, and only admin', () => {
    const ms = [
      { groupId: 'root', role: 'admin' as const },
      { groupId: 'mid', role: 'coach' as const },
    ];
    assert.deepEqual(effectiveRoles(ms, ['leaf', 'mid', 'root']), ['admin']);
    assert.deepEqual(effectiveRoles(ms, ['mid', 'root']), ['admin', 'coach']);
    assert.deepEqual(effectiveRoles([{ groupId: 'mid', role: 'learner' }], ['leaf', 'mid']), []);
  });

  it('lets platform admins do everything and learners only read', () => {
    assert.equal(can({ isPlatformAdmin: true, roles: [] }, 'integration.manage'), true);
    assert.equal(can({ isPlatformAdmin: false, roles: ['learner'] }, 'group.read'), true);
    assert.equal(can({ isPlatformAdmin: false, roles: ['learner'] }, 'catalog.add'), false);
    assert.equal(can({ isPlatformAdmin: false, roles: ['coach'] }, 'library.add'), false);
    assert.equal(can({ isPlatformAdmin: false, roles: ['author'] }, 'library.add'), true);
  });

  it("shows public ancestors' catalogs up to the first private group", () => {
    const tree = new Map([
      ['root', { parentId: null, isPublic: true }],
      ['priv', { parentId: 'root', isPublic: false }],
      ['pub', { parentId: 'root', isPublic: true }],
      ['deep', { parentId: 'priv', isPublic: true }],
    ]);
    assert.deepEqual(visibleCatalogGroups(['pub'], tree).sort(), ['pub', 'root']);
    assert.deepEqual(visibleCatalogGroups(['priv'], tree), ['priv']);
    assert.deepEqual(visibleCatalogGroups(['deep'], tree), ['deep']);
  });

  it('detects a move under its own subtree', () => {
    const parent: Record<string, string | null> = { a: null, b: 'a', c: 'b' };
    assert.equal(
      isInSubtree('c', 'a', (id) => parent[id]),
      true,
    );
    assert.equal(
      isInSubtree('a', 'c', (id) => parent[id]),
      false,
    );
  });
});

describe('passwords', () => {
  it('hashes with a salt and stored parameters, and verifies', async () => {
    const params = { N: 1024, r: 8, p: 1, keyLength: 32 };
    const a = await hashPassword('a long passphrase', params);
    const b = await hashPassword('a long passphrase', params);
    assert.notEqual(a, b);
    assert.match(a, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword('a long passphrase', a), true);
    assert.equal(await verifyPassword('a long passphrase!', a), false);
    assert.equal(await verifyPassword('x', 'not-a-hash'), false);
  });
});
