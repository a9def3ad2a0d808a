// The whole loop in a real browser: an admin activates OpenSesame against the embedded sandbox,
// courses appear, an author finds one and adds it to a program, a learner presses START, is signed
// in to the sandbox by SAML, finishes the course in its player (which sends the xAPI statement to
// our LMS URL), and the completion shows on the statistics page with the next program block open.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { parseConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { seedGroup, seedMember } from '../../src/platform/platform.seed.js';
import {
  freePort,
  newSession,
  screenshot,
  startBrowser,
  startServer,
  type Browser,
  type Server,
} from './harness.js';

const PASSWORD = 'e2e-password-123';
const SECRET_KEY = 'e2e-secret-key-that-is-long-enough-0123456789';
const SANDBOX_CIID = 'sandbox-ciid-0001';

describe('the whole loop in a browser', { timeout: 240_000 }, () => {
  let dataDir: string;
  let server: Server;
  let browser: Browser;
  const ids = { company: '', content: '', sales: '' };
  let env: Record<string, string>;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-data-'));
    const [port, sandboxPort] = [await freePort(), await freePort()];
    env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      SECRET_KEY,
      SANDBOX_COURSES: '24',
      SANDBOX_PORT: String(sandboxPort),
      SCHEDULER_ENABLED: 'false',
    };
    // The people and groups, written straight into the fresh database before the server starts.
    const config = parseConfig({ ...env, LOG_LEVEL: 'silent' });
    const ctx = await createContext(config, { log: createLogger('silent') });
    try {
      ids.company = (await seedGroup(ctx, { name: 'Acme Corp' })).id;
      ids.content = (
        await seedGroup(ctx, { name: 'OpenSesame library', parentId: ids.company, isPublic: false })
      ).id;
      ids.sales = (await seedGroup(ctx, { name: 'Sales', parentId: ids.company })).id;
      await seedMember(ctx, {
        groupId: ids.company,
        email: 'admin@acme.test',
        name: 'Ada Admin',
        role: 'admin',
        password: PASSWORD,
      });
      await seedMember(ctx, {
        groupId: ids.content,
        email: 'author@acme.test',
        name: 'Otto Author',
        role: 'author',
        password: PASSWORD,
      });
      await seedMember(ctx, {
        groupId: ids.sales,
        email: 'author@acme.test',
        role: 'author',
        password: PASSWORD,
      });
      await seedMember(ctx, {
        groupId: ids.sales,
        email: 'learner@acme.test',
        name: 'Lea Learner',
        role: 'learner',
        password: PASSWORD,
      });
    } finally {
      await ctx.destroy();
    }
    server = await startServer(env);
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/home`);
  }

  it('an admin signs in and activates OpenSesame against the sandbox; courses appear', async () => {
    const page = await newSession(browser);
    await page.goto(server.url);
    await screenshot(page, '01-sign-in');
    await signIn(page, 'admin@acme.test');
    await screenshot(page, '02-home');
    await page.goto(`${server.url}/groups/${ids.content}/settings/integrations/opensesame`);
    await page.getByLabel('OpenSesame Customer Integration ID').fill(SANDBOX_CIID);
    await screenshot(page, '03-integration-setup');
    await page.getByRole('button', { name: 'Setup Integration' }).click();
    await page.getByRole('link', { name: 'Continue' }).waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, '04-first-sync');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Webhook credentials' }).waitFor();
    const secret = (await page.locator('#client-secret').textContent())?.trim() ?? '';
    assert.ok(secret.length > 10, 'the client secret is shown');
    assert.equal((await page.locator('#scope').textContent())?.trim(), 'xapi:write');
    assert.equal((await page.locator('#user-identification').textContent())?.trim(), 'MBOX');
    assert.match((await page.locator('#lms-url').textContent()) ?? '', /\/api\/opensesame\/stats$/);
    assert.match((await page.locator('main').textContent()) ?? '', /succeeded/);
    await screenshot(page, '05-integration-status');
    // Seed step 4 and the SSO set-up, handed to the embedded sandbox as an admin would e-mail them.
    await page.getByRole('button', { name: 'Send to the sandbox' }).click();
    await page.getByText('The sandbox has our SAML identity provider').waitFor();
    assert.match((await page.locator('#sso-h + p + dl').textContent()) ?? '', /\/saml\/acs/);
    await page.close();
  });

  // Two synced courses whose statements the sandbox player sends with an IRI (xApiActivityId).
  let courses: Array<{ id: string; name: string }> = [];

  it('an admin finds a course by search and puts it in the Sales catalog', async () => {
    const db = new Database(path.join(dataDir, 'sesame-bridge.sqlite'), { readonly: true });
    try {
      courses = db
        .prepare(
          "select id, name from courses where xapi_activity_id is not null and archived = 0 and name not like '%<%' order by name limit 2",
        )
        .all() as Array<{ id: string; name: string }>;
    } finally {
      db.close();
    }
    assert.equal(courses.length, 2);
    const [first] = courses as [{ id: string; name: string }];
    const page = await newSession(browser);
    await signIn(page, 'admin@acme.test');
    await page.getByRole('link', { name: 'Catalog', exact: true }).click();
    await page.getByLabel('Search courses').fill(first.name);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: first.name, exact: true }).waitFor();
    await screenshot(page, '06-catalog-search');
    await page.getByRole('link', { name: first.name, exact: true }).click();
    await page.getByRole('heading', { name: first.name }).waitFor();
    await page.getByLabel('Group').selectOption({ label: 'Sales' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added to the catalog.').waitFor();
    await screenshot(page, '07-course-page');
    await page.close();
  });

  it('an author adds the synced courses to a program and starts a session for the learner', async () => {
    const page = await newSession(browser);
    await signIn(page, 'author@acme.test');
    await page.goto(`${server.url}/groups/${ids.sales}/programs`);
    await page.getByLabel('New program name').fill('Onboarding');
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.getByRole('heading', { name: 'Onboarding' }).waitFor();
    for (const course of courses) {
      await page.getByLabel('Find a course').fill(course.name);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('button', { name: `Add ${course.name}`, exact: true }).click();
      await page.locator('ol.blocks').getByText(course.name, { exact: true }).waitFor();
    }
    await page.getByLabel('New session name').fill('March cohort');
    await page.getByLabel(/Lea Learner/).check();
    await page.getByRole('button', { name: 'Start session now' }).click();
    await page.getByText('March cohort').waitFor();
    await screenshot(page, '08-program');
    await page.close();
  });

  it('a learner presses START, lands signed in on the sandbox player and finishes; the next block opens', async () => {
    const [first, second] = courses as [{ id: string; name: string }, { id: string; name: string }];
    const page = await newSession(browser);
    await signIn(page, 'learner@acme.test');
    await page.goto(`${server.url}/my/programs`);
    const blocks = page.locator('ol.blocks > li');
    await blocks.nth(1).getByText('Locked').waitFor();
    await screenshot(page, '09-my-programs-before');
    await blocks.nth(0).getByRole('link', { name: first.name, exact: true }).click();
    await page.getByRole('button', { name: 'START' }).click();
    // The SAML POST page submits itself; the sandbox's ACS checks the signature and redirects.
    await page.waitForURL(/\/player\//, { timeout: 20_000 });
    assert.notEqual(new URL(page.url()).origin, server.url);
    await page.getByText('learner@acme.test').waitFor();
    await screenshot(page, '10-sandbox-player');
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('heading', { name: 'Course completed' }).waitFor();
    await screenshot(page, '11-sandbox-finished');

    await page.goto(`${server.url}/my/programs`);
    // The statement is applied in the background: reload until the block shows it.
    for (let i = 0; i < 40 && !(await blocks.nth(0).getByText('Completed').isVisible()); i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    await blocks.nth(0).getByText('Completed').waitFor({ timeout: 1000 });
    await blocks.nth(1).getByRole('link', { name: second.name, exact: true }).waitFor();
    assert.equal(await blocks.nth(1).getByText('Locked').count(), 0);
    await screenshot(page, '12-my-programs-after');
    await page.close();
  });

  it('the completion shows on the statistics page', async () => {
    const [first] = courses as [{ id: string; name: string }];
    const page = await newSession(browser);
    await signIn(page, 'admin@acme.test');
    await page.goto(`${server.url}/groups/${ids.sales}/stats`);
    const row = page.locator('section[aria-labelledby="per-course-h"] tbody tr', { hasText: first.name });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /100%/);
    const learners = page.locator('section[aria-labelledby="learners-h"] tbody tr', {
      hasText: 'Lea Learner',
    });
    assert.match((await learners.first().textContent()) ?? '', /success/);
    // Both charts drawn by Chart.js under the page's Content-Security-Policy.
    await page.waitForFunction(() => {
      const charts = Array.from(document.querySelectorAll('canvas[data-chart]'));
      const lib = (window as { Chart?: { getChart(c: Element): unknown } }).Chart;
      return charts.length === 2 && charts.every((c) => lib?.getChart(c) !== undefined);
    });
    await screenshot(page, '13-statistics');
    await page.goto(`${server.url}/groups/${ids.content}/stats/unmatched`);
    await page.getByRole('heading', { name: 'Unmatched statements' }).waitFor();
    await screenshot(page, '14-unmatched');
    await page.close();
  });

  it('an author builds a path and enrols the learner, who sees its steps on a phone', async () => {
    const [first, second] = courses as [{ id: string; name: string }, { id: string; name: string }];
    const page = await newSession(browser);
    await signIn(page, 'author@acme.test');
    await page.goto(`${server.url}/groups/${ids.sales}/paths`);
    await page.getByLabel('New path name').fill('Sales basics');
    await page.getByRole('button', { name: 'Create path' }).click();
    await page.getByRole('heading', { name: 'Sales basics' }).waitFor();
    for (const course of [first, second]) {
      await page.getByLabel('Find a course').fill(course.name);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('button', { name: `Add ${course.name}`, exact: true }).click();
      await page.locator('ol.steps').getByRole('link', { name: course.name, exact: true }).waitFor();
    }
    await page.getByRole('button', { name: `Move up ${second.name}`, exact: true }).click();
    await page
      .locator('ol.steps > li')
      .first()
      .getByRole('link', { name: second.name, exact: true })
      .waitFor();
    await page.getByLabel(/Lea Learner/).check();
    await page.getByRole('button', { name: 'Enrol' }).click();
    await page.getByText('Learners enrolled.').waitFor();
    await screenshot(page, '15-path-editor');
    await page.close();

    const phone = await newSession(browser);
    await phone.setViewportSize({ width: 390, height: 844 });
    await signIn(phone, 'learner@acme.test');
    await phone.getByRole('link', { name: 'My paths' }).click();
    const steps = phone.locator('ol.steps > li');
    // The first course was completed in the program: completion is about the course, not the entry.
    await steps.nth(1).getByText('Completed').waitFor();
    await steps
      .nth(0)
      .getByRole('button', { name: `START ${second.name}`, exact: true })
      .waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
    await screenshot(phone, '16-my-paths-phone');
    await phone.close();
  });

  it('no page had anything blocked by its Content-Security-Policy', () => {
    assert.deepEqual(browser.violations, []);
  });
});
