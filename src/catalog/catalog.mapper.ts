// Maps vendor items in a worker thread. Mapping (sanitize-html above all) is most of a first sync's
// CPU time; on its own thread it runs while the main thread fetches the next page and writes the
// previous batch. If the worker cannot start or dies, mapping falls back to this thread: same
// function, same results, only slower.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { mapCourse, type MapResult } from './catalog.mapping.js';

export type Mapper = {
  map(items: readonly unknown[]): Promise<MapResult[]>;
  close(): Promise<void>;
};

export const inThreadMapper: Mapper = {
  map: async (items) => items.map(mapCourse),
  close: async () => undefined,
};

type Pending = { items: readonly unknown[]; resolve: (r: MapResult[]) => void };

// The worker file next to this one, .ts under tsx (tests, `npm start`) and .js once compiled.
const here = fileURLToPath(import.meta.url);
const WORKER_FILE = path.join(path.dirname(here), `catalog.map.worker${path.extname(here)}`);

/**
 * Node 20 does not apply the loader hooks of `--import tsx` to a worker's entry file, so a .ts worker
 * starts from a line of JavaScript that registers tsx in the worker, then imports the file.
 */
// Mapping keeps nothing between batches: small generations keep the worker's memory small (V8 lets
// garbage grow to about half the old-generation limit before a full collection). A worker that
// still runs out of memory dies, and mapping falls back to this thread.
const LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } };

function spawnWorker(): Worker {
  if (!WORKER_FILE.endsWith('.ts')) return new Worker(WORKER_FILE, LIMITS);
  const url = pathToFileURL(WORKER_FILE).href;
  // Resolved here: an eval'd worker would resolve a bare name from the working directory.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { ...LIMITS, eval: true });
}

export function createWorkerMapper(log: Logger): Mapper {
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const fallBack = (err: unknown) => {
    if (broken) return;
    broken = true;
    log.warn({ err, area: 'catalog' }, 'mapping worker failed: mapping on the main thread');
    for (const p of pending.values()) p.resolve(p.items.map(mapCourse));
    pending.clear();
    void worker?.terminate();
    worker = undefined;
  };

  const start = (): Worker | undefined => {
    if (worker || broken) return worker;
    try {
      worker = spawnWorker();
    } catch (err) {
      fallBack(err);
      return undefined;
    }
    worker.unref();
    worker.on('message', (msg: { id: number; results: MapResult[] }) => {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      // Idle, the worker must not keep the process alive; busy, it must (nothing else may).
      if (pending.size === 0) worker?.unref();
      p?.resolve(msg.results);
    });
    worker.on('error', fallBack);
    worker.on('exit', (code) => {
      if (pending.size > 0) fallBack(new Error(`mapping worker exited with ${code}`));
    });
    return worker;
  };

  return {
    map(items) {
      if (items.length === 0) return Promise.resolve([]);
      const w = start();
      if (!w) return Promise.resolve(items.map(mapCourse));
      const id = nextId++;
      return new Promise<MapResult[]>((resolve) => {
        pending.set(id, { items, resolve });
        w.ref();
        w.postMessage({ id, items });
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      broken = true;
      for (const p of pending.values()) p.resolve(p.items.map(mapCourse));
      pending.clear();
      await w?.terminate();
    },
  };
}
