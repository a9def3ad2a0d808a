// Where a course is used: the paths and program templates that hold it, with how many learners
// they reach. Admins look here before (or after) a course is archived by a sync or a deactivation,
// instead of finding out from learners (a known weakness of the hosted connectors).
import type { AppContext } from '../context.js';
import { Forbidden, NotFound } from '../errors.js';
import { hasRoles } from '../search/course.access.js';
import type { Viewer } from '../search/search.scope.repository.js';
import { pathsWithCourse } from '../paths/paths.repository.js';
import { templatesWithCourse } from './programs.repository.js';
import { getCourseUsageHead } from './usage.repository.js';

export async function courseUsage(ctx: AppContext, who: Viewer, courseId: string) {
  const course = await getCourseUsageHead(ctx.db, courseId);
  if (!course) throw NotFound('course_not_found', `No course ${courseId}.`);
  // Platform admins, and admins of the group that holds the course (the integration's group for a
  // synced course, the owner group for a platform course).
  const holder = course.integration_group_id ?? course.owner_group_id;
  if (!who.isPlatformAdmin && !(holder && (await hasRoles(ctx, who, holder, ['admin']))))
    throw Forbidden(
      'insufficient_role',
      'Course usage is for platform admins and admins of the course’s group.',
    );
  const [paths, programs] = await Promise.all([
    pathsWithCourse(ctx.db, courseId),
    templatesWithCourse(ctx.db, courseId),
  ]);
  return {
    course: {
      id: course.id,
      name: course.name,
      archived: course.archived === 1,
      archivedAt: course.archived_at,
      archivedReason: course.archived_reason,
    },
    paths: paths.map((p) => ({
      id: p.id,
      groupId: p.group_id,
      name: p.name,
      position: p.position,
      learners: Number(p.learners ?? 0),
    })),
    programs: programs.map((t) => ({
      id: t.id,
      groupId: t.group_id,
      name: t.name,
      position: t.position,
      sessions: t.sessions,
      learners: t.learners,
    })),
  };
}
