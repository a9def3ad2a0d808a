// Storing and reading statements for one authenticated integration. A POST is validated whole, then
// written in one transaction (statements, query index, voiding, attachment bytes) and committed
// before the answer; statistics are derived afterwards from what is committed (src/stats/).
import type { AppContext } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { kickStatistics } from '../stats/stats.worker.js';
import { checkAttachments, type AttachmentBytes } from './xapi.attachments.js';
import type { XapiCaller } from './xapi.auth.js';
import { sameStatement } from './xapi.equivalence.js';
import type { Part } from './xapi.multipart.js';
import {
  getAttachments,
  getStatementsByIds,
  insertAttachments,
  insertStatements,
  markVoided,
  maxSeq,
  queryStatements,
  type StatementQuery,
  type StoredRow,
} from './xapi.repository.js';
import { formatCanonical, formatIds, prepareStatement, type PreparedStatement } from './xapi.statement.js';
import { commitStatements } from './xapi.writer.js';
import { validateStatement, type Json, type ValidationIssue, type XapiVersion } from './xapi.validate.js';
import { isPlainObject } from './xapi.formats.js';

export const MAX_BATCH = 1000;

/** The authority we record: the integration's webhook client, as an Agent with an account. */
export function authorityOf(ctx: AppContext, caller: XapiCaller): Json {
  return {
    objectType: 'Agent',
    name: `OpenSesame integration ${caller.integration.id}`,
    account: {
      homePage: `${ctx.config.publicBaseUrl}/api/opensesame`,
      name: caller.integration.webhook_client_id,
    },
  };
}

function invalid(issues: ValidationIssue[]): never {
  const first = issues[0];
  throw Invalid(
    'invalid_statement',
    first
      ? `${first.path}: ${first.message} (${first.rule})${issues.length > 1 ? ` and ${issues.length - 1} more` : ''}`
      : 'Invalid statement',
    issues,
  );
}

/** One request's statements in its own transaction: new ones stored, resends checked (409 if different). */
async function writeAlone(
  ctx: AppContext,
  integrationId: string,
  prepared: PreparedStatement[],
  bytes: AttachmentBytes[],
  now: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertStatements(trx, ctx.engine, integrationId, prepared, now);
    if (inserted.size < prepared.length) {
      const existing = new Map(
        (
          await getStatementsByIds(
            trx,
            integrationId,
            prepared.filter((p) => !inserted.has(p.id)).map((p) => p.id),
          )
        ).map((r) => [r.id, r]),
      );
      for (const p of prepared) {
        if (inserted.has(p.id)) continue;
        const row = existing.get(p.id);
        if (!row || !sameStatement(JSON.parse(row.statement) as Json, p.statement))
          throw Conflict('statement_conflict', `Statement ${p.id} already exists with different content.`);
      }
    }
    const voiding = prepared.filter((p) => p.voidsId !== null && inserted.has(p.id));
    if (voiding.length) {
      const targets = await getStatementsByIds(
        trx,
        integrationId,
        voiding.map((p) => p.voidsId ?? ''),
      );
      const bad = targets.find((t) => t.voids_id !== null);
      if (bad)
        throw Invalid(
          'cannot_void_voiding_statement',
          `Statement ${bad.id} is a voiding statement and cannot be voided.`,
        );
      await markVoided(
        trx,
        integrationId,
        targets.map((t) => t.id),
      );
    }
    if (bytes.length) await insertAttachments(trx, integrationId, bytes, now);
  });
}

