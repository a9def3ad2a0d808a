// Builds the Fastify app as a plugin tree and never listens (server.ts does). Tests build the real
// app and call it with `inject`.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.js';
import { lazyChildLogger } from './logger.js';
import { installErrorHandler } from './app.errors.js';
import { healthRoutes } from './health.routes.js';
import { integrationsRoutes } from './integrations/integrations.routes.js';
import { xapiRoutes } from './xapi/xapi.plugin.js';
import { searchRoutes } from './search/search.routes.js';
import { pathsRoutes } from './paths/paths.routes.js';
import { programsRoutes } from './programs/programs.routes.js';
import { launchRoutes } from './launch/launch.routes.js';
import { samlResponder } from './sso/sso.launch.js';
import { authPlugin } from './platform/auth.plugin.js';
import { platformRoutes } from './platform/platform.plugin.js';
import { ssoRoutes } from './sso/sso.routes.js';
import { webPages } from './web/web.plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export async function buildApp(
  ctx: AppContext,
  options: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ area: 'http' }),
    // One line per request only when debugging; errors are logged by the error handler either way.
    logController: new LogController({
      disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace',
    }),
    childLoggerFactory: lazyChildLogger, // per-request loggers made only when something is logged
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('ctx', ctx);
  installErrorHandler(app);
  await app.register(formbody);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'sesame-bridge',
        version: '0.1.0',
        description: 'OpenSesame catalogue sync, learning platform and xAPI statistics.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Personal API token' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // Each area registers its routes here: one line per area plugin.
  await app.register(healthRoutes);
  await app.register(authPlugin);
  await app.register(platformRoutes);
  await app.register(ssoRoutes);
  await app.register(webPages);
  await app.register(integrationsRoutes, { prefix: '/api/v1' });
  await app.register(xapiRoutes);
  await app.register(searchRoutes);
  await app.register(pathsRoutes);
  await app.register(programsRoutes);
  await app.register(launchRoutes, { responder: samlResponder }); // sso: START signs in by SAML

  return app;
}
