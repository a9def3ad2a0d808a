// A company for lifecycle tests: a content group with an admin, an author, a coach and a learner,
// the real app on a real database, and a sandbox of our own so tests can change its catalogue.
import { createTestApp, type TestApp } from '../helpers/engines.js';
import { seedGroup, seedMember, type SeededUser } from '../../src/platform/platform.seed.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.server.js';
import type { Engine } from '../../src/db/db.js';
import type { ContextOverrides } from '../../src/context.js';

export type Company = {
  t: TestApp;
  sandbox: Sandbox;
  groupId: string;
  otherGroupId: string;
  admin: SeededUser;
  author: SeededUser;
  coach: SeededUser;
  learner: SeededUser;
  /** Activation body against our sandbox. */
  body(extra?: Record<string, unknown>): Record<string, unknown>;
  url(suffix?: string): string;
  close(): Promise<void>;
};

export async function createCompany(
  engine: Engine,
  env: Record<string, string> = {},
  overrides: ContextOverrides = {},
  courses = 20,
): Promise<Company> {
  const sandbox = await startSandbox({ courses, seed: 7 });
  const t = await createTestApp(engine, { PUBLIC_BASE_URL: 'https://lms.example.test', ...env }, overrides);
  const ctx = t.ctx;
  const group = await seedGroup(ctx, { name: 'OpenSesame courses', isPublic: false });
  const other = await seedGroup(ctx, { name: 'Sales' });
  const admin = await seedMember(ctx, { groupId: group.id, email: 'ada@corp.test', role: 'admin' });
  const author = await seedMember(ctx, { groupId: group.id, email: 'otto@corp.test', role: 'author' });
  const coach = await seedMember(ctx, { groupId: group.id, email: 'cora@corp.test', role: 'coach' });
  const learner = await seedMember(ctx, { groupId: group.id, email: 'lea@corp.test', role: 'learner' });
  return {
    t,
    sandbox,
    groupId: group.id,
    otherGroupId: other.id,
    admin,
    author,
    coach,
    learner,
    body: (extra = {}) => ({
      customerIntegrationId: sandbox.connection.customerIntegrationId,
      connectorAdminEmail: author.user.email,
      clientId: sandbox.connection.clientId,
      clientSecret: sandbox.connection.clientSecret,
      apiUrl: sandbox.apiUrl,
      tokenUrl: sandbox.tokenUrl,
      ...extra,
    }),
    url: (suffix = '') => `/api/v1/groups/${group.id}/integrations/opensesame${suffix}`,
    async close() {
      await t.close();
      await sandbox.close();
    },
  };
}
