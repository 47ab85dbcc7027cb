// Previews: all four renderings follow every keystroke, the curl never holds a token, the copy
// buttons put exactly the pane's text on the clipboard and say so.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, fillForm, gotoApp, openPage, previews, serverAndBrowser, validRequest } from './lib/harness.mjs';

const FORMATS = ['json', 'curl', 'cli', 'terraform'];

describe('previews', () => {
  const env = serverAndBrowser();

  test('every pane follows each keystroke and carries the typed values', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    const req = validRequest('preview');
    await fillForm(page, req);
    const panes = await eventually(async () => {
      const p = await previews(page);
      return FORMATS.every((f) => p[f]?.includes(req.name)) && p;
    }, 'previews do not show the name');
    assert.deepEqual(Object.keys(panes).sort(), [...FORMATS].sort());
    for (const f of FORMATS) {
      for (const v of [req.name, req.project_id, req.job_name, req.region, req.api_key_ref, req.task_timeout]) {
        assert.ok(panes[f].includes(v), `${f} pane lacks ${v}:\n${panes[f]}`);
      }
    }
    assert.deepEqual(JSON.parse(panes.json), {
      name: req.name,
      config_type: 'custom_credentials_configuration',
      api_key_ref: req.api_key_ref,
      code_engine: { job_name: req.job_name, project_id: req.project_id, region: req.region },
      task_timeout: req.task_timeout,
    });
    assert.ok(panes.curl.includes('${IAM_TOKEN}'), `curl lacks \${IAM_TOKEN}:\n${panes.curl}`);
    assert.match(panes.curl, /\/api\/v2\/configurations/);
    assert.match(panes.cli, /ibmcloud secrets-manager configuration-create/);
    assert.match(panes.terraform, /resource "ibm_sm_custom_credentials_configuration"/);

    // the Terraform import ID follows the target and the name
    const instance = await page.locator('input[name="target.instance_id"]').inputValue();
    const region = await page.locator('select[name="target.region"]').inputValue();
    await eventually(
      async () => (await page.locator('[data-testid="import-id"]').textContent())?.includes(`${region}/${instance}/${req.name}`),
      'import ID is not <region>/<instance_id>/<name>',
    );

    // one more keystroke: every pane has it before anything else happens
    const name = page.locator('input[name="name"]');
    await name.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('Z');
    await eventually(async () => {
      const p = await previews(page);
      return FORMATS.every((f) => p[f].includes(`${req.name}Z`));
    }, 'a keystroke did not reach every pane');
    await page.keyboard.press('Backspace');
    await eventually(async () => {
      const p = await previews(page);
      return FORMATS.every((f) => !p[f].includes(`${req.name}Z`) && p[f].includes(req.name));
    }, 'a deletion did not reach every pane');

    // the target goes into the curl's URL
    await page.locator('input[name="target.instance_id"]').fill('0b5571f7-21e6-42b7-91c5-3f5ac9793a46');
    await eventually(
      async () => (await previews(page)).curl.includes('0b5571f7-21e6-42b7-91c5-3f5ac9793a46'),
      'the curl does not follow the target instance',
    );
    await done();
  });

  test('tabs switch panes and say which is selected', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    for (const f of FORMATS) {
      await page.locator(`button[role="tab"][data-tab="${f}"]`).click();
      assert.equal(await page.locator(`button[role="tab"][data-tab="${f}"]`).getAttribute('aria-selected'), 'true');
      assert.ok(await page.locator(`[role="tabpanel"][data-format="${f}"]`).isVisible(), `${f} pane hidden when selected`);
      for (const g of FORMATS.filter((x) => x !== f)) {
        assert.equal(await page.locator(`button[role="tab"][data-tab="${g}"]`).getAttribute('aria-selected'), 'false');
        assert.ok(!(await page.locator(`[role="tabpanel"][data-format="${g}"]`).isVisible()), `${g} pane visible too`);
      }
    }
    // the keyboard walks the tabs with the arrow keys (the ARIA tabs pattern)
    await page.locator('button[role="tab"][data-tab="json"]').click();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('button[role="tab"][data-tab="curl"]').getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.tab), 'curl');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('button[role="tab"][data-tab="terraform"]').getAttribute('aria-selected'), 'true');
    await done();
  });

  test('copy puts exactly the pane text on the clipboard and confirms it', async () => {
    const { page, done } = await openPage(env.browser, null, { permissions: ['clipboard-read', 'clipboard-write'] });
    await gotoApp(page, env.server.url);
    const req = validRequest('copy');
    await fillForm(page, req);
    await eventually(async () => (await previews(page)).terraform?.includes(req.job_name), 'previews not filled');
    for (const f of FORMATS) {
      await page.locator(`button[role="tab"][data-tab="${f}"]`).click();
      await page.evaluate(() => navigator.clipboard.writeText('before'));
      await page.locator(`button[data-copy="${f}"]`).click();
      const pane = (await previews(page))[f];
      const clip = await eventually(async () => {
        const c = await page.evaluate(() => navigator.clipboard.readText());
        return c !== 'before' && c;
      }, `copy ${f} did not reach the clipboard`);
      assert.equal(clip, pane, `clipboard differs from the ${f} pane`);
      await eventually(async () => {
        const status = page.locator('[data-testid="copy-status"]');
        const said = [(await page.locator(`button[data-copy="${f}"]`).innerText())];
        if (await status.count()) said.push(await status.first().innerText());
        return said.some((s) => /copied/i.test(s));
      }, `no "Copied" confirmation for ${f}`);
    }
    if (await page.locator('[data-testid="copy-status"]').count()) {
      assert.equal(await page.locator('[data-testid="copy-status"]').first().getAttribute('aria-live'), 'polite');
    }
    await done();
  });
});
