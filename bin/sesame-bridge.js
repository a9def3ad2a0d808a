#!/usr/bin/env node
// The CLI. Runs the production build (dist/, made by `npm install`, `npm start` and `npm run build`)
// when it is at least as new as every source file, and the TypeScript sources through tsx otherwise:
// a checkout works before any build, and an edited source is never shadowed by a stale build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'src', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const fresh =
  fs.existsSync(built) &&
  fs.statSync(built).mtimeMs >=
    Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'sandbox')));
if (fresh) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
