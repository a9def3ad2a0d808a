// Production build: every TypeScript file of src/ and sandbox/ transpiled one-to-one into dist/ (no
// bundling, so worker files and relative asset paths keep their places), and the non-TypeScript files
// beside them (page assets) copied. Type checking is `npm run typecheck`'s job; this only strips
// types, in well under a second. Why at all: tsx's on-the-fly loader keeps esbuild and a source map
// per module in memory, about 90 MB of a 100,000-course sync's peak (README, performance).
// `node scripts/build.mjs FILE…` builds only those files into dist/ (the benchmark's memory child).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const ROOTS = ['src', 'sandbox'];
const OUT = 'dist';

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });

const only = process.argv.slice(2);
const files = only.length > 0 ? only : ROOTS.flatMap(walk);
const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const assets = files.filter((f) => !f.endsWith('.ts') && !f.endsWith('.md'));

if (only.length === 0) fs.rmSync(OUT, { recursive: true, force: true });
const started = performance.now();
await build({
  entryPoints: sources,
  outdir: OUT,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
for (const file of assets) {
  const to = path.join(OUT, file);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(file, to);
}
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `built ${sources.length} modules and ${assets.length} assets into ${OUT}/ in ${ms} ms\n`,
);
