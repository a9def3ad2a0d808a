// The platform's REST API under /api/v1 (one line in app.ts). Authentication is resolved app-wide by
// auth.plugin.ts, registered before every area.
import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth.routes.js';
import { usersRoutes } from './users.routes.js';
import { groupsRoutes } from './groups.routes.js';
import { catalogRoutes, libraryRoutes } from './collections.routes.js';
import { coursesRoutes } from './courses.routes.js';

export const platformRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes, { prefix: '/api/v1' });
  await app.register(usersRoutes, { prefix: '/api/v1' });
  await app.register(groupsRoutes, { prefix: '/api/v1' });
  await app.register(catalogRoutes, { prefix: '/api/v1' });
  await app.register(libraryRoutes, { prefix: '/api/v1' });
  await app.register(coursesRoutes, { prefix: '/api/v1' });
};