export async function storeStatements(
  ctx: AppContext,
  caller: XapiCaller,
  body: unknown,
  parts: Part[],
  version: XapiVersion,
  putId?: string,
): Promise<string[]> {
  if (putId !== undefined && (Array.isArray(body) || !isPlainObject(body)))
    throw Invalid('invalid_statement', 'PUT takes exactly one statement.');
  const list = Array.isArray(body) ? body : [body];
  if (list.length > MAX_BATCH)
    throw Invalid('batch_too_large', `At most ${MAX_BATCH} statements per request.`);
  if (putId !== undefined) {
    const s = list[0] as Json;
    if (s.id !== undefined && String(s.id).toLowerCase() !== putId.toLowerCase())
      throw Invalid('statement_id_mismatch', 'The statement id differs from the statementId parameter.');
    list[0] = { ...s, id: putId };
  }
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < list.length; i++)
    issues.push(...validateStatement(list[i], version, Array.isArray(body) ? `$[${i}]` : '$'));
  if (issues.length) invalid(issues);
  const statements = list as Json[];
  const seen = new Set<string>();
  for (const s of statements) {
    if (typeof s.id !== 'string') continue;
    const id = s.id.toLowerCase();
    if (seen.has(id))
      throw Invalid('duplicate_statement_id', `Statement id ${id} appears twice in the batch.`);
    seen.add(id);
  }
  const attachments = checkAttachments(statements, parts);
  if (attachments.issues.length) invalid(attachments.issues);

  const now = ctx.clock.now().toISOString();
  const authority = authorityOf(ctx, caller);
  const prepared = statements.map((s) => prepareStatement(s, { stored: now, authority, version }));
  const integrationId = caller.integration.id;

  const alone = () => writeAlone(ctx, integrationId, prepared, attachments.bytes, now);
  // Plain statements go through the group commit; voiding and attachments take their own transaction.
  if (attachments.bytes.length === 0 && prepared.every((p) => p.voidsId === null))
    await commitStatements(
      ctx,
      prepared.map((p) => ({ integrationId, prepared: p, stored: now })),
      alone,
    );
  else await alone();
  kickStatistics(ctx);
  return prepared.map((p) => p.id);
}

export type ReadFormat = 'exact' | 'ids' | 'canonical';
export type ReadOptions = { format: ReadFormat; attachments: boolean; languages: string[] };
export type ReadResult = {
  statements: Json[];
  attachments: Array<{ sha2: string; contentType: string; content: Buffer }>;
  lastStored?: string;
};

async function shape(
  ctx: AppContext,
  integrationId: string,
  rows: StoredRow[],
  o: ReadOptions,
): Promise<ReadResult> {
  const statements = rows.map((r) => {
    const s = JSON.parse(r.statement) as Json;
    if (o.format === 'ids') return formatIds(s) as Json;
    if (o.format === 'canonical') return formatCanonical(s, o.languages) as Json;
    return s;
  });
  let lastStored: string | undefined;
  for (const r of rows) if (lastStored === undefined || r.stored > lastStored) lastStored = r.stored;
  const result: ReadResult = { statements, attachments: [] };
  if (lastStored !== undefined) result.lastStored = lastStored;
  if (o.attachments) {
    const hashes = [
      ...new Set(
        statements.flatMap((s) =>
          (Array.isArray(s.attachments) ? s.attachments : []).map((a: Json) => String(a.sha2).toLowerCase()),
        ),
      ),
    ];
    result.attachments = (await getAttachments(ctx.db, integrationId, hashes)).map((a) => ({
      sha2: a.sha2,
      contentType: a.content_type,
      content: Buffer.from(a.content_base64, 'base64'),
    }));
  }
  return result;
}

export async function getOneStatement(
  ctx: AppContext,
  caller: XapiCaller,
  id: string,
  voided: boolean,
  o: ReadOptions,
): Promise<ReadResult> {
  const [row] = await getStatementsByIds(ctx.db, caller.integration.id, [id.toLowerCase()]);
  // A voided statement is only found through voidedStatementId, and only a voided one is (Communication 2.1.4).
  if (!row || (row.voided === 1) !== voided)
    throw NotFound('statement_not_found', `No ${voided ? 'voided ' : ''}statement ${id}.`);
  return shape(ctx, caller.integration.id, [row], o);
}

export async function listStatements(
  ctx: AppContext,
  caller: XapiCaller,
  q: Omit<StatementQuery, 'ceiling'> & { ceiling?: number },
  o: ReadOptions,
): Promise<ReadResult & { next?: { after: number; ceiling: number } }> {
  const ceiling = q.ceiling ?? (await maxSeq(ctx.db));
  // Every statement's authority is an account named after the integration's webhook client id
  // (authorityOf): an agent filter naming one may match it (related_agents).
  const suffix = `|${caller.integration.webhook_client_id}`;
  const authority =
    q.relatedAgents && q.agent?.startsWith('account:') && q.agent.endsWith(suffix)
      ? {
          homePage: q.agent.slice('account:'.length, -suffix.length),
          name: caller.integration.webhook_client_id,
        }
      : undefined;
  const rows = await queryStatements(ctx.db, ctx.engine, caller.integration.id, {
    ...q,
    ceiling,
    ...(authority && { authority }),
  });
  const page = rows.slice(0, q.limit);
  const result = await shape(ctx, caller.integration.id, page, o);
  const last = page[page.length - 1];
  return rows.length > q.limit && last ? { ...result, next: { after: last.seq, ceiling } } : result;
}
