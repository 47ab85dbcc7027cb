// Screenshots (wide and narrow, light and dark) into tests/e2e/artifacts/, and the layout facts they
// should show: form beside previews when wide, stacked and without sideways scrolling when narrow,
// a dark background in dark mode and a light one otherwise.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, createViaApi, eventually, fillForm, launchBrowser, openPage, previews, startServer, validRequest } from './lib/harness.mjs';

const VIEWPORTS = { wide: { width: 1280, height: 900 }, narrow: { width: 390, height: 844 } };

/** Relative luminance of a CSS `rgb(a)` colour, 0 (black) … 1 (white). */
const luminance = (css) => {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};

describe('screenshots and layout', () => {
  let server;
  let browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // a list with something in it, as people will see it
    for (const [name, job, timeout] of [['billing_api_keys', 'billing-rotator', '30m'], ['ledger.db-password', 'ledger-db-rotation', '2h']]) {
      await createViaApi(server, { ...validRequest('seed'), name, job_name: job, task_timeout: timeout });
    }
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    for (const colorScheme of ['light', 'dark']) {
      test(`${size} ${colorScheme}`, async () => {
        const { page, done } = await openPage(browser, server.url, { viewport, colorScheme, deviceScaleFactor: 1 });
        // a realistic draft: valid fields, one error the user is fixing, the warning of a missing key ref
        const req = validRequest('shot');
        req.name = 'payroll_db_rotation';
        req.job_name = 'Payroll-Rotator';
        req.api_key_ref = '';
        await fillForm(page, req);
        await page.locator('input[name="code_engine.job_name"]').blur();
        await page.locator('input[name="api_key_ref"]').focus();
        await page.locator('input[name="api_key_ref"]').blur();
        await page.locator('li.finding[data-path="code_engine.job_name"]').first().waitFor({ state: 'visible' });
        await eventually(async () => (await previews(page)).curl?.includes('payroll_db_rotation'), 'previews not filled');
        await page.locator('button[role="tab"][data-tab="curl"]').click();
        await eventually(async () => (await page.locator('[data-testid="config-row"]').count()) === 2, 'the seeded list is not shown');
        // the prerequisites panel with its answer (the typed project is not in the world), not
        // its waiting line
        await page.locator('[data-testid="prerequisites"] li.prereq[data-status="failed"]').first().waitFor();

        const path = join(ARTIFACTS, `console-${size}-${colorScheme}.png`);
        // from the top, as a person first sees it: the sticky previews otherwise follow the last
        // field the test scrolled to and float half way down the picture
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path, fullPage: true });

        const box = async (sel) => {
          const b = await page.locator(sel).first().boundingBox();
          assert.ok(b, `${sel} not laid out`);
          return b;
        };
        const form = await box('form[data-testid="request-form"]');
        const prev = await box('[data-testid="previews"]');
        if (size === 'wide') {
          assert.ok(prev.x >= form.x + form.width - 1, `previews not beside the form: form ${JSON.stringify(form)} previews ${JSON.stringify(prev)}`);
          assert.ok(prev.y < form.y + form.height, 'previews below the form on a wide screen');
        } else {
          assert.ok(prev.y >= form.y + form.height - 1, `previews not below the form on a narrow screen`);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
        // every form control fits the viewport
        const outside = await page.evaluate((w) =>
          [...document.querySelectorAll('#sm-config-app input:not([type=hidden]), #sm-config-app select, #sm-config-app button')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.left < 0 || r.right > w + 0.5;
            })
            .map((el) => el.outerHTML.slice(0, 80)), viewport.width);
        assert.deepEqual(outside, [], 'controls outside the viewport');

        const bg = await page.evaluate(() => {
          for (let el = document.querySelector('#sm-config-app'); el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor;
            if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
          }
          return 'rgb(255, 255, 255)'; // the canvas default
        });
        const fg = await page.evaluate(() => getComputedStyle(document.querySelector('#sm-config-app label, #sm-config-app')).color);
        if (colorScheme === 'dark') assert.ok(luminance(bg) < 0.2, `dark mode background is light: ${bg}`);
        else assert.ok(luminance(bg) > 0.6, `light mode background is dark: ${bg}`);
        const contrast = (Math.max(luminance(bg), luminance(fg)) + 0.05) / (Math.min(luminance(bg), luminance(fg)) + 0.05);
        assert.ok(contrast >= 4.5, `text contrast ${contrast.toFixed(2)} (${fg} on ${bg}) below 4.5`);
        await done();
      });
    }
  }
});
