// Settings → Integrations → OpenSesame, the markup: the CIID form (seed step 3), the status with
// last and next sync, the webhook credentials and the block of seed step 4 with copy buttons, SSO,
// held archives, sync history with per-course errors, and Deactivate behind a confirmation.
import type { IntegrationView } from '../integrations/integrations.mapping.js';
import type { ServiceProviderView } from '../sso/sso.service.js';
import { html, type SafeHtml } from './web.html.js';
import { csrfField } from './web.layout.js';
import { badge, plural, when } from './web.format.js';

export const integrationBase = (groupId: string) => `/groups/${groupId}/settings/integrations/opensesame`;

export type SetupForm = {
  ciid: string;
  connectorAdminEmail: string;
  error?: { field: string; message: string };
};

export function setupFormView(
  groupId: string,
  csrf: string,
  form: SetupForm,
  previous: IntegrationView | null,
): SafeHtml {
  const err = form.error;
  const errFor = (field: string) =>
    err && err.field === field
      ? html`<p class="alert error" id="${field}-error" role="alert">${err.message}</p>`
      : '';
  return html`<h1>OpenSesame</h1>
    ${
      previous?.status === 'inactive'
        ? html`<p class="alert">
            This integration was deactivated ${when(previous.deactivatedAt)}. Setting it up again keeps its
            courses, statistics and webhook credentials.
          </p>`
        : ''
    }
    ${err && !['ciid', 'connectorAdminEmail'].includes(err.field) ? html`<p class="alert error" role="alert">${err.message}</p>` : ''}
    <p>
      Sync the courses of your OpenSesame catalogue into this group's Catalog, and learners' results back.
    </p>
    <form method="post" action="${integrationBase(groupId)}/setup" class="panel">
      ${csrfField(csrf)}
      <label for="ciid">OpenSesame Customer Integration ID</label>
      <p class="hint" id="ciid-hint">The customer_integration_id OpenSesame gave you.</p>
      <input
        id="ciid"
        name="customerIntegrationId"
        type="text"
        required
        autocomplete="off"
        spellcheck="false"
        value="${form.ciid}"
        aria-describedby="ciid-hint${err?.field === 'ciid' ? ' ciid-error' : ''}"
      />
      ${errFor('ciid')}
      <label for="connector">Connector admin e-mail</label>
      <p class="hint" id="connector-hint">
        An author or administrator of this group; they become the author of the synced courses.
      </p>
      <input
        id="connector"
        name="connectorAdminEmail"
        type="email"
        required
        value="${form.connectorAdminEmail}"
        aria-describedby="connector-hint${err?.field === 'connectorAdminEmail' ? ' connectorAdminEmail-error' : ''}"
      />
      ${errFor('connectorAdminEmail')}
      <div class="actions"><button type="submit" class="primary">Setup Integration</button></div>
    </form>`;
}

export function progressView(groupId: string): SafeHtml {
  return html`<h1>Setting up OpenSesame</h1>
    <section
      class="panel"
      data-poll="${integrationBase(groupId)}/status.json"
      aria-labelledby="progress-label"
    >
      <p id="progress-label">
        <strong>The first sync is running.</strong> It lists the whole catalogue; this can take a few minutes.
      </p>
      <progress aria-labelledby="progress-label" max="100"></progress>
      <p data-status-text aria-live="polite">Starting…</p>
      <p data-continue hidden><a class="button primary" href="${integrationBase(groupId)}">Continue</a></p>
      <noscript
        ><p><a class="button primary" href="${integrationBase(groupId)}">Continue</a></p></noscript
      >
    </section>`;
}

function copyable(id: string, label: string, value: string): SafeHtml {
  return html`<dt id="${id}-label">${label}</dt>
    <dd>
      <code id="${id}">${value}</code>
      <button type="button" data-copy="#${id}" aria-describedby="${id}-label">Copy</button>
    </dd>`;
}

function healthBadge(v: IntegrationView): SafeHtml {
  if (v.status === 'inactive') return badge('Deactivated', 'bad');
  if (v.health === 'held') return badge('Archives held for you to confirm', 'warn');
  if (v.health === 'failed') return badge('Last sync failed', 'bad');
  if (v.status === 'setting-up') return badge('Setting up', 'warn');
  return badge('Active', 'ok');
}

