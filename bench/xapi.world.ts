// What both xAPI benchmarks start from: a fresh database with an integration, a course and a learner,
// so that statements are matched and the statistics worker does its full work too.
import { parseConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import type { Engine } from '../src/db/db.js';
import { seedUser } from '../src/platform/platform.seed.js';
import { createTestDatabase } from '../test/helpers/engines.js';
import { makeCourse, makeIntegration } from '../test/xapi/fixtures.js';

export const BENCH_SECRET_KEY = 'bench-secret-key-0123456789abcdefghijklmnop';

export async function createXapiBenchWorld(engine: Engine, logLevel: 'silent' | 'error') {
  const database = await createTestDatabase(engine);
  const config = parseConfig({
    ...database.env,
    SECRET_KEY: BENCH_SECRET_KEY,
    LOG_LEVEL: logLevel,
    SCHEDULER_ENABLED: 'false',
  });
  const ctx = await createContext(config);
  const integration = await makeIntegration(ctx);
  await makeCourse(ctx, integration.row.id, 'BENCH-1');
  await seedUser(ctx, { email: 'learner@example.com' });
  return { database, config, ctx, integration };
}
