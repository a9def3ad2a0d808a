// Statistics and unmatched statements pages, over the statistics read side (stats area): the same
// role rules as its REST routes: admins and coaches of the group see its statistics, the admins of
// the integration's group see the unmatched statements.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireGroupRole } from '../platform/guards.js';
import { attemptsForGroup, countGroupMembers } from '../stats/stats.read.repository.js';
import { listUnmatched } from '../stats/stats.repository.js';
import { summarize } from '../stats/stats.summary.js';
import { getIntegrationByGroup } from '../integrations/integrations.repository.js';
import { sendPage } from './web.layout.js';
import { groupNav } from './web.group-nav.js';
import { statsView, unmatchedView } from './web.stats.view.js';

const Params = Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 100 }) });

export async function statsPages(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/groups/:groupId/stats', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const grant = await requireGroupRole(request, request.params.groupId, ['admin', 'coach']);
    const lines = summarize(await attemptsForGroup(ctx.db, grant.group.id));
    const members = await countGroupMembers(ctx.db, grant.group.id);
    return sendPage(reply, {
      title: 'Statistics',
      principal: grant.principal,
      csrf: reply.generateCsrf(),
      scripts: ['/assets/chart.umd.js'],
      body: await groupNav(ctx, grant, 'stats', statsView(grant.group.name, members, lines)),
    });
  });

  r.get(
    '/groups/:groupId/stats/unmatched',
    { schema: { hide: true, params: Params } },
    async (request, reply) => {
      const grant = await requireGroupRole(request, request.params.groupId, ['admin']);
      const integration = await getIntegrationByGroup(ctx.db, grant.group.id);
      const rows = integration ? await listUnmatched(ctx.db, integration.id, 200, 0) : [];
      return sendPage(reply, {
        title: 'Unmatched statements',
        principal: grant.principal,
        csrf: reply.generateCsrf(),
        body: await groupNav(ctx, grant, 'unmatched', unmatchedView(rows, integration !== undefined)),
      });
    },
  );
}
