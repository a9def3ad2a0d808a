// Creating people and putting them in groups: the rules shared by the REST API, the CLI and seeds.
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { findUserByEmail, getUser, insertUser, type UserRow } from './users.repository.js';
import { getGroup, upsertMembership } from './groups.repository.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export type NewUser = {
  email: string;
  name: string;
  /** Null: no password (signs in with API tokens only, or until one is set). */
  password: string | null;
  isPlatformAdmin?: boolean;
};

export async function createUser(ctx: AppContext, input: NewUser): Promise<UserRow> {
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 320)
    throw Invalid('invalid_email', `Not an e-mail address: ${email}`);
  if (!input.name.trim()) throw Invalid('invalid_name', 'A name is required.');
  if (input.password !== null) {
    const problem = passwordProblem(input.password);
    if (problem) throw Invalid('weak_password', `The password ${problem}.`);
  }
  if (await findUserByEmail(ctx.db, email))
    throw Conflict('email_taken', `A user with the e-mail ${email} already exists.`);
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  try {
    return await insertUser(ctx.db, {
      email,
      name: input.name,
      passwordHash,
      isPlatformAdmin: input.isPlatformAdmin ?? false,
      now: ctx.clock.now().toISOString(),
    });
  } catch (err) {
    // Two creations racing: the unique index on email_normalized decides.
    if (await findUserByEmail(ctx.db, email))
      throw Conflict('email_taken', `A user with the e-mail ${email} already exists.`);
    throw err;
  }
}

export async function addMember(
  ctx: AppContext,
  groupId: string,
  member: { userId?: string | undefined; email?: string | undefined },
  role: Role,
): Promise<UserRow> {
  if (!(await getGroup(ctx.db, groupId))) throw NotFound('group_not_found', `No group ${groupId}.`);
  const user = member.userId
    ? await getUser(ctx.db, member.userId)
    : member.email
      ? await findUserByEmail(ctx.db, member.email)
      : undefined;
  if (!member.userId && !member.email) throw Invalid('member_required', 'Give userId or email.');
  if (!user) throw NotFound('user_not_found', `No user ${member.userId ?? member.email}.`);
  await upsertMembership(ctx.db, { groupId, userId: user.id, role, now: ctx.clock.now().toISOString() });
  return user;
}
