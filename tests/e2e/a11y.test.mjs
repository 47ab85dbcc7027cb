// Accessibility: axe-core (WCAG 2.1 A and AA, and axe's best practices) on the page as it is served
// (its Content-Security-Policy on), in light and dark, wide and narrow, in each state of STATES.
// Zero violations: a violation fails the test with axe's rule, impact, help and the elements.
//
// To check one more state, add one line to STATES: a name and an async function that takes the
// page (already open, the form mounted) and brings it into that state, e.g.
//   ['prerequisites panel open', openPrerequisites],

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createViaApi, fillForm, launchBrowser, openPage, startServer, validRequest } from './lib/harness.mjs';

/** The rule sets checked: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const VIEWPORTS = { wide: { width: 1280, height: 900 }, narrow: { width: 390, height: 844 } };

/** axe-core's browser bundle, evaluated in the page over the DevTools protocol (an inline
 * `<script>` would be, rightly, refused by the page's CSP). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A draft with a finding shown: an invalid job name the user is fixing, the rest valid. */
async function findingShown(page) {
  const req = validRequest('a11y');
  req.job_name = 'Not_A_Job';
  await fillForm(page, req);
  await page.locator('input[name="code_engine.job_name"]').blur();
  await page.locator('li.finding[data-path="code_engine.job_name"]').first().waitFor({ state: 'visible' });
}

/** The pickers filled and the prerequisites panel showing ✓ and ✗ with their fixes (the default
 * world: project partners has no authorization, secret no-rotation-key does not rotate). */
async function openPrerequisites(page) {
  const form = page.locator('form[data-testid="request-form"]');
  await form.locator('input[name="name"]').fill('partner-keys');
  await form.locator('select[name="code_engine.region"]').selectOption('eu-de');
  await page.locator('[data-testid="project-picker"] select option[value="2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e"]').waitFor({ state: 'attached' });
  await page.locator('[data-testid="project-picker"] select').selectOption('2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e');
  await page.locator('[data-testid="job-picker"] select option[value="issue-partner-key"]').waitFor({ state: 'attached' });
  await page.locator('[data-testid="job-picker"] select').selectOption('issue-partner-key');
  await page.locator('[data-testid="secret-picker"] select option[value="1c8f4d0b-6e2a-4f3b-9d7c-0e1f2a3b4c5d"]').waitFor({ state: 'attached' });
  await page.locator('[data-testid="secret-picker"] select').selectOption('1c8f4d0b-6e2a-4f3b-9d7c-0e1f2a3b4c5d');
  await page.locator('li.prereq[data-id="credentials"][data-status="failed"]').waitFor();
  await page.locator('li.prereq[data-id="authorization"][data-status="failed"]').waitFor();
  await page.locator('li.prereq[data-id="job"][data-status="ok"]').waitFor();
  // a confirmation open too
  await page.locator('[data-testid="create-authorization"]').click();
  await page.locator('[data-testid="confirm"]').waitFor();
}

/** The panel as above with the IAM credentials secret form open, a problem told in it and its
 * previews shown. */
async function secretFormOpen(page) {
  await openPrerequisites(page);
  await page.locator('[data-testid="create-secret"]').click();
  await page.locator('#secret-form-ttl').fill('91d');
  await page.locator('[data-testid="secret-problems"] li[data-path="ttl"]').waitFor();
  await page.locator('[data-testid="secret-preview"] details[data-form="CLI"]').waitFor();
}

/** The states checked: [name, async (page) => bring the page into it]. */
const STATES = [
  ['a finding shown', findingShown],
  ['prerequisites panel open', openPrerequisites],
  ['secret form open', secretFormOpen],
];

/** axe's violations on the page, each as one readable block. */
async function violations(page) {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return found.violations.map((v) =>
    [
      `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`,
      ...v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
    ].join('\n'),
  );
}

describe('accessibility (axe-core, WCAG 2.1 AA and best practices)', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // the list of configurations has a row, as people will see it
    await createViaApi(server, { ...validRequest('seed'), name: 'billing_api_keys' });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [stateName, enter] of STATES) {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      for (const colorScheme of ['light', 'dark']) {
        test(`${stateName}, ${size}, ${colorScheme}`, async () => {
          const { page, done } = await openPage(browser, server.url, { viewport, colorScheme });
          // the server's status and the list are in: the badge and the rows as people see them
          await page.locator('.badge.badge-emulator').waitFor({ state: 'visible' });
          await page.locator('[data-testid="config-row"]').first().waitFor({ state: 'visible' });
          await enter(page);
          const found = await violations(page);
          assert.deepEqual(found, [], `axe found ${found.length} violation(s):\n${found.join('\n')}`);
          await done();
        });
      }
    }
  }
});
