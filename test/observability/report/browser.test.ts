import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../../src/observability/report/run-report.js';
import { observeSteps } from '../../../src/observability/steps.js';
import { createStepRegistry } from '../../../src/pipeline/builtins.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { PipelineDefinition } from '../../../src/pipeline/schema.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { embeddedData } from './read-page.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-bearer-4c1d9a7b3f';
const INJECTION = '</script><img src=x onerror="window.__injected=1">';
/** Where the last run's screenshot stays, overwritten each run, for people to look at. */
const SCREENSHOT_DIR = join(tmpdir(), 'ia-connectors-run-report');

const PIPELINE: PipelineDefinition = {
  name: 'report-demo',
  steps: [
    { id: 'list_users', type: 'api_call', config: { connector: 'users', method: 'GET', endpoint: '/users', output_field: 'users' } },
    {
      id: 'user_posts',
      type: 'foreach',
      config: {
        items: '{{ list_users.users }}',
        concurrency: 2,
        step: { type: 'api_call', inputs: { user_id: '{{ item.id }}' }, config: { connector: 'users', endpoint: '/users/{user_id}/posts' } },
      },
    },
    { id: 'warm_up', type: 'api_call', config: { connector: 'users', endpoint: '/flaky' } },
    { id: 'never', type: 'api_call', config: { connector: 'users', endpoint: '/never' } },
  ],
  flow: {
    start_at: 'list_users',
    transitions: [
      { from: 'list_users', to: 'user_posts' },
      { from: 'user_posts', to: 'warm_up' },
      { from: 'warm_up', to: 'never', condition: { type: 'expression', config: { source: 'result.ready', operator: 'equals', value: false } } },
    ],
  },
};

if (!existsSync(CHROMIUM)) {
  describe('run report in a browser', () => {
    it.skip(`needs Debian's chromium at ${CHROMIUM} (apt-get install chromium); CI installs it`, () => undefined);
  });
} else {
  describe('run report of a real pipeline run, in headless Chromium', () => {
    let browser: Browser;
    let server: ScriptedServer;
    let api: RestConnector;
    let dir: string;
    let file: string;
    let calls: number;

    beforeAll(async () => {
      const launching = chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      server = await startServer();
      server
        .route('GET', '/users', json(200, [{ id: 1 }, { id: 2 }, { id: 3 }]))
        .route('GET', '/users/*', (req, res) => json(200, { posts: [{ title: 'hello' }], note: INJECTION, seen: req.headers.authorization }, { 'set-cookie': `sid=${TOKEN}` })(req, res, undefined as never))
        .route('GET', '/flaky', [status(503), json(200, { ready: true })]);
      const report = runReport();
      api = createRestConnector({ name: 'users', baseUrl: server.url, auth: { type: 'bearer', token: TOKEN }, retry: { jitter: 'none', baseDelay: 20 } }, { observers: [report.observer] });
      const result = await runPipeline(PIPELINE, { connectors: { get: async () => api }, steps: observeSteps(createStepRegistry(), [report.observer]) });
      expect(result.status).toBe('succeeded');
      dir = await mkdtemp(join(tmpdir(), 'ia-report-e2e-'));
      file = await report.write(join(dir, 'report.html'), result, { pipeline: PIPELINE.name });
      calls = embeddedData(report.render(result)).calls.length;
      browser = await launching;
    });

    afterAll(async () => {
      await browser?.close();
      await api?.disconnect();
      await server?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function open(): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`external request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(file).href);
      return { page, problems };
    }

    it('renders without errors, one bar per request, every step with its status', async () => {
      const { page, problems } = await open();
      // list_users, three posts, the flaky call (two attempts, one call); the skipped step made none.
      expect(calls).toBe(5);
      const bars = page.locator('.request-bar');
      await expect.poll(() => bars.count()).toBe(5);
      const ids = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-call-id')));
      expect(new Set(ids).size).toBe(5);
      const steps = await page.locator('.step-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-step-id'), r.className.split(' ').at(2)]));
      expect(steps).toEqual([
        ['list_users', 'succeeded'],
        ['user_posts', 'succeeded'],
        ['user_posts[0]', 'succeeded'],
        ['user_posts[1]', 'succeeded'],
        ['user_posts[2]', 'succeeded'],
        ['warm_up', 'succeeded'],
        ['never', 'skipped'],
      ]);
      const flaky = page.locator('.request-bar', { has: page.locator('.marker.retry') });
      await expect.poll(() => flaky.count()).toBe(1);
      expect(await flaky.locator('.segment.attempt').count()).toBe(2);
      expect(await flaky.locator('.segment.attempt.fail').count()).toBe(1);
      expect(await flaky.getAttribute('title')).toMatch(/attempt 1: 503[\s\S]*retry 2 in 20 ms[\s\S]*attempt 2: 200/);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('clicking a bar shows that call’s redacted request and response; the recorded markup stays text', async () => {
      const { page, problems } = await open();
      const postsBar = page.locator('.call-row', { hasText: 'GET /users/{user_id}/posts' }).first().locator('.request-bar');
      await postsBar.click();
      const details = page.locator('#details');
      expect(await details.getAttribute('data-call-id')).toBe(await postsBar.getAttribute('data-call-id'));
      await expect.poll(() => details.locator('h2').textContent()).toBe('users GET /users/{user_id}/posts');
      const text = (await details.textContent()) ?? '';
      expect(text).toContain('set-cookie[REDACTED]');
      // Shown as JSON text (quotes escaped), never parsed as markup.
      expect(text).toContain('"note": "</script><img src=x onerror=');
      expect(text).toContain('GET http://127.0.0.1:');
      expect(text).not.toContain(TOKEN);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();

      // Keyboard: Tab-focused bar, Enter opens it.
      const flaky = page.locator('.request-bar', { has: page.locator('.marker.retry') });
      await flaky.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => details.locator('h2').textContent()).toBe('users GET /flaky');
      expect(await details.textContent()).toContain('Response of attempt 1 (503)');

      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const png = join(SCREENSHOT_DIR, 'run-report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect((await stat(png)).size).toBeGreaterThan(1000);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
}
