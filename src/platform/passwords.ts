// Password hashing with Node's scrypt. The stored string names the algorithm and its parameters
// ("scrypt$N$r$p$salt$hash"), so the cost can be raised later and old hashes still verify.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export type ScryptParams = { N: number; r: number; p: number; keyLength: number };

/** OWASP's scrypt floor (N=2^17 is their first choice; 2^15 keeps a login near 50 ms on a small box). */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

// Memory needed is 128*N*r bytes; Node's default cap (32 MiB) is exactly at the limit for N=2^15.
const maxmemFor = (params: ScryptParams) => 256 * params.N * params.r;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, params.keyLength, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: maxmemFor(params),
  });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Constant-time check; a malformed stored hash never verifies (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map((x) => Number.parseInt(x ?? '', 10));
  if (!N || !r || !p || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const params = { N, r, p, keyLength: expected.length };
  const actual = await scrypt(password.normalize('NFKC'), salt, expected.length, {
    N,
    r,
    p,
    maxmem: maxmemFor(params),
  });
  return crypto.timingSafeEqual(actual, expected);
}

// Checked against when the e-mail is unknown, so that a wrong address costs the same time as a
// wrong password and logins do not reveal which addresses exist.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A readable random password for generated accounts (~120 bits). */
export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'must be at most 1024 characters';
  return undefined;
}
