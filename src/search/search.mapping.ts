// Course rows to the API's course summary, shared by search, paths, programs and usage views.
import { Type, type Static } from '@sinclair/typebox';

export const CourseSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  image: Type.Union([Type.String(), Type.Null()]),
  author: Type.Union([Type.String(), Type.Null()]),
  lang: Type.String(),
  subjects: Type.Array(Type.String()),
  contentType: Type.String(),
  durationMinutes: Type.Union([Type.Integer(), Type.Null()]),
  source: Type.String(),
});
export type CourseSummary = Static<typeof CourseSummarySchema>;

export type CourseSummaryRow = {
  id: string;
  name: string;
  description: string | null;
  image: string | null;
  author: string | null;
  lang: string;
  subjects: string;
  content_type: string;
  duration_minutes: number | null;
  source: string;
};

export function parseJsonStrings(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

export function toCourseSummary(row: CourseSummaryRow): CourseSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    image: row.image,
    author: row.author,
    lang: row.lang,
    subjects: parseJsonStrings(row.subjects),
    contentType: row.content_type,
    durationMinutes: row.duration_minutes === null ? null : Number(row.duration_minutes),
    source: row.source,
  };
}
