// Statistics pages, the markup: completions over time and progress per course as Chart.js charts
// (same-origin script, data in JSON islands), each with the same numbers in a table for screen
// readers and for reading without scripts; and the unmatched statements list.
import type { StatLine } from '../stats/stats.summary.js';
import { html, type HtmlValue, type SafeHtml } from './web.html.js';
import { jsonIsland, when } from './web.format.js';

/** Completions per day (UTC), oldest first: pure, for the chart and its table. */
export function completionsByDay(lines: readonly StatLine[]): Array<{ day: string; completions: number }> {
  const days = new Map<string, number>();
  for (const l of lines) {
    if (!l.completedAt) continue;
    const day = l.completedAt.slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, completions]) => ({ day, completions }));
}

/** Average progress and completions per course: pure. */
export function progressByCourse(lines: readonly StatLine[]): Array<{
  courseId: string;
  courseName: string;
  learners: number;
  completed: number;
  averageProgress: number;
}> {
  const byCourse = new Map<
    string,
    { courseId: string; courseName: string; learners: number; completed: number; total: number }
  >();
  for (const l of lines) {
    const c = byCourse.get(l.courseId) ?? {
      courseId: l.courseId,
      courseName: l.courseName,
      learners: 0,
      completed: 0,
      total: 0,
    };
    c.learners += 1;
    c.total += l.progress;
    if (l.progress >= 100 || l.completedAt) c.completed += 1;
    byCourse.set(l.courseId, c);
  }
  return [...byCourse.values()]
    .map(({ total, ...c }) => ({ ...c, averageProgress: Math.round(total / Math.max(1, c.learners)) }))
    .sort((a, b) => a.courseName.localeCompare(b.courseName));
}

const fmtMs = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms / 60000)} min`);

export function statsView(groupName: string, members: number, lines: readonly StatLine[]): SafeHtml {
  const days = completionsByDay(lines);
  const courses = progressByCourse(lines);
  const completionsChart = {
    type: 'bar',
    data: {
      labels: days.map((d) => d.day),
      datasets: [{ label: 'Completions', data: days.map((d) => d.completions), backgroundColor: '#0b5cad' }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  const progressChart = {
    type: 'bar',
    data: {
      labels: courses.map((c) => c.courseName),
      datasets: [
        {
          label: 'Average progress (%)',
          data: courses.map((c) => c.averageProgress),
          backgroundColor: '#1e6b34',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100 } },
    },
  };
  return html`<h1>Statistics</h1>
    <p>
      ${groupName}: ${members} members, ${lines.length} learner–course lines,
      ${lines.filter((l) => l.completedAt || l.progress >= 100).length} completed.
    </p>
    <section class="panel" aria-labelledby="over-time-h">
      <h2 id="over-time-h">Completions over time</h2>
      ${chart('completions-data', 'Completions per day', completionsChart)}
      <details>
        <summary>Completions per day as a table</summary>
        ${dataTable(
          ['Day', 'Completions'],
          days.map((d) => [d.day, d.completions]),
        )}
      </details>
    </section>
    <section class="panel" aria-labelledby="per-course-h">
      <h2 id="per-course-h">Progress per course</h2>
      ${chart('progress-data', 'Average progress per course', progressChart, Math.max(160, courses.length * 36 + 60))}
      <div class="table-wrap">
        ${dataTable(
          ['Course', 'Learners', 'Completed', 'Average progress'],
          courses.map((c) => [c.courseName, c.learners, c.completed, `${c.averageProgress}%`]),
        )}
      </div>
    </section>
    <section class="panel" aria-labelledby="learners-h">
      <h2 id="learners-h">Learners</h2>
      <div class="table-wrap">
        ${dataTable(
          ['Learner', 'Course', 'Progress', 'Result', 'Score', 'Time spent', 'Last activity', 'Completed'],
          lines.map((l) => [
            html`${l.learnerName}<br /><span class="hint">${l.learnerMail}</span>`,
            l.courseName,
            `${l.progress}%`,
            l.result ?? '—',
            l.score ?? '—',
            fmtMs(l.timeSpentInMilliseconds),
            when(l.lastActivityAt),
            l.completedAt ? when(l.completedAt) : '—',
          ]),
        )}
      </div>
    </section>`;
}

/**
 * A Chart.js canvas fed from the JSON island `dataId`; `label` says what it draws, and that the
 * table beside it has the same numbers. `height` (px) is for charts that grow with their rows.
 */
function chart(dataId: string, label: string, config: unknown, height?: number): SafeHtml {
  return html`<div class="chart" ${height === undefined ? '' : html`data-height="${height}"`}>
      <canvas
        data-chart="${dataId}"
        role="img"
        aria-label="${label}; the table below has the same numbers"
      ></canvas>
    </div>
    ${jsonIsland(dataId, config)}`;
}

/** A plain table: one header per column, then a row of cells per item. */
function dataTable(headers: readonly string[], rows: ReadonlyArray<readonly HtmlValue[]>): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        ${headers.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (cells) =>
          html`<tr>
            ${cells.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export type UnmatchedRow = {
  statement_id: string;
  reason: string;
  learner_mail: string | null;
  course_key: string | null;
  received_at: string;
  verb_id: string | null;
  timestamp: string | null;
};

const REASONS: Record<string, string> = {
  unknown_learner: 'No learner has this e-mail',
  unknown_course: 'No synced course has this id',
};

export function unmatchedView(rows: readonly UnmatchedRow[], hasIntegration: boolean): SafeHtml {
  return html`<h1>Unmatched statements</h1>
    <p>
      Results OpenSesame sent for a learner or a course we do not know. They are kept, and applied as soon as
      the learner (same e-mail) or the course appears.
    </p>
    ${!hasIntegration ? html`<p class="alert">This group has no OpenSesame integration.</p>` : ''}
    ${hasIntegration && rows.length === 0 ? html`<p>None: every statement found its learner and course.</p>` : ''}
    ${
      rows.length > 0
        ? html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Why</th>
                  <th scope="col">Learner e-mail</th>
                  <th scope="col">Course</th>
                  <th scope="col">Verb</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      <td>${when(r.received_at)}</td>
                      <td>${REASONS[r.reason] ?? r.reason}</td>
                      <td>${r.learner_mail ?? '—'}</td>
                      <td><code>${r.course_key ?? '—'}</code></td>
                      <td>${(r.verb_id ?? '').split('/').pop()}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : ''
    }`;
}
