// Group commit for statement POSTs: requests that arrive together are written in ONE transaction
// (on PostgreSQL one INSERT statement for the statements and their query index; on SQLite one
// transaction of prepared INSERTs) and each is answered after that commit, so durability is
// unchanged while the per-commit cost (SQLite's WAL writes, PostgreSQL's round trips and WAL flush)
// is shared. A group is only the fast path: if any statement
// in it is already stored (a resend, a conflict) or anything fails, the whole group is rolled back
// and every request is written on its own by its usual transaction (`alone`), so idempotency, 409s
// and all-or-nothing batches behave exactly as if each request had been alone.
import type { AppContext } from '../context.js';
import { noteCommittedStatements, type Committed } from '../stats/stats.worker.js';
import { insertNewStatementRows } from './xapi.group.repository.js';
import { rowKey, type StatementRow } from './xapi.repository.js';

type Job = {
  rows: StatementRow[];
  alone: () => Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
};
type Writer = { queue: Job[]; flushing: number; scheduled: boolean; counts: WriterCounts };
/** Groups committed, requests they carried, and requests written alone after a group fell back. */
export type WriterCounts = { groups: number; requests: number; alone: number };

/** Rows per group (on PostgreSQL, what fits in one statement's parameters). */
export const MAX_GROUP_ROWS = 2000;

/**
 * Groups in flight at once. SQLite: one (one connection, and its writes are serialised anyway).
 * PostgreSQL: while one group waits for its commit (a round trip and a WAL flush), the next can be
 * on its way on another pooled connection, and the server flushes concurrent commits together.
 */
const IN_FLIGHT = { sqlite: 1, postgres: 3 } as const;

const writers = new WeakMap<AppContext, Writer>();
function writerOf(ctx: AppContext): Writer {
  let w = writers.get(ctx);
  if (!w)
    writers.set(
      ctx,
      (w = { queue: [], flushing: 0, scheduled: false, counts: { groups: 0, requests: 0, alone: 0 } }),
    );
  return w;
}

export const writerCounts = (ctx: AppContext): WriterCounts => ({ ...writerOf(ctx).counts });

/** Resolves once `rows` are committed (grouped with concurrent requests, or alone as a fallback). */
export function commitStatements(
  ctx: AppContext,
  rows: StatementRow[],
  alone: () => Promise<void>,
): Promise<void> {
  const w = writerOf(ctx);
  return new Promise((resolve, reject) => {
    w.queue.push({ rows, alone, resolve, reject });
    // A group in flight collects the next one while it commits; setImmediate lets every request
    // that arrived in this turn of the event loop join the group.
    if (!w.scheduled && w.flushing < IN_FLIGHT[ctx.engine]) {
      w.scheduled = true;
      setImmediate(() => {
        w.scheduled = false;
        w.flushing++;
        void flush(ctx, w);
      });
    }
  });
}

async function flush(ctx: AppContext, w: Writer): Promise<void> {
  try {
    for (let group = take(w); group.length > 0; group = take(w)) await commitGroup(ctx, w, group);
  } finally {
    w.flushing--;
  }
}

function take(w: Writer): Job[] {
  let rows = 0;
  let n = 0;
  while (n < w.queue.length && (n === 0 || rows + (w.queue[n]?.rows.length ?? 0) <= MAX_GROUP_ROWS))
    rows += w.queue[n++]?.rows.length ?? 0;
  return w.queue.splice(0, n);
}

// Plain loops below: Array.prototype.flatMap is not optimised by V8 and showed in the profile.
async function commitGroup(ctx: AppContext, w: Writer, group: Job[]): Promise<void> {
  const rows: StatementRow[] = [];
  for (const job of group) for (const row of job.rows) rows.push(row);
  let inserted: Map<string, number>;
  try {
    inserted = await insertNewStatementRows(ctx.db, ctx.engine, rows);
  } catch {
    // Rolled back: each request on its own, in arrival order, with its own answer.
    w.counts.alone += group.length;
    for (const job of group) await job.alone().then(job.resolve, job.reject);
    return;
  }
  // The drain applies these next; it need not read back and parse what is in memory already.
  const committed: Committed[] = [];
  for (const r of rows) {
    const seq = inserted.get(rowKey(r.integrationId, r.prepared.id));
    if (seq !== undefined)
      committed.push({ seq, integrationId: r.integrationId, statement: r.prepared.statement });
  }
  noteCommittedStatements(ctx, committed);
  w.counts.groups++;
  w.counts.requests += group.length;
  for (const job of group) job.resolve();
}
