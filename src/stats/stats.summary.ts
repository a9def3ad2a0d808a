// Pure summaries of attempts for the read side: one line per learner and course (the latest
// attempt's progress, result and score; time spent summed over attempts; the last activity),
// completion rates per course, and CSV.
import type { AttemptRow } from './stats.read.repository.js';

export type StatLine = {
  userId: string;
  learnerName: string;
  learnerMail: string;
  courseId: string;
  courseName: string;
  progress: number;
  result: string | null;
  score: number | null;
  timeSpentInMilliseconds: number | null;
  lastActivityAt: string;
  completedAt: string | null;
  attempts: number;
};

/** Rows must come ordered by last activity (oldest first); the latest attempt wins. */
export function summarize(rows: AttemptRow[]): StatLine[] {
  const lines = new Map<string, StatLine>();
  for (const r of rows) {
    const key = `${r.user_id} ${r.course_id}`;
    const prev = lines.get(key);
    const time =
      r.time_spent_ms === null
        ? (prev?.timeSpentInMilliseconds ?? null)
        : (prev?.timeSpentInMilliseconds ?? 0) + Number(r.time_spent_ms);
    lines.set(key, {
      userId: r.user_id,
      learnerName: r.user_name,
      learnerMail: r.user_email,
      courseId: r.course_id,
      courseName: r.course_name,
      progress: r.progress,
      result: r.result,
      score: r.score === null ? null : Number(r.score),
      timeSpentInMilliseconds: time,
      lastActivityAt: r.last_activity_at,
      completedAt: r.completed_at ?? prev?.completedAt ?? null,
      attempts: (prev?.attempts ?? 0) + 1,
    });
  }
  return [...lines.values()];
}

export type CourseRate = {
  courseId: string;
  courseName: string;
  learners: number;
  completed: number;
  completionRate: number;
};

export function completionRates(lines: StatLine[]): CourseRate[] {
  const byCourse = new Map<string, CourseRate>();
  for (const l of lines) {
    const c = byCourse.get(l.courseId) ?? {
      courseId: l.courseId,
      courseName: l.courseName,
      learners: 0,
      completed: 0,
      completionRate: 0,
    };
    c.learners++;
    if (l.completedAt !== null || l.progress >= 100) c.completed++;
    c.completionRate = Math.round((c.completed / c.learners) * 1000) / 10;
    byCourse.set(l.courseId, c);
  }
  return [...byCourse.values()];
}

const CSV_COLUMNS: Array<keyof StatLine> = [
  'learnerMail',
  'learnerName',
  'courseId',
  'courseName',
  'progress',
  'result',
  'score',
  'timeSpentInMilliseconds',
  'lastActivityAt',
  'completedAt',
  'attempts',
];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(lines: StatLine[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [CSV_COLUMNS.join(','), ...lines.map((l) => CSV_COLUMNS.map((c) => cell(l[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}
