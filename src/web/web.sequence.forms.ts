// The form schemas the path and program pages share. Every body lets the hidden `_csrf` field
// through; the CSRF pre-handler checks it.
import { Type, type TString } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Csrf = { _csrf: Type.Optional(Type.String()) };

export const GroupParams = Type.Object({ groupId: Id });

/** The one id in a page's URL, e.g. `idParams('pathId')` for `/paths/:pathId`. */
export const idParams = <K extends string>(key: K) => Type.Object({ [key]: Id } as Record<K, TString>);

/** A path or program's name (and, for paths, a description) from the create form. */
export const CreateForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  ...Csrf,
});

/** One course: to add, remove or move. */
export const CourseForm = Type.Object({ courseId: Id, ...Csrf });
export const MoveForm = Type.Object({
  courseId: Id,
  direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  ...Csrf,
});

/** The learner checkboxes (learnerPicker); none ticked sends no field at all. */
export const LearnersForm = Type.Object({
  learnerIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500 })),
  ...Csrf,
});
export const SessionForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...LearnersForm.properties,
});
