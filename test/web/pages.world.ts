// Every page of the app (each GET route outside the API, the docs and the static files), with what
// each kind of visitor must get: the page (200), a refusal (403, or 404 where ids must not leak), or
// a redirect (signed-out visitors go to sign in). Built over one group with an active integration,
// its SAML SP, a course, a program and a path, and one member per role; shared by the role test and
// the security-headers test, and checked against the routes the app really has.
import type { FastifyInstance } from 'fastify';
import { makeIntegration } from '../xapi/fixtures.js';
import {
  seedCourse,
  seedGroup,
  seedMember,
  seedPlatformAdmin,
  seedSession,
} from '../../src/platform/platform.seed.js';
import { createPath } from '../../src/paths/paths.service.js';
import { createTemplate } from '../../src/programs/programs.service.js';
import { configureServiceProvider } from '../../src/sso/sso.service.js';
import { encodeRedirectAuthnRequest } from '../../src/sso/sso.authn-request.js';
import type { AppContext } from '../../src/context.js';

export const WHO = ['signed-out', 'learner', 'author', 'coach', 'admin', 'platform-admin'] as const;
export type Who = (typeof WHO)[number];
export type Expect = 200 | 403 | 404 | { redirect: RegExp };
export type PageRow = { route: string; url: string; label?: string; expect: Record<Who, Expect> };

export const SP = { entityId: 'https://sp.example.test/saml', acsUrl: 'https://sp.example.test/saml/acs' };
const SIGN_IN = { redirect: /^\/login\?next=%2F/ };

/** Signed-out visitors are sent to sign in; `allowed` (and platform admins) get the page. */
function only(allowed: readonly Who[], refused: 403 | 404 = 403): Record<Who, Expect> {
  const row = {} as Record<Who, Expect>;
  for (const who of WHO)
    row[who] =
      who === 'signed-out' ? SIGN_IN : who === 'platform-admin' || allowed.includes(who) ? 200 : refused;
  return row;
}
const EVERYONE: readonly Who[] = ['learner', 'author', 'coach', 'admin'];

export type PagesWorld = {
  groupId: string;
  courseId: string;
  cookies: Map<Who, string>;
  rows: PageRow[];
};

