// Vendor content types to the platform's 19 content types. OpenSesame's vocabulary is not
// documented, so common spellings are normalised and anything unknown becomes "course" (the
// platform's default) with the vendor's value kept on the course.

export const CONTENT_TYPES = [
  'article',
  'assessment',
  'audiobook',
  'book',
  'certificate',
  'channel',
  'course',
  'curriculum',
  'interactive',
  'journey',
  'labs',
  'linkedContent',
  'mooc',
  'podcast',
  'program',
  'roleplay',
  'specialization',
  'topvoice',
  'video',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

// Keys are lower-cased with everything but letters and digits removed.
const SYNONYMS: Record<string, ContentType> = {
  elearning: 'course',
  onlinecourse: 'course',
  scorm: 'course',
  aicc: 'course',
  xapi: 'course',
  tincan: 'course',
  cmi5: 'course',
  microlearning: 'course',
  module: 'course',
  lesson: 'course',
  document: 'article',
  pdf: 'article',
  reading: 'article',
  blog: 'article',
  quiz: 'assessment',
  test: 'assessment',
  exam: 'assessment',
  survey: 'assessment',
  audio: 'audiobook',
  ebook: 'book',
  simulation: 'interactive',
  game: 'interactive',
  scenario: 'interactive',
  certification: 'certificate',
  path: 'journey',
  learningpath: 'journey',
  lab: 'labs',
  link: 'linkedContent',
  externallink: 'linkedContent',
  webinar: 'video',
  videos: 'video',
  learningprogram: 'program',
  podcasts: 'podcast',
};
const BY_KEY = new Map<string, ContentType>(CONTENT_TYPES.map((t) => [t.toLowerCase(), t]));
for (const [k, v] of Object.entries(SYNONYMS)) BY_KEY.set(k, v);

export function toContentType(value: string): { type: ContentType; known: boolean } {
  const key = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const type = BY_KEY.get(key);
  return type ? { type, known: true } : { type: 'course', known: false };
}
