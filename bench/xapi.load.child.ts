// The load of bench/xapi.profile.ts, in its own process: autocannon against the server.
//   argv: <base URL> <Bearer token> <empty|noop|single|batch> <requests>
// Prints one JSON line: requests per second (to the last answer), p99, errors.
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { completion } from '../test/xapi/fixtures.js';

const [base = '', token = '', kind = 'single', amount = '1000'] = process.argv.slice(2);
const one = () =>
  completion('learner@example.com', 'https://opensesame.example/courses/BENCH-1', {
    id: crypto.randomUUID(),
  });
const body = () => JSON.stringify(kind === 'batch' ? Array.from({ length: 100 }, one) : one());
const target =
  kind === 'empty'
    ? { url: `${base}/api/opensesame/stats/about`, method: 'GET' as const }
    : { url: `${base}${kind === 'noop' ? '/noop' : '/api/opensesame/stats'}`, method: 'POST' as const };

const started = performance.now();
let last = started;
const instance = autocannon(
  {
    ...target,
    connections: kind === 'batch' ? 4 : 50,
    amount: Number(amount),
    headers: {
      'content-type': 'application/json',
      'x-experience-api-version': '1.0.3',
      authorization: `Bearer ${token}`,
    },
    ...(kind === 'empty' ? {} : { requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] }),
  },
  (err, r) => {
    if (err) throw err;
    const requestsPerSec = r.requests.total / ((last - started) / 1000);
    console.log(JSON.stringify({ requestsPerSec, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }));
  },
);
instance.on('response', () => {
  last = performance.now();
});
