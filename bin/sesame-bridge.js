#!/usr/bin/env node
// The CLI. Runs the production build (dist/, made by `npm install` and `npm run build`) when there is
// one, and the TypeScript sources through tsx otherwise, so a checkout works before any build.
import fs from 'node:fs';

const built = new URL('../dist/src/cli.js', import.meta.url);
if (fs.existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
