// The checks every area's routes call. Each resolves the caller (auth.plugin.ts) and throws a typed
// error: `authentication_required` / `invalid_token` / `session_expired` (401), `insufficient_role`
// or `platform_admin_required` (403), `group_not_found` (404).
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../db/schema.js';
import { Forbidden, Unauthorized } from '../errors.js';
import { getPrincipal, authFailureOf } from './auth.plugin.js';
import type { Principal } from './auth.service.js';
import { groupAccess, type GroupAccess } from './access.js';
import { can, hasAnyRole, rolesAllowing, type GroupAction } from './roles.js';

const FAILURE_MESSAGES: Record<string, string> = {
  invalid_token: 'The API token is unknown or was revoked.',
  session_expired: 'The session has expired; sign in again.',
  authentication_required: 'Sign in or send a personal API token (Authorization: Bearer).',
};

/** The signed-in caller, or 401. */
export async function requireUser(request: FastifyRequest): Promise<Principal> {
  const principal = await getPrincipal(request);
  if (principal) return principal;
  const code = authFailureOf(request) ?? 'authentication_required';
  throw Unauthorized(code, FAILURE_MESSAGES[code] ?? 'Authentication required.');
}

export async function requirePlatformAdmin(request: FastifyRequest): Promise<Principal> {
  const principal = await requireUser(request);
  if (!principal.isPlatformAdmin)
    throw Forbidden('platform_admin_required', 'Only a platform administrator can do this.');
  return principal;
}

export type GroupGrant = GroupAccess & { principal: Principal };

/** The caller must hold one of `roles` in the group (admins of an ancestor count as admin). */
export async function requireGroupRole(
  request: FastifyRequest,
  groupId: string,
  roles: readonly Role[],
): Promise<GroupGrant> {
  const principal = await requireUser(request);
  const access = await groupAccess(request.server.ctx.db, principal, groupId);
  const subject = { isPlatformAdmin: principal.isPlatformAdmin, roles: access.roles };
  if (!hasAnyRole(subject, roles))
    throw Forbidden('insufficient_role', `This needs the ${roles.join(' or ')} role in group ${groupId}.`);
  return { ...access, principal };
}

/** The caller must have a role that allows `action` in the group (the table in roles.ts). */
export async function requireGroupAction(
  request: FastifyRequest,
  groupId: string,
  action: GroupAction,
): Promise<GroupGrant> {
  const principal = await requireUser(request);
  const access = await groupAccess(request.server.ctx.db, principal, groupId);
  if (!can({ isPlatformAdmin: principal.isPlatformAdmin, roles: access.roles }, action))
    throw Forbidden(
      'insufficient_role',
      `${action} needs the ${rolesAllowing(action).join(' or ')} role in group ${groupId}.`,
    );
  return { ...access, principal };
}

/** A preHandler for routes with the group id in a path parameter (default `:id`). */
export function groupRoleGuard(roles: readonly Role[], param = 'id'): preHandlerAsyncHookHandler {
  return async (request) => {
    await requireGroupRole(request, groupIdParam(request, param), roles);
  };
}

export function groupActionGuard(action: GroupAction, param = 'id'): preHandlerAsyncHookHandler {
  return async (request) => {
    await requireGroupAction(request, groupIdParam(request, param), action);
  };
}

/** A preHandler that only needs a signed-in caller. */
export const userGuard: preHandlerAsyncHookHandler = async (request) => {
  await requireUser(request);
};

function groupIdParam(request: FastifyRequest, param: string): string {
  const value = (request.params as Record<string, unknown> | undefined)?.[param];
  return typeof value === 'string' ? value : '';
}
