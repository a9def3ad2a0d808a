// TypeBox schemas of the platform API, in and out; they feed validation and the OpenAPI document.
import { Type, type TSchema } from '@sinclair/typebox';

export const RoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('coach'), Type.Literal('author'), Type.Literal('learner')],
  { description: 'Role in a group' },
);

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Machine-readable, stable, snake_case' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'An error with a machine-readable code' },
);

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  isPlatformAdmin: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const GroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.String()),
  isPublic: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  myRoles: Type.Optional(Type.Array(RoleSchema, { description: "The caller's effective roles" })),
});

export const MemberSchema = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  since: Type.String({ format: 'date-time' }),
});

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const CourseSchema = Type.Object({
  id: Type.String(),
  source: Type.String({ description: "'native' for platform-authored courses, else the provider" }),
  integrationId: Nullable(Type.String()),
  externalId: Nullable(Type.String()),
  ownerGroupId: Nullable(Type.String()),
  name: Type.String(),
  description: Nullable(Type.String()),
  image: Nullable(Type.String()),
  durationMinutes: Nullable(Type.Integer()),
  author: Nullable(Type.String()),
  lang: Type.String(),
  otherLangs: Type.Array(Type.String()),
  launchUrl: Nullable(Type.String()),
  modifiedAt: Nullable(Type.String()),
  subjects: Type.Array(Type.String()),
  contentType: Type.String(),
  archived: Type.Boolean(),
  archivedAt: Nullable(Type.String()),
  archivedReason: Nullable(Type.String()),
  localTags: Type.Array(Type.String(), { description: 'Tags added by hand; never touched by a sync' }),
  readOnly: Type.Boolean({ description: 'Synced courses cannot be edited except for localTags' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const EntrySchema = Type.Object({
  groupId: Type.String(),
  course: CourseSchema,
  addedBy: Nullable(Type.String()),
  addedAt: Type.String({ format: 'date-time' }),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' });

/** The usual error answers, by status, so that every route documents them. */
export function errors(
  ...statuses: Array<400 | 401 | 403 | 404 | 409 | 429>
): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}

export const SECURITY = [{ bearerAuth: [] }, { cookieAuth: [] }];
