// A small world for paths, programs and launch tests, built with the platform's seed helpers:
// group "Sales" (public, under the platform group) with one member per role, a second group whose
// author must not reach Sales' courses, and courses in the catalog, the library, elsewhere, archived.
import type { AppContext } from '../../src/context.js';
import type { Engine } from '../../src/db/db.js';
import { createTestApp, type TestApp } from './engines.js';
import {
  seedCourse,
  seedGroup,
  seedMember,
  seedPlatformAdmin,
  type SeededUser,
} from '../../src/platform/platform.seed.js';

export type World = {
  groupId: string;
  otherGroupId: string;
  admin: SeededUser;
  coach: SeededUser;
  author: SeededUser;
  learner: SeededUser;
  learner2: SeededUser;
  otherAuthor: SeededUser;
  platformAdmin: SeededUser;
  courses: {
    catalog: string;
    library: string;
    third: string;
    elsewhere: string;
    archived: string;
    native: string;
  };
};

export async function buildWorld(ctx: AppContext): Promise<World> {
  const root = await seedGroup(ctx, { name: 'Platform' });
  const group = await seedGroup(ctx, { name: 'Sales', parentId: root.id });
  const other = await seedGroup(ctx, { name: 'Support', parentId: root.id, isPublic: false });
  const member = (role: 'admin' | 'coach' | 'author' | 'learner', email: string, groupId = group.id) =>
    seedMember(ctx, { groupId, email, role });
  const synced = (name: string, extra: Parameters<typeof seedCourse>[1] = {}) =>
    seedCourse(ctx, {
      name,
      source: 'opensesame',
      launchUrl: `https://os.example.test/launch/${encodeURIComponent(name)}`,
      ...extra,
    });
  const courses = {
    catalog: (await synced('Negotiation', { catalogOf: [group.id] })).id,
    library: (await synced('Pricing', { libraryOf: [group.id] })).id,
    third: (await synced('Closing', { catalogOf: [group.id] })).id,
    elsewhere: (await synced('Escalations', { catalogOf: [other.id] })).id,
    archived: (await synced('Old prospecting', { catalogOf: [group.id], archived: true })).id,
    native: (
      await seedCourse(ctx, {
        name: 'Our sales playbook',
        groupId: group.id,
        launchUrl: 'https://platform.example.test/courses/playbook',
      })
    ).id,
  };
  return {
    groupId: group.id,
    otherGroupId: other.id,
    admin: await member('admin', 'admin@sales.test'),
    coach: await member('coach', 'coach@sales.test'),
    author: await member('author', 'author@sales.test'),
    learner: await member('learner', 'learner@sales.test'),
    learner2: await member('learner', 'learner2@sales.test'),
    otherAuthor: await member('author', 'author@support.test', other.id),
    platformAdmin: await seedPlatformAdmin(ctx),
    courses,
  };
}

export async function archive(ctx: AppContext, courseId: string): Promise<void> {
  await ctx.db
    .updateTable('courses')
    .set({ archived: 1, archived_at: ctx.clock.now().toISOString(), archived_reason: 'inactive' })
    .where('id', '=', courseId)
    .execute();
}

/** The real app on `engine` with this world in it. */
export async function createWorldApp(engine: Engine): Promise<{ t: TestApp; w: World }> {
  const t = await createTestApp(engine);
  return { t, w: await buildWorld(t.ctx) };
}

/** `call(who, method, url, payload?)`: the API as a seeded user, on the app `app()` gives once built. */
export function apiCaller(app: () => TestApp) {
  return (who: SeededUser, method: 'GET' | 'POST', url: string, payload?: object) =>
    app().app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
}
