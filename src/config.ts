// The only reader of process.env. `parseConfig` is pure: it turns an environment into a frozen, typed
// config or throws one error that lists every bad key, so a misconfigured deploy fails at boot.
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Cron } from 'croner';

const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  OPENSESAME_API_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  OPENSESAME_TOKEN_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  OPENSESAME_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  OPENSESAME_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  OPENSESAME_CIID: Type.Optional(Type.String({ minLength: 1 })),
  SANDBOX_COURSES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 200 }),
  SANDBOX_SEED: Type.Integer({ default: 1 }),
  SANDBOX_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  SYNC_CRON: Type.String({ default: '50 6 * * *' }),
  SYNC_TIMEZONE: Type.String({ default: 'Europe/Paris' }),
  SCHEDULER_ENABLED: Type.Boolean({ default: true }),
  MASS_ARCHIVE_THRESHOLD: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
  CREDENTIAL_GRACE_HOURS: Type.Number({ minimum: 0, default: 24 }),
});
type Env = Static<typeof EnvSchema>;

export type OpenSesameSettings = {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly customerIntegrationId: string;
};

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly publicBaseUrl: string;
  readonly dataDir: string;
  readonly database:
    | { readonly engine: 'sqlite'; readonly file: string }
    | { readonly engine: 'postgres'; readonly url: string };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly secretKey: string | undefined;
  /** Undefined means: no OpenSesame configured, use the embedded sandbox. */
  readonly openSesame: OpenSesameSettings | undefined;
  readonly sandbox: { readonly courses: number; readonly seed: number; readonly port: number };
  readonly sync: {
    readonly cron: string;
    readonly timeZone: string;
    readonly schedulerEnabled: boolean;
    readonly massArchiveThreshold: number;
  };
  readonly credentialGraceHours: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const OPENSESAME_KEYS = [
  'OPENSESAME_API_URL',
  'OPENSESAME_TOKEN_URL',
  'OPENSESAME_CLIENT_ID',
  'OPENSESAME_CLIENT_SECRET',
  'OPENSESAME_CIID',
] as const;

export function parseConfig(raw: Record<string, string | undefined>): Config {
  const known = Object.keys(EnvSchema.properties);
  // Empty strings count as unset so that `FOO=` in a .env file means "default".
  const picked: Record<string, unknown> = {};
  for (const key of known) {
    const v = raw[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const withDefaults = Value.Default(EnvSchema, Value.Convert(EnvSchema, picked));
  const problems = [...Value.Errors(EnvSchema, withDefaults)].map(
    (e) => `${e.path.slice(1) || '(root)'}: ${e.message} (got ${JSON.stringify(picked[e.path.slice(1)])})`,
  );
  const env = withDefaults as Env;
  if (problems.length === 0) {
    const given = OPENSESAME_KEYS.filter((k) => env[k] !== undefined);
    if (given.length > 0 && given.length < OPENSESAME_KEYS.length) {
      const missing = OPENSESAME_KEYS.filter((k) => env[k] === undefined);
      problems.push(`OpenSesame settings are partial: set ${missing.join(', ')} too, or none of them`);
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: env.SYNC_TIMEZONE });
      new Cron(env.SYNC_CRON, { timezone: env.SYNC_TIMEZONE, paused: true }).nextRun();
    } catch (err) {
      problems.push(`SYNC_CRON / SYNC_TIMEZONE: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(env.DATA_DIR);
  const openSesame =
    env.OPENSESAME_API_URL !== undefined
      ? {
          apiUrl: env.OPENSESAME_API_URL,
          tokenUrl: env.OPENSESAME_TOKEN_URL ?? '',
          clientId: env.OPENSESAME_CLIENT_ID ?? '',
          clientSecret: env.OPENSESAME_CLIENT_SECRET ?? '',
          customerIntegrationId: env.OPENSESAME_CIID ?? '',
        }
      : undefined;
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    dataDir,
    database: env.DATABASE_URL
      ? { engine: 'postgres' as const, url: env.DATABASE_URL }
      : { engine: 'sqlite' as const, file: path.join(dataDir, 'sesame-bridge.sqlite') },
    logLevel: env.LOG_LEVEL,
    secretKey: env.SECRET_KEY,
    openSesame,
    sandbox: { courses: env.SANDBOX_COURSES, seed: env.SANDBOX_SEED, port: env.SANDBOX_PORT },
    sync: {
      cron: env.SYNC_CRON,
      timeZone: env.SYNC_TIMEZONE,
      schedulerEnabled: env.SCHEDULER_ENABLED,
      massArchiveThreshold: env.MASS_ARCHIVE_THRESHOLD,
    },
    credentialGraceHours: env.CREDENTIAL_GRACE_HOURS,
  });
}

export function readEnv(): Config {
  return parseConfig(process.env);
}
