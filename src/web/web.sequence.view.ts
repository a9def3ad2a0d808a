// What the path and program pages share: a group's list of them and the form that creates one,
// an ordered list of courses (path steps, program blocks) with each one's state for a learner,
// the finder that adds a course to such a list (the catalog's search, limited to what the caller
// may see), and the picker of a group's learners.
import type { ItemState } from '../paths/sequence.rules.js';
import type { CourseSummary } from '../search/search.mapping.js';
import { html, type HtmlValue, type SafeHtml } from './web.html.js';
import { csrfField } from './web.layout.js';
import { badge, when } from './web.format.js';

export type SequenceItem = CourseSummary & { position: number; archived: boolean; state?: ItemState };

const STATE_LABEL: Record<ItemState, [string, 'ok' | 'warn' | 'bad']> = {
  completed: ['Completed', 'ok'],
  in_progress: ['In progress', 'warn'],
  available: ['Open', 'ok'],
  locked: ['Locked', 'bad'],
};

/** A group's paths or programs, each a link to its page (`href`), or `empty` when there is none. */
export function headList(
  heads: ReadonlyArray<{ id: string; name: string; createdAt: string }>,
  href: (id: string) => string,
  empty: string,
): SafeHtml {
  if (heads.length === 0) return html`<p>${empty}</p>`;
  return html`<ul>
    ${heads.map((h) => html`<li><a href="${href(h.id)}">${h.name}</a> <span class="hint">created ${when(h.createdAt)}</span></li>`)}
  </ul>`;
}

/** The form that creates a path or program in a group: a name, and a description where it has one. */
export function createHeadForm(options: {
  action: string;
  csrf: string;
  /** Lower case, as in "New path name"; also the fields' id prefix. */
  noun: string;
  description: boolean;
}): SafeHtml {
  const { noun } = options;
  return html`<form method="post" action="${options.action}" class="panel">
    ${csrfField(options.csrf)}
    <label for="${noun}-name">New ${noun} name</label>
    <input id="${noun}-name" name="name" type="text" required maxlength="200" />
    ${
      options.description
        ? html`<label for="${noun}-description">Description <span class="hint">(optional)</span></label>
            <textarea id="${noun}-description" name="description" maxlength="5000" class="prose"></textarea>`
        : ''
    }
    <div class="actions"><button type="submit" class="primary">Create ${noun}</button></div>
  </form>`;
}

/** The services take who is asking as `{ userId, isPlatformAdmin }`. */
export function viewerOf(p: { userId: string; isPlatformAdmin: boolean }) {
  return { userId: p.userId, isPlatformAdmin: p.isPlatformAdmin };
}

/**
 * The courses in order; a locked one is not a link. `from` is the entry point the course page
 * launches from (`session:<id>`, `path:<id>`); `controls` adds buttons under an item.
 */
export function sequenceList(
  items: readonly SequenceItem[],
  options: {
    listClass: string;
    empty: string;
    from?: string;
    controls?: (item: SequenceItem, index: number) => HtmlValue;
  },
): SafeHtml {
  if (items.length === 0) return html`<p>${options.empty}</p>`;
  const query = options.from ? `?from=${encodeURIComponent(options.from)}` : '';
  return html`<ol class="${options.listClass} sequence">
    ${items.map((item, index) => {
      const state = item.state ? STATE_LABEL[item.state] : undefined;
      const facts = [item.author, item.durationMinutes ? `${item.durationMinutes} min` : null];
      return html`<li data-position="${item.position}">
        ${
          item.state === 'locked'
            ? html`<span>${item.name}</span>`
            : html`<a href="/courses/${item.id}${query}">${item.name}</a>`
        }
        ${state ? badge(state[0], state[1]) : ''} ${item.archived ? badge('Archived', 'warn') : ''}
        <span class="hint">${facts.filter(Boolean).join(' · ')}</span>
        ${options.controls ? html`<div class="controls">${options.controls(item, index)}</div>` : ''}
      </li>`;
    })}
  </ol>`;
}

/**
 * A one-button POST form (CSRF field included), for the small actions beside an item. `about` (the
 * item's name) follows the visible label for screen readers only: "Remove" reads "Remove Pricing".
 */
export function actionButton(
  action: string,
  csrf: string,
  fields: Record<string, string>,
  label: string,
  about: string,
  tone?: 'primary' | 'danger',
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(csrf)}
    ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    <button type="submit" class="${tone ?? ''}">
      ${label}<span class="visually-hidden"> ${about}</span>
    </button>
  </form>`;
}

/** Search for a course (a GET form back to `page`) and add a result to the list (POST `addAction`). */
export function courseFinder(options: {
  page: string;
  addAction: string;
  csrf: string;
  q: string | undefined;
  found: { items: readonly CourseSummary[] } | null;
  already: ReadonlySet<string>;
  alreadyLabel: string;
}): SafeHtml {
  const { found } = options;
  return html`<form method="get" action="${options.page}" role="search">
      <label for="find">Find a course</label>
      <div class="row">
        <input id="find" name="q" type="search" value="${options.q ?? ''}" />
        <button type="submit">Search</button>
      </div>
    </form>
    ${
      found
        ? html`<ul class="finder">
              ${found.items.map(
                (c) =>
                  html`<li>
                    <span>${c.name} <span class="hint">${c.author ?? ''}</span></span>
                    ${
                      options.already.has(c.id)
                        ? badge(options.alreadyLabel, 'ok')
                        : actionButton(options.addAction, options.csrf, { courseId: c.id }, 'Add', c.name)
                    }
                  </li>`,
              )}
            </ul>
            ${found.items.length === 0 ? html`<p>No course found.</p>` : ''}`
        : ''
    }`;
}

/** Checkboxes for a group's learners (name `learnerIds`). */
export function learnerPicker(
  members: ReadonlyArray<{ userId: string; name: string; email: string }>,
  legend = 'Learners',
  none = 'No learner in this group.',
): SafeHtml {
  return html`<fieldset>
    <legend>${legend}</legend>
    ${members.map(
      (m) =>
        html`<label
          ><input type="checkbox" name="learnerIds" value="${m.userId}" /> ${m.name}
          <span class="hint">${m.email}</span></label
        >`,
    )}
    ${members.length === 0 ? html`<p class="hint">${none}</p>` : ''}
  </fieldset>`;
}
