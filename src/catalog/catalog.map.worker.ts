// Worker-thread body of the course mapper (see catalog.mapper.ts): maps vendor items off the sync's
// main thread, so that sanitising descriptions runs beside fetching and database writes.
import { parentPort } from 'node:worker_threads';
import { mapCourse } from './catalog.mapping.js';

parentPort?.on('message', (msg: { id: number; items: unknown[] }) => {
  parentPort?.postMessage({ id: msg.id, results: msg.items.map(mapCourse) });
});
