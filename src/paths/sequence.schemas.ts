// HTTP schemas that paths and programs share: a head (path, template), its items in order with a
// learner's state of each, the bodies that create a head or add a course, and the rows of the
// per-learner statistics. Each area adds its own counts (steps completed, blocks unlocked).
import { Type, type TSchema } from '@sinclair/typebox';
import { CourseSummarySchema } from '../search/search.mapping.js';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ItemStateSchema = Type.Union([
  Type.Literal('completed'),
  Type.Literal('in_progress'),
  Type.Literal('available'),
  Type.Literal('locked'),
]);

/** A step or block: the course, where it stands, and (for an enrolled learner) its state. */
export const sequenceItemSchema = (archivedDescription?: string) =>
  Type.Intersect([
    CourseSummarySchema,
    Type.Object({
      position: Type.Integer(),
      archived: Type.Boolean(archivedDescription ? { description: archivedDescription } : {}),
      state: Type.Optional(ItemStateSchema),
    }),
  ]);

/** The fields of a path or a program template (spread into an object with its items). */
export const HeadFields = {
  id: Type.String(),
  groupId: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  createdAt: Type.String(),
};

export const CreateHeadBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
});

export const AddCourseBody = Type.Object({ courseId: Type.String({ minLength: 1 }) });

/** A learner's share of the items completed, once they are enrolled. */
export const ProgressSchema = Type.Optional(Type.Object({ completionRate: Type.Integer() }));

/** How many enrolled learners completed everything, and their share. */
export const learnersSummaryFields = (completionRateDescription?: string) => ({
  learners: Type.Integer(),
  completedLearners: Type.Integer(),
  completionRate: Type.Integer(completionRateDescription ? { description: completionRateDescription } : {}),
});

/** A statistics row: who the learner is (before the area's counts), then their progress. */
export const LearnerFields = {
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  enrolledAt: Type.String(),
};
export const learnerProgressFields = (timeSpentDescription?: string) => ({
  completionRate: Type.Integer(),
  completed: Type.Boolean(),
  lastActivityAt: Type.Union([Type.String(), Type.Null()]),
  timeSpentMs: Type.Union(
    [Type.Number(), Type.Null()],
    timeSpentDescription ? { description: timeSpentDescription } : {},
  ),
});
