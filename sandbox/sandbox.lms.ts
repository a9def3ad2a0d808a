// What OpenSesame does when a learner completes a course: get a token from the LMS (client
// credentials, scope xapi:write) and POST one xAPI statement to `{LMS URL}/statements`, resending
// the same statement id on a non-2xx answer (the receiver must be idempotent on it).
import crypto from 'node:crypto';
import { request } from 'undici';

export type LmsConfig = {
  /** The LMS Auth URL (token endpoint). */
  readonly authUrl: string;
  /** The LMS URL; statements go to `{lmsUrl}/statements`. */
  readonly lmsUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
};

export type Completion = {
  readonly email: string;
  readonly name?: string | undefined;
  /** The course's xApiActivityId when it has one, else an IRI ending with its id. */
  readonly objectId: string;
  readonly success: boolean;
  /** 0..1 */
  readonly scaled?: number | undefined;
  readonly durationMs: number;
  readonly timestamp: Date;
};

export type Statement = Record<string, unknown> & { id: string };

/** ISO 8601 duration as xAPI wants it: PT1H2M3S, zero parts left out. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
  return `PT${parts}`;
}

export function buildCompletionStatement(c: Completion, id: string = crypto.randomUUID()): Statement {
  return {
    id,
    timestamp: c.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    actor: { objectType: 'Agent', ...(c.name ? { name: c.name } : {}), mbox: `mailto:${c.email}` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: c.objectId,
      definition: { type: 'http://adlnet.gov/expapi/activities/course' },
    },
    result: {
      completion: true,
      success: c.success,
      ...(c.scaled !== undefined ? { score: { scaled: c.scaled } } : {}),
      duration: isoDuration(c.durationMs),
    },
  };
}

export type Delivery = {
  statementId: string;
  ok: boolean;
  /** The LMS's last HTTP status, when it answered. */
  status?: number;
  step: 'token' | 'statement';
  message: string;
  attempts: number;
};

const TIMEOUT_MS = 10_000;

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

/** Sends one completion statement; never throws, says what happened. */
export async function deliverStatement(
  lms: LmsConfig,
  statement: Statement,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<Delivery> {
  const attempts = options.attempts ?? 3;
  const base = { statementId: statement.id };
  let last: Delivery = { ...base, ok: false, step: 'token', message: 'not sent', attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (options.delayMs ?? 200) * 2 ** (attempt - 2)));
    try {
      const basic = Buffer.from(`${lms.clientId}:${lms.clientSecret}`).toString('base64');
      const tokenRes = await post(
        lms.authUrl,
        {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
          accept: 'application/json',
        },
        'grant_type=client_credentials&scope=xapi%3Awrite',
      );
      let token: unknown;
      try {
        token = (JSON.parse(tokenRes.text) as { access_token?: unknown }).access_token;
      } catch {
        token = undefined;
      }
      if (tokenRes.status < 200 || tokenRes.status >= 300 || typeof token !== 'string') {
        last = {
          ...base,
          ok: false,
          status: tokenRes.status,
          step: 'token',
          message: `LMS token request answered HTTP ${tokenRes.status}`,
          attempts: attempt,
        };
        // Wrong credentials will not fix themselves.
        if (tokenRes.status === 400 || tokenRes.status === 401) return last;
        continue;
      }
      const res = await post(
        `${lms.lmsUrl.replace(/\/+$/, '')}/statements`,
        {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-experience-api-version': '1.0.3',
        },
        JSON.stringify(statement),
      );
      const ok = res.status >= 200 && res.status < 300;
      last = {
        ...base,
        ok,
        status: res.status,
        step: 'statement',
        message: `LMS answered HTTP ${res.status}`,
        attempts: attempt,
      };
      if (ok) return last;
    } catch (err) {
      const reason = (err as { code?: string }).code ?? (err as Error).name;
      last = {
        ...base,
        ok: false,
        step: last.step,
        message: `LMS unreachable (${reason})`,
        attempts: attempt,
      };
    }
  }
  return last;
}
