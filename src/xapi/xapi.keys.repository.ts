// The token signing key: 32 random bytes, sealed in `settings`, shared by every instance that uses
// the same database (so a token issued by one instance is accepted by the others).
import type { Db } from '../db/db.js';

const KEY = 'xapi.token_hs256_key';

export async function getSealedSigningKey(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return row?.value;
}

/** Stores the key unless another instance did first; returns the one that won. */
export async function putSealedSigningKeyOnce(db: Db, sealed: string, now: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: KEY, value: sealed, updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSealedSigningKey(db)) ?? sealed;
}
