// A sandbox in its own process for the benchmark, so that generating and serving pages does not
// share the measured process's thread (or its memory). Prints its handle as one JSON line, then
// serves until stdin closes or it gets SIGTERM.
import { startSandbox } from '../sandbox/sandbox.server.js';

const courses = Number(process.argv[2] ?? 1000);
const sandbox = await startSandbox({ courses, seed: 2026 });
console.log(JSON.stringify({ url: sandbox.url, adminKey: sandbox.adminKey, connection: sandbox.connection }));
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
