// The pages people use, server-rendered, over the same services as the REST routes (no HTTP to
// ourselves). Forms carry a CSRF token (double-submit: a secret in an httpOnly SameSite=Strict
// cookie, the token in the form) on top of the SameSite=Lax session cookie.
import type { FastifyPluginAsync } from 'fastify';
import csrf from '@fastify/csrf-protection';
import { assetRoutes } from './web.assets.js';
import { installPageErrorHandler } from './web.errors.js';
import { authPages } from './web.auth.pages.js';
import { coursePages } from './web.course.pages.js';
import { statsPages } from './web.stats.pages.js';
import { integrationPages } from './web.integration.pages.js';
import { catalogPages } from './web.catalog.pages.js';
import { programPages } from './web.programs.pages.js';
import { pathPages } from './web.paths.pages.js';
import { pageSecurityHeaders } from './web.security.js';

export const webPages: FastifyPluginAsync = async (app) => {
  await pageSecurityHeaders(app);
  await app.register(assetRoutes);
  await app.register(async (pages) => {
    await pages.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'sb_csrf',
      cookieOpts: {
        path: '/',
        sameSite: 'strict',
        httpOnly: true,
        secure: app.ctx.config.publicBaseUrl.startsWith('https://'),
      },
    });
    installPageErrorHandler(pages);
    await authPages(pages);
    await coursePages(pages);
    await statsPages(pages);
    await integrationPages(pages);
    await catalogPages(pages);
    await programPages(pages);
    await pathPages(pages);
  });
};
