// The demo company: groups, a group admin, an author, a coach and learners, and the OpenSesame
// integration of its content group activated against the configured OpenSesame or the embedded
// sandbox. Idempotent: a marker in `settings` says it is done, so a second run only reports.
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import { seedGroup, seedMember } from '../platform/platform.seed.js';
import { getSetting, putSetting } from '../integrations/integrations.repository.js';
import { activateIntegration, showIntegration } from '../integrations/integrations.service.js';
import { waitForSyncs } from '../integrations/integrations.jobs.js';
import type { IntegrationView } from '../integrations/integrations.mapping.js';

const MARKER = 'demo.seeded';
/** Shown on screen on purpose: demo accounts on a demo database. */
export const DEMO_PASSWORD = 'opensesame-demo';

export type DemoPerson = { email: string; role: Role; group: string; password: string };
export type DemoInfo = {
  seededNow: boolean;
  groups: { company: string; content: string; sales: string };
  people: DemoPerson[];
  integration: IntegrationView;
};

type Marker = { groups: DemoInfo['groups']; people: DemoPerson[] };

export async function setupDemo(ctx: AppContext): Promise<DemoInfo> {
  const existing = await getSetting(ctx.db, MARKER);
  if (existing) {
    const marker = JSON.parse(existing) as Marker;
    return {
      seededNow: false,
      ...marker,
      integration: await showIntegration(ctx, marker.groups.content),
    };
  }
  const company = await seedGroup(ctx, { name: 'Acme Corp' });
  const content = await seedGroup(ctx, { name: 'OpenSesame library', parentId: company.id, isPublic: false });
  const sales = await seedGroup(ctx, { name: 'Sales', parentId: company.id });
  const people: Array<DemoPerson & { groupId: string; name: string }> = [
    {
      email: 'admin@acme.test',
      name: 'Ada Admin',
      role: 'admin',
      group: 'Acme Corp',
      groupId: company.id,
      password: DEMO_PASSWORD,
    },
    {
      email: 'author@acme.test',
      name: 'Otto Author',
      role: 'author',
      group: 'OpenSesame library',
      groupId: content.id,
      password: DEMO_PASSWORD,
    },
    {
      email: 'coach@acme.test',
      name: 'Cora Coach',
      role: 'coach',
      group: 'Sales',
      groupId: sales.id,
      password: DEMO_PASSWORD,
    },
    {
      email: 'learner1@acme.test',
      name: 'Lea Learner',
      role: 'learner',
      group: 'Sales',
      groupId: sales.id,
      password: DEMO_PASSWORD,
    },
    {
      email: 'learner2@acme.test',
      name: 'Leo Learner',
      role: 'learner',
      group: 'Sales',
      groupId: sales.id,
      password: DEMO_PASSWORD,
    },
  ];
  for (const p of people)
    await seedMember(ctx, {
      groupId: p.groupId,
      email: p.email,
      name: p.name,
      role: p.role,
      password: p.password,
    });

  const defaults = ctx.config.openSesame ?? (await ctx.openSesameDefaults());
  await activateIntegration(ctx, content.id, {
    customerIntegrationId: defaults.customerIntegrationId,
    connectorAdminEmail: 'author@acme.test',
  });
  await waitForSyncs(ctx);
  const marker: Marker = {
    groups: { company: company.id, content: content.id, sales: sales.id },
    people: people.map(({ email, role, group, password }) => ({ email, role, group, password })),
  };
  await putSetting(ctx.db, MARKER, JSON.stringify(marker), ctx.clock.now().toISOString());
  return { seededNow: true, ...marker, integration: await showIntegration(ctx, content.id) };
}
