// HTTP shapes of the integration API; they also feed the OpenAPI document at /docs.
import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorSchema } from '../platform/platform.schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Url = Type.String({ pattern: '^https?://', maxLength: 2000 });

export const GroupParams = Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 200 }) });

export const ActivationBody = Type.Object(
  {
    customerIntegrationId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'OpenSesame Customer Integration ID',
    }),
    connectorAdminEmail: Type.String({
      minLength: 3,
      maxLength: 320,
      pattern: '^[^@\\s]+@[^@\\s]+$',
      description: 'An author or administrator of the group; becomes the author of the synced courses',
    }),
    clientId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'OpenSesame API client id' }),
    ),
    clientSecret: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'OpenSesame API client secret' }),
    ),
    apiUrl: Type.Optional(Url),
    tokenUrl: Type.Optional(Url),
  },
  { additionalProperties: false },
);

export const ScheduleBody = Type.Object(
  {
    cron: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Five-field cron pattern, e.g. "50 6 * * *"',
    }),
    timeZone: Type.String({ minLength: 1, maxLength: 100, description: 'IANA time zone, e.g. Europe/Paris' }),
  },
  { additionalProperties: false },
);

const Counts = Type.Object({
  listed: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  archived: Type.Integer(),
  restored: Type.Integer(),
  rejected: Type.Integer(),
  held: Type.Integer(),
});

export const XapiBlockSchema = Type.Object(
  {
    lmsAuthUrl: Type.String(),
    lmsUrl: Type.String(),
    clientId: Type.String(),
    clientSecret: Type.String(),
    scope: Type.Literal('xapi:write'),
    userIdentification: Type.Literal('MBOX'),
  },
  { description: 'What to send to OpenSesame (seed, step 4)' },
);

export const IntegrationSchema = Type.Object({
  id: Type.String(),
  groupId: Type.String(),
  provider: Type.String(),
  status: Type.Union([Type.Literal('setting-up'), Type.Literal('active'), Type.Literal('inactive')]),
  health: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('held')]),
  connectorAdmin: Nullable(Type.Object({ userId: Type.String(), email: Nullable(Type.String()) })),
  openSesame: Type.Object({
    apiUrl: Type.String(),
    tokenUrl: Type.String(),
    clientId: Type.String(),
    customerIntegrationId: Type.String(),
  }),
  schedule: Type.Object({
    cron: Type.String(),
    timeZone: Type.String(),
    schedulerEnabled: Type.Boolean(),
    nextRunAt: Nullable(Type.String()),
    lastScheduledFor: Nullable(Type.String()),
  }),
  lastRun: Nullable(
    Type.Object({
      id: Type.String(),
      trigger: Type.String(),
      status: Type.String(),
      startedAt: Type.String(),
      finishedAt: Nullable(Type.String()),
      counts: Counts,
      error: Nullable(Type.Object({ code: Nullable(Type.String()), message: Nullable(Type.String()) })),
    }),
  ),
  courses: Type.Object({ total: Type.Integer(), live: Type.Integer(), archived: Type.Integer() }),
  heldArchives: Type.Array(
    Type.Object({
      courseId: Type.String(),
      externalId: Nullable(Type.String()),
      name: Type.String(),
      runId: Type.String(),
      heldAt: Type.String(),
    }),
  ),
  webhook: Type.Object({
    clientId: Type.String(),
    clientSecret: Type.String(),
    credentialsVersion: Type.Integer(),
    previousSecretValidUntil: Nullable(Type.String()),
    validUntil: Nullable(Type.String()),
  }),
  xapi: XapiBlockSchema,
  activatedAt: Nullable(Type.String()),
  deactivatedAt: Nullable(Type.String()),
  updatedAt: Type.String(),
});

export function errors(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}

export const SECURITY = [{ bearerAuth: [] }, { cookieAuth: [] }];
