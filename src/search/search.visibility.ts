// Which courses a person sees: the platform's rule (platform/courses.service.ts `courseScopeOf`),
// restated here for search's raw SQL and shared by paths, programs and launch:
//  - platform admins: every course;
//  - the catalog of every group they belong to and of its public ancestors down a public chain
//    (the seed: courses synced to the platform group show to everyone in public groups); the sync
//    puts synced courses in the catalog of the integration's group;
//  - in groups where they are staff (admin, coach, author): the library, the group's own courses,
//    and the courses synced by the group's integration.
import type { Role } from '../db/schema.js';

export type CourseScope = { all: true } | { all: false; catalogGroupIds: string[]; staffGroupIds: string[] };

/** Staff groups from a user's effective roles per group (admins of a parent included). */
export function staffGroups(rolesByGroup: ReadonlyMap<string, readonly Role[]>): string[] {
  return [...rolesByGroup]
    .filter(([, roles]) => roles.some((r) => r !== 'learner'))
    .map(([id]) => id)
    .sort();
}
