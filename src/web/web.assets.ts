// Same-origin static files: our stylesheet and scripts, and Chart.js from node_modules (no CDN),
// read once at start and served with a short cache.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

const here = path.dirname(fileURLToPath(import.meta.url));
const chartDir = path.dirname(createRequire(import.meta.url).resolve('chart.js'));

const FILES: Record<string, { file: string; type: string }> = {
  'app.css': { file: path.join(here, 'assets', 'app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { file: path.join(here, 'assets', 'app.js'), type: 'text/javascript; charset=utf-8' },
  'autosubmit.js': {
    file: path.join(here, 'assets', 'autosubmit.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'chart.umd.js': { file: path.join(chartDir, 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

export const assetRoutes: FastifyPluginAsync = async (app) => {
  const loaded = new Map(
    Object.entries(FILES).map(([name, f]) => [name, { body: fs.readFileSync(f.file), type: f.type }]),
  );
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { schema: { hide: true } },
    async (request, reply) => {
      const asset = loaded.get(request.params.name);
      if (!asset) return reply.status(404).type('text/plain').send('Not found');
      return reply.header('cache-control', 'public, max-age=300').type(asset.type).send(asset.body);
    },
  );
};
