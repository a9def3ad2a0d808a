// The mapping worker gives exactly what mapping on the main thread gives (hostile HTML included),
// in order, and mapping still works once the worker is gone.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logger.js';
import { createWorkerMapper } from '../../src/catalog/catalog.mapper.js';
import { mapCourse } from '../../src/catalog/catalog.mapping.js';
import { generateItem } from '../../sandbox/sandbox.catalogue.js';

const items: unknown[] = Array.from({ length: 300 }, (_, i) =>
  generateItem({ seed: 5, launchBaseUrl: 'http://127.0.0.1:4010' }, i),
);
items.push(null, { id: 'x' }, { ...(items[0] as object), descriptionHtml: '<img src=x onerror=alert(1)>' });

it('maps in the worker exactly as on the main thread, in order', async () => {
  const warnings: string[] = [];
  const mapper = createWorkerMapper(createLogger('warn', { write: (l: string) => void warnings.push(l) }));
  try {
    const [a, b] = await Promise.all([mapper.map(items.slice(0, 150)), mapper.map(items.slice(150))]);
    assert.deepEqual([...a, ...b], items.map(mapCourse));
    assert.ok(
      items.map(mapCourse).some((r) => !r.ok),
      'the sample includes rejected items',
    );
    assert.deepEqual(warnings, [], 'the worker ran (no fall-back to the main thread)');
  } finally {
    await mapper.close();
  }
  // Closed: mapping goes on in this thread.
  assert.deepEqual(await mapper.map(items.slice(0, 3)), items.slice(0, 3).map(mapCourse));
});
