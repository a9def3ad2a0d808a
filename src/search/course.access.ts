// Checks shared by paths, programs and launch: roles in a group (the platform's table in
// platform/roles.ts) and "may this course be added by this person".
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import { Conflict, Forbidden, NotFound } from '../errors.js';
import { groupAccess } from '../platform/access.js';
import { can, hasAnyRole, rolesAllowing, type GroupAction } from '../platform/roles.js';
import {
  courseInScope,
  getCourseBrief,
  loadScope,
  type CourseBrief,
  type Viewer,
} from './search.scope.repository.js';

export async function assertAction(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  action: GroupAction,
): Promise<void> {
  const access = await groupAccess(ctx.db, who, groupId);
  if (!can({ isPlatformAdmin: who.isPlatformAdmin, roles: access.roles }, action))
    throw Forbidden(
      'insufficient_role',
      `This needs the ${rolesAllowing(action).join(' or ')} role in group ${groupId}.`,
    );
}

export async function hasRoles(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  roles: readonly Role[],
): Promise<boolean> {
  const access = await groupAccess(ctx.db, who, groupId);
  return hasAnyRole({ isPlatformAdmin: who.isPlatformAdmin, roles: access.roles }, roles);
}

export async function assertRoles(
  ctx: AppContext,
  who: Viewer,
  groupId: string,
  roles: readonly Role[],
): Promise<void> {
  if (!(await hasRoles(ctx, who, groupId, roles)))
    throw Forbidden('insufficient_role', `This needs the ${roles.join(' or ')} role in group ${groupId}.`);
}

/**
 * A course an author may put into a path or program: one they can see (their catalogs, or the
 * libraries of groups where they author; see search.visibility.ts) and not archived. An invisible
 * course answers as not found, so ids of other groups' courses do not leak.
 */
export async function assertCourseAddable(
  ctx: AppContext,
  who: Viewer,
  courseId: string,
): Promise<CourseBrief> {
  const course = await getCourseBrief(ctx.db, courseId);
  const scope = await loadScope(ctx.db, who);
  if (!course || !(await courseInScope(ctx.db, scope, courseId)))
    throw NotFound('course_not_found', `No course ${courseId} that you can use.`);
  if (course.archived === 1)
    throw Conflict(
      'course_archived',
      'This course is archived: it stays where it is but cannot be added anew.',
    );
  return course;
}
