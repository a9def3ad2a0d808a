// Which courses a person sees (the rule search, paths, programs and launch share):
//  - platform admins: every course;
//  - the catalog of every group they belong to, and of its public ancestors down a public chain
//    (platform/roles.ts `visibleCatalogGroups`; the seed: courses synced to the platform group show
//    to everyone in public groups); synced courses count as in the catalog of their integration's group;
//  - the library of every group where they are an admin or an author (libraries are the authors'
//    shelf for paths and programs), and the platform-authored courses those groups own.
import type { Role } from '../db/schema.js';

export type CourseScope =
  { all: true } | { all: false; catalogGroupIds: string[]; libraryGroupIds: string[] };

export const LIBRARY_ROLES: readonly Role[] = ['admin', 'author'];

/** Library groups from a user's effective roles per group (admins of a parent included). */
export function libraryGroups(rolesByGroup: ReadonlyMap<string, readonly Role[]>): string[] {
  return [...rolesByGroup]
    .filter(([, roles]) => roles.some((r) => LIBRARY_ROLES.includes(r)))
    .map(([id]) => id)
    .sort();
}
