// The xAPI area: the OAuth token server, the statements resource, and the statistics read side.
import type { FastifyPluginAsync } from 'fastify';
import { oauthRoutes } from './xapi.oauth.routes.js';
import { xapiStatementsRoutes } from './xapi.statements.routes.js';
import { statsRoutes } from '../stats/stats.routes.js';

export const xapiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(oauthRoutes);
  await app.register(xapiStatementsRoutes);
  await app.register(statsRoutes);
};