export async function buildPagesWorld(ctx: AppContext): Promise<PagesWorld> {
  const integration = await makeIntegration(ctx);
  const groupId = integration.groupId;
  await configureServiceProvider(ctx, integration.row.id, SP, null);
  const cookies = new Map<Who, string>([['signed-out', '']]);
  const ids: Record<string, string> = {};
  for (const role of ['learner', 'author', 'coach', 'admin'] as const) {
    const { user } = await seedMember(ctx, { groupId, email: `${role}@pages.test`, role });
    ids[role] = user.id;
    cookies.set(role, (await seedSession(ctx, user.id)).cookie);
  }
  const platformAdmin = await seedPlatformAdmin(ctx, 'root@pages.test');
  cookies.set('platform-admin', (await seedSession(ctx, platformAdmin.user.id)).cookie);

  const course = await seedCourse(ctx, {
    name: 'Negotiation',
    source: 'opensesame',
    integrationId: integration.row.id,
    catalogOf: [groupId],
    launchUrl: 'https://os.example.test/launch/negotiation',
  });
  const elsewhere = await seedGroup(ctx, { name: 'Elsewhere', isPublic: false });
  const foreign = await seedCourse(ctx, {
    name: 'Not yours',
    source: 'opensesame',
    catalogOf: [elsewhere.id],
  });
  const author = { userId: ids.author ?? '', isPlatformAdmin: false };
  const program = await createTemplate(ctx, author, groupId, { name: 'Onboarding' });
  const path = await createPath(ctx, author, groupId, { name: 'Basics' });
  const authn = encodeRedirectAuthnRequest(
    { id: '_pages', issuer: SP.entityId, acsUrl: SP.acsUrl },
    new Date(),
  );

  const settings = `/groups/${groupId}/settings/integrations/opensesame`;
  const rows: PageRow[] = [
    {
      route: '/',
      url: '/',
      expect: { 'signed-out': { redirect: /^\/login$/ }, ...allSignedIn({ redirect: /^\/home$/ }) },
    },
    {
      route: '/login',
      url: '/login',
      expect: { 'signed-out': 200, ...allSignedIn({ redirect: /^\/home$/ }) },
    },
    { route: '/home', url: '/home', expect: only(EVERYONE) },
    { route: '/catalog', url: '/catalog?q=nego', expect: only(EVERYONE) },
    { route: '/courses/:courseId', url: `/courses/${course.id}`, expect: only(EVERYONE) },
    {
      route: '/courses/:courseId',
      label: "another group's course",
      url: `/courses/${foreign.id}`,
      expect: only([], 404),
    },
    { route: '/my/programs', url: '/my/programs', expect: only(EVERYONE) },
    { route: '/my/paths', url: '/my/paths', expect: only(EVERYONE) },
    { route: '/groups/:groupId/settings/integrations/opensesame', url: settings, expect: only(['admin']) },
    {
      route: '/groups/:groupId/settings/integrations/opensesame/progress',
      url: `${settings}/progress`,
      expect: only(['admin']),
    },
    {
      route: '/groups/:groupId/settings/integrations/opensesame/status.json',
      url: `${settings}/status.json`,
      expect: only(['admin']),
    },
    {
      route: '/groups/:groupId/settings/integrations/opensesame/deactivate',
      url: `${settings}/deactivate`,
      expect: only(['admin']),
    },
    { route: '/groups/:groupId/stats', url: `/groups/${groupId}/stats`, expect: only(['admin', 'coach']) },
    {
      route: '/groups/:groupId/stats/unmatched',
      url: `/groups/${groupId}/stats/unmatched`,
      expect: only(['admin']),
    },
    {
      route: '/groups/:groupId/programs',
      url: `/groups/${groupId}/programs`,
      expect: only(['admin', 'author']),
    },
    {
      route: '/programs/:templateId',
      url: `/programs/${program.id}?q=nego`,
      expect: only(['admin', 'author']),
    },
    { route: '/groups/:groupId/paths', url: `/groups/${groupId}/paths`, expect: only(['admin', 'author']) },
    { route: '/paths/:pathId', url: `/paths/${path.id}?q=nego`, expect: only(['admin', 'author']) },
    {
      route: '/saml/sso',
      label: 'SP-initiated sign-in',
      url: `/saml/sso?SAMLRequest=${encodeURIComponent(authn)}&RelayState=${encodeURIComponent('https://sp.example.test/c/1')}`,
      expect: only(EVERYONE),
    },
  ];
  return { groupId, courseId: course.id, cookies, rows };
}

function allSignedIn(expect: Expect): Record<Exclude<Who, 'signed-out'>, Expect> {
  return { learner: expect, author: expect, coach: expect, admin: expect, 'platform-admin': expect };
}

/** GET routes that are pages: everything but the JSON API, the API docs, static files and probes. */
export function pageRoutes(app: FastifyInstance): string[] {
  const skip = /^\/(api\/|docs|assets\/|healthz$|saml\/metadata$)/;
  const stack: string[] = [];
  const out: string[] = [];
  // printRoutes draws the radix tree: each line's depth is its indentation, its path the
  // concatenation of the segments above it.
  for (const line of app.printRoutes({ commonPrefix: false, method: 'GET' }).split('\n')) {
    const at = line.indexOf('── ');
    const match = / \(([A-Z, ]+)\)$/.exec(line);
    if (at < 0 || !match) continue;
    const depth = (at - 1) / 4;
    stack.length = depth;
    const segment = line.slice(at + 3, match.index);
    stack.push(segment);
    const full = stack.join('').replace(/^\/+/, '/');
    if (!skip.test(full)) out.push(full);
  }
  return [...new Set(out)].sort();
}
