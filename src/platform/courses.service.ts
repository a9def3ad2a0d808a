// Course rules the platform enforces: who sees a course, what may be edited (synced courses are
// read-only except local tags), and what may enter a catalog or library (never an archived course).
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import type { Principal } from './auth.service.js';
import type { Role } from '../db/schema.js';
import { catalogGroupsOfUser, groupsOfUser, userGroupRoles } from './access.js';
import { can, type GroupAction } from './roles.js';
import { isReadOnlyCourse, normalizeTags, type CourseRow } from './platform.mapping.js';
import {
  courseVisible,
  getCourse,
  groupsHoldingCourse,
  insertEntry,
  insertNativeCourse,
  updateCourse,
  type Collection,
  type CourseScope,
  type CourseUpdate,
} from './courses.repository.js';

/** What the caller may see; undefined for platform admins (everything). */
export async function courseScopeOf(ctx: AppContext, principal: Principal): Promise<CourseScope | undefined> {
  if (principal.isPlatformAdmin) return undefined;
  const [catalogGroupIds, mine] = await Promise.all([
    catalogGroupsOfUser(ctx.db, principal.userId),
    groupsOfUser(ctx.db, principal),
  ]);
  const staffGroupIds = [...(mine ?? new Map<string, Role[]>()).entries()]
    .filter(([, roles]) => roles.some((r) => r !== 'learner'))
    .map(([id]) => id);
  return { catalogGroupIds, staffGroupIds };
}

/** The course if the caller may see it; `course_not_found` otherwise (existence is not revealed). */
export async function readCourse(ctx: AppContext, principal: Principal, id: string): Promise<CourseRow> {
  const course = await getCourse(ctx.db, id);
  const scope = course ? await courseScopeOf(ctx, principal) : undefined;
  if (!course || (scope && !(await courseVisible(ctx.db, id, scope))))
    throw NotFound('course_not_found', `No course ${id}.`);
  return course;
}

/**
 * Puts a course in a group's catalog or library. The caller checked the role; this checks the
 * course. Answers whether the entry is new (adding twice is harmless).
 */
export async function addToCollection(
  ctx: AppContext,
  collection: Collection,
  groupId: string,
  courseId: string,
  addedBy: string | null,
): Promise<{ created: boolean; course: CourseRow }> {
  const course = await getCourse(ctx.db, courseId);
  if (!course) throw NotFound('course_not_found', `No course ${courseId}.`);
  if (course.archived === 1)
    throw Conflict(
      'course_archived',
      `Course ${courseId} is archived and cannot be added to a ${collection}.`,
    );
  const created = await insertEntry(ctx.db, collection, {
    groupId,
    courseId,
    addedBy,
    now: ctx.clock.now().toISOString(),
  });
  return { created, course };
}

export type CourseContent = {
  name?: string | undefined;
  description?: string | null | undefined;
  image?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  lang?: string | undefined;
  launchUrl?: string | null | undefined;
  contentType?: string | undefined;
  subjects?: string[] | undefined;
  archived?: boolean | undefined;
};

const CONTENT_FIELDS = [
  'name',
  'description',
  'image',
  'durationMinutes',
  'lang',
  'launchUrl',
  'contentType',
  'subjects',
  'archived',
] as const;

export async function createNativeCourse(
  ctx: AppContext,
  principal: Principal,
  groupId: string,
  input: CourseContent & { name: string; lang: string },
): Promise<CourseRow> {
  if (!input.name.trim()) throw Invalid('invalid_name', 'A course name is required.');
  const now = ctx.clock.now().toISOString();
  const course = await insertNativeCourse(ctx.db, {
    ownerGroupId: groupId,
    createdBy: principal.userId,
    name: input.name.trim(),
    description: input.description ?? null,
    lang: input.lang,
    contentType: input.contentType ?? 'course',
    launchUrl: input.launchUrl ?? null,
    image: input.image ?? null,
    durationMinutes: input.durationMinutes ?? null,
    subjects: input.subjects ?? [],
    now,
  });
  // A course an author makes is ready to build paths and programs with in their group.
  await insertEntry(ctx.db, 'library', { groupId, courseId: course.id, addedBy: principal.userId, now });
  return course;
}

async function mayInAnyGroup(
  ctx: AppContext,
  principal: Principal,
  groupIds: readonly string[],
  action: GroupAction,
): Promise<boolean> {
  if (principal.isPlatformAdmin) return true;
  for (const groupId of groupIds) {
    const roles = await userGroupRoles(ctx.db, principal.userId, groupId);
    if (can({ isPlatformAdmin: false, roles }, action)) return true;
  }
  return false;
}

/**
 * Edits a course. Synced courses refuse every content field with `course_read_only` (409: the
 * course's state forbids it, whoever asks) but accept `localTags`, which syncs never touch.
 * Content edits need `course.author` in the owning group; tags need `course.tag` in a group that
 * holds the course (its owner or integration group, or any catalog or library it is in).
 */
export async function editCourse(
  ctx: AppContext,
  principal: Principal,
  courseId: string,
  patch: CourseContent & { localTags?: string[] | undefined },
): Promise<CourseRow> {
  const course = await readCourse(ctx, principal, courseId);
  const contentFields = CONTENT_FIELDS.filter((f) => patch[f] !== undefined);
  if (contentFields.length > 0 && isReadOnlyCourse(course))
    throw Conflict(
      'course_read_only',
      `Course ${courseId} is synced from ${course.source} and cannot be edited here; only localTags can.`,
      { fields: contentFields },
    );
  if (contentFields.length > 0) {
    const owner = course.owner_group_id ? [course.owner_group_id] : [];
    if (!(await mayInAnyGroup(ctx, principal, owner, 'course.author')))
      throw Forbidden('insufficient_role', 'Editing a course needs the author or admin role in its group.');
  }
  if (patch.localTags !== undefined) {
    const holders = await groupsHoldingCourse(ctx.db, course);
    if (!(await mayInAnyGroup(ctx, principal, holders, 'course.tag')))
      throw Forbidden(
        'insufficient_role',
        'Tagging needs a coach, author or admin role in a group holding the course.',
      );
  }
  const now = ctx.clock.now().toISOString();
  const set: CourseUpdate = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.image !== undefined) set.image = patch.image;
  if (patch.durationMinutes !== undefined) set.duration_minutes = patch.durationMinutes;
  if (patch.lang !== undefined) set.lang = patch.lang;
  if (patch.launchUrl !== undefined) set.launch_url = patch.launchUrl;
  if (patch.contentType !== undefined) set.content_type = patch.contentType;
  if (patch.subjects !== undefined) set.subjects = JSON.stringify(normalizeTags(patch.subjects));
  if (patch.archived !== undefined && (patch.archived ? 1 : 0) !== course.archived) {
    set.archived = patch.archived ? 1 : 0;
    set.archived_at = patch.archived ? now : null;
    set.archived_reason = patch.archived ? 'manual' : null;
  }
  if (contentFields.length > 0) set.modified_at = now;
  if (patch.localTags !== undefined) set.local_tags = JSON.stringify(normalizeTags(patch.localTags));
  if (Object.keys(set).length > 0) await updateCourse(ctx.db, courseId, set, now);
  return (await getCourse(ctx.db, courseId)) as CourseRow;
}
