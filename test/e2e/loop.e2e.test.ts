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
    await page.close();
  });
});