export type RunWithErrors = {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number>;
  error: string | null;
  issues: Array<{ externalId: string | null; code: string; message: string }>;
};

export type StatusParts = {
  view: IntegrationView;
  csrf: string;
  notice: string | null;
  sp: ServiceProviderView | null;
  idpMetadataUrl: string;
  runs: RunWithErrors[];
  /** The integration runs on this process's embedded sandbox. */
  sandbox: boolean;
};

export function statusView(p: StatusParts): SafeHtml {
  const v = p.view;
  const base = integrationBase(v.groupId);
  const last = v.lastRun;
  const live = v.status !== 'inactive';
  return html`<h1>OpenSesame</h1>
    ${p.notice ? html`<p class="alert success" role="status">${p.notice}</p>` : ''}
    <section class="panel" aria-labelledby="status-h">
      <h2 id="status-h">Status</h2>
      <p>${healthBadge(v)}</p>
      <dl class="fields">
        <dt>Courses</dt>
        <dd>${plural(v.courses.live, 'course')} in the catalog, ${v.courses.archived} archived</dd>
        <dt>Last sync</dt>
        <dd>
          ${last ? html`${when(last.finishedAt ?? last.startedAt, v.schedule.timeZone)} — ${last.status} (${last.trigger})` : 'not yet'}
        </dd>
        <dt>Next sync</dt>
        <dd>${live ? when(v.schedule.nextRunAt, v.schedule.timeZone) : 'none: deactivated'}</dd>
        <dt>Schedule</dt>
        <dd><code>${v.schedule.cron}</code> ${v.schedule.timeZone}</dd>
      </dl>
      ${last?.error ? html`<p class="alert error">${last.error.message ?? last.error.code}</p>` : ''}
      ${
        live
          ? html`<form method="post" action="${base}/sync-now" class="actions">
              ${csrfField(p.csrf)}<button type="submit" class="primary">Sync now</button>
            </form>`
          : ''
      }
    </section>
    ${
      v.heldArchives.length > 0
        ? html`<section class="panel" aria-labelledby="held-h">
            <h2 id="held-h">Archives held for you to confirm</h2>
            <p>
              The last complete listing no longer has these ${plural(v.heldArchives.length, 'course')}: more
              than the safe share of the catalogue. Confirm to archive them (they stay in paths and programs
              and keep their statistics), or keep them.
            </p>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">
                  Held courses
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Course</th>
                    <th scope="col">OpenSesame id</th>
                  </tr>
                </thead>
                <tbody>
                  ${v.heldArchives.map(
                    (h) =>
                      html`<tr>
                        <td>${h.name}</td>
                        <td><code>${h.externalId}</code></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <div class="actions">
              <form method="post" action="${base}/held-archives/reject">
                ${csrfField(p.csrf)}<button type="submit">Keep them</button>
              </form>
              <form method="post" action="${base}/held-archives/confirm">
                ${csrfField(p.csrf)}<button type="submit" class="primary">Archive them</button>
              </form>
            </div>
          </section>`
        : ''
    }
    <section class="panel" aria-labelledby="webhook-h">
      <h2 id="webhook-h">Webhook credentials</h2>
      <p>Send this to OpenSesame so that learners' results come back (xAPI).</p>
      <dl class="fields">
        ${copyable('lms-auth-url', 'LMS Auth URL', v.xapi.lmsAuthUrl)}
        ${copyable('lms-url', 'LMS URL', v.xapi.lmsUrl)}
        ${copyable('client-id', 'Client ID', v.xapi.clientId)}
        ${copyable('client-secret', 'Client Secret', v.xapi.clientSecret)}
        ${copyable('scope', 'Scope', v.xapi.scope)}
        ${copyable('user-identification', 'User identification', v.xapi.userIdentification)}
      </dl>
      ${v.webhook.validUntil ? html`<p class="hint">These credentials stop working ${when(v.webhook.validUntil)}.</p>` : ''}
      ${
        live
          ? html`<form method="post" action="${base}/rotate" class="actions">
              ${csrfField(p.csrf)}<button type="submit">Rotate the client secret</button>
            </form>`
          : ''
      }
    </section>
    ${
      p.sandbox && live
        ? html`<section class="panel" aria-labelledby="sandbox-h">
            <h2 id="sandbox-h">Embedded OpenSesame sandbox</h2>
            <p>
              This integration runs on the sandbox built into sesame-bridge. Send it the webhook block above
              and our SAML identity provider, as you would send them to OpenSesame, so that START signs
              learners in and the sandbox's player reports completions here.
            </p>
            <form method="post" action="${base}/sandbox-connect" class="actions">
              ${csrfField(p.csrf)}<button type="submit" class="primary">Send to the sandbox</button>
            </form>
          </section>`
        : ''
    }
    <section class="panel" aria-labelledby="sso-h">
      <h2 id="sso-h">Single sign-on (SAML)</h2>
      <p>OpenSesame signs learners in with this platform as identity provider.</p>
      <dl class="fields">
        ${copyable('idp-metadata', 'Our IdP metadata', p.idpMetadataUrl)}
        <dt>OpenSesame (SP)</dt>
        <dd>
          ${p.sp ? html`<code>${p.sp.entityId}</code> → <code>${p.sp.acsUrl}</code>` : html`<span class="hint">not configured: START cannot sign learners in</span>`}
        </dd>
      </dl>
      <details>
        <summary>Set the service provider</summary>
        <form method="post" action="${base}/saml">
          ${csrfField(p.csrf)}
          <label for="sp-metadata">SP metadata XML</label>
          <textarea id="sp-metadata" name="metadataXml" spellcheck="false"></textarea>
          <p class="hint">Or, instead of metadata:</p>
          <label for="sp-entity">SP entity id</label>
          <input id="sp-entity" name="entityId" type="text" value="${p.sp?.entityId ?? ''}" />
          <label for="sp-acs">ACS URL (HTTP-POST)</label>
          <input id="sp-acs" name="acsUrl" type="url" value="${p.sp?.acsUrl ?? ''}" />
          <div class="actions"><button type="submit">Save</button></div>
        </form>
      </details>
    </section>
    <section class="panel" aria-labelledby="history-h">
      <h2 id="history-h">Sync history</h2>
      ${p.runs.length === 0 ? html`<p>No sync yet.</p>` : ''}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">
            Latest syncs, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Result</th>
              <th scope="col">Listed</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
              <th scope="col">Archived</th>
              <th scope="col">Restored</th>
              <th scope="col">Rejected</th>
            </tr>
          </thead>
          <tbody>
            ${p.runs.map(
              (r) =>
                html`<tr>
                    <td>${when(r.startedAt, v.schedule.timeZone)}</td>
                    <td>${r.trigger}</td>
                    <td>
                      ${r.status === 'succeeded' ? badge('succeeded', 'ok') : r.status === 'failed' ? badge('failed', 'bad') : badge(r.status, 'warn')}
                      ${r.error ? html`<br /><span class="hint">${r.error}</span>` : ''}
                    </td>
                    <td>${r.counts.listed}</td>
                    <td>${r.counts.created}</td>
                    <td>${r.counts.updated}</td>
                    <td>${r.counts.archived}</td>
                    <td>${r.counts.restored}</td>
                    <td>${r.counts.rejected}</td>
                  </tr>
                  ${
                    r.issues.length > 0
                      ? html`<tr>
                          <td colspan="9">
                            <details>
                              <summary>${plural(r.issues.length, 'course error')}</summary>
                              <ul>
                                ${r.issues.map((i) => html`<li><code>${i.externalId ?? '—'}</code>: ${i.message} <span class="hint">(${i.code})</span></li>`)}
                              </ul>
                            </details>
                          </td>
                        </tr>`
                      : ''
                  }`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    ${live ? html`<div class="actions"><a class="button" href="${base}/deactivate">Deactivate</a></div>` : ''}`;
}

export function deactivateView(groupId: string, csrf: string, courses: number): SafeHtml {
  const base = integrationBase(groupId);
  return html`<h1>Deactivate OpenSesame?</h1>
    <div class="panel">
      <p>
        The sync will stop and all ${plural(courses, 'course')} will be archived. They stay in the paths and
        programs that hold them and keep their statistics. You will keep all the learning data that was
        already synced.
      </p>
      <p>
        The webhook credentials keep working for a grace period, so that completions in flight still arrive.
      </p>
      <form method="post" action="${base}/deactivate" class="actions">
        ${csrfField(csrf)}
        <a class="button" href="${base}">Cancel</a>
        <button type="submit" class="danger">Deactivate</button>
      </form>
    </div>`;
}
