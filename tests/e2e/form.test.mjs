// The form by keyboard: live findings that appear and disappear, nothing shouted at untouched
// fields, everything shown on a submit attempt, emulator mode told, a strict CSP.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  distDir,
  eventually,
  findings,
  findingsId,
  gotoApp,
  openPage,
  retype,
  selectByKeyboard,
  serverAndBrowser,
  tabTo,
} from './lib/harness.mjs';

describe('request form', () => {
  const env = serverAndBrowser();

  test('the page is served with a CSP without unsafe-inline or unsafe-eval', async () => {
    const res = await fetch(env.server.url);
    assert.equal(res.status, 200);
    const html = await res.text();
    const header = res.headers.get('content-security-policy');
    const meta = /<meta[^>]+http-equiv=["']?Content-Security-Policy["']?[^>]*content=(["'])(.*?)\1/is.exec(html)?.[2];
    const policies = [header, meta].filter(Boolean);
    assert.ok(policies.length > 0, 'no Content-Security-Policy (header or meta)');
    for (const csp of policies) {
      assert.doesNotMatch(csp, /'unsafe-inline'/, csp);
      assert.doesNotMatch(csp, /'unsafe-eval'/, csp);
      assert.match(csp, /script-src[^;]*'wasm-unsafe-eval'|default-src[^;]*'wasm-unsafe-eval'/, csp);
    }
  });

  test("the page's files arrive as the build's brotli copies, and the page runs from them", async () => {
    const { page, done } = await openPage(env.browser, null);
    const received = [];
    page.on('response', (r) => {
      if (/\.(wasm|js|css)$/.test(new URL(r.url()).pathname)) {
        received.push(Promise.all([r.url(), r.allHeaders(), r.request().sizes()]));
      }
    });
    await gotoApp(page, env.server.url);
    await page.waitForLoadState('networkidle');
    const dist = distDir();
    const wasm = readdirSync(dist).find((f) => /^sm-config-web-.*_bg\.wasm$/.test(f));
    assert.ok(wasm, `no page wasm in ${dist}`);
    const byFile = new Map();
    for (const [url, headers, sizes] of await Promise.all(received)) {
      byFile.set(decodeURIComponent(new URL(url).pathname.slice(1)), { encoding: headers['content-encoding'], sizes });
    }
    const got = byFile.get(wasm);
    assert.ok(got, `the page did not load ${wasm}`);
    assert.equal(got.encoding, 'br', `${wasm} not sent as brotli (is there a .br copy? cargo xtask writes them)`);
    const raw = statSync(join(dist, wasm)).size;
    assert.equal(got.sizes.responseBodySize, statSync(join(dist, `${wasm}.br`)).size, 'the .br copy as it is');
    assert.ok(got.sizes.responseBodySize < raw / 2, `${got.sizes.responseBodySize} of ${raw} bytes`);
    // and it decoded into the running app: the form is interactive
    await page.locator('input[name="name"]').fill('from-brotli');
    await eventually(
      async () => (await page.locator('[role="tabpanel"][data-format="json"]').textContent()).includes('"from-brotli"'),
      'the JSON preview did not follow the form',
    );
    await done();
  });

  test('emulator mode is told and asks for no token', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await page.locator('[data-testid="emulator-notice"]').waitFor({ state: 'visible' });
    assert.match(await page.locator('[data-testid="emulator-notice"]').innerText(), /emulator/i);
    assert.equal(await page.locator('input[name="token"]:visible').count(), 0, 'token field shown in emulator mode');
    // the target is prefilled from /sm-config/status
    const status = await (await fetch(new URL('/sm-config/status', env.server.url))).json();
    assert.ok(status && typeof status === 'object', 'status is JSON');
    await eventually(
      async () => (await page.locator('input[name="target.instance_id"]').inputValue()) !== '',
      'target instance ID not prefilled',
    );
    const region = await page.locator('select[name="target.region"]').inputValue();
    assert.ok(region !== '', 'target region not prefilled');
    assert.equal(await page.locator('select[name="target.region"] option[value]:not([value=""])').count(), 13);
    await done();
  });

  test('a finding appears when a typed value breaks a rule and disappears when fixed; untouched fields stay quiet', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    assert.deepEqual(await findings(page), [], 'findings shown before any input');

    await page.locator('input[name="name"]').focus();
    await page.keyboard.type('keyboard_config');
    const nameOutline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow };
    });
    assert.ok(
      (nameOutline.outline !== 'none' && nameOutline.width !== '0px') || nameOutline.shadow !== 'none',
      `no visible focus on the name input: ${JSON.stringify(nameOutline)}`,
    );

    await tabTo(page, 'code_engine.project_id');
    await page.keyboard.type('12345678-5120-4a18-832a-4ba122496633');
    await tabTo(page, 'code_engine.job_name');
    await page.keyboard.type('My-Job');

    const job = page.locator('input[name="code_engine.job_name"]');
    const jobFinding = page.locator(`#${findingsId('code_engine.job_name')} li.finding[data-path="code_engine.job_name"]`);
    await jobFinding.first().waitFor({ state: 'visible' });
    assert.equal(await jobFinding.first().getAttribute('data-code'), 'pattern');
    assert.equal(await jobFinding.first().getAttribute('data-severity'), 'error');
    assert.ok((await jobFinding.first().innerText()).trim().length > 0, 'finding without a message');
    assert.equal(await job.getAttribute('aria-invalid'), 'true');
    const describedBy = (await job.getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(/\s+/).includes(findingsId('code_engine.job_name')), `aria-describedby=${describedBy}`);

    // the fields the user has not reached yet say nothing (the job's region comes before its
    // project now, as the pickers list region → project → job, so the Tabs above touched it)
    for (const path of ['task_timeout']) {
      assert.deepEqual(await findings(page, path), [], `${path} shouts before being touched`);
      assert.notEqual(await page.locator(`[name="${path}"]`).getAttribute('aria-invalid'), 'true');
    }
    // valid touched fields say nothing either
    assert.deepEqual(await findings(page, 'name'), []);
    assert.deepEqual(await findings(page, 'code_engine.project_id'), []);

    await retype(page, 'my-job');
    await eventually(async () => (await jobFinding.count()) === 0, 'job name finding stays after the fix');
    assert.notEqual(await job.getAttribute('aria-invalid'), 'true');

    await tabTo(page, 'code_engine.region');
    await selectByKeyboard(page, 'eu-de');
    assert.equal(await page.locator('select[name="code_engine.region"]').inputValue(), 'eu-de');

    await tabTo(page, 'task_timeout');
    assert.equal(await page.locator('input[name="task_timeout"]').getAttribute('placeholder'), '10m');
    await page.keyboard.type('1m');
    const timeoutFinding = page.locator('li.finding[data-path="task_timeout"]');
    await timeoutFinding.first().waitFor({ state: 'visible' });
    assert.equal(await timeoutFinding.first().getAttribute('data-code'), 'out_of_range');
    await retype(page, '30m');
    await eventually(async () => (await timeoutFinding.count()) === 0, 'task timeout finding stays after the fix');

    // every error gone: only the trusted-profile warning may remain
    const left = await findings(page);
    assert.deepEqual(left.filter((f) => f.severity === 'error'), [], 'errors left on a valid form');
    await done();
  });

  test('a submit attempt shows every finding, and warnings look different from errors', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v2/configurations')) posts.push(r.url());
    });
    await page.locator('button[data-testid="submit"]').click();
    for (const path of ['name', 'code_engine.project_id', 'code_engine.job_name', 'code_engine.region']) {
      const f = page.locator(`#${findingsId(path)} li.finding[data-path="${path}"]`);
      await f.first().waitFor({ state: 'visible' });
      assert.equal(await f.first().getAttribute('data-code'), 'required', path);
      assert.equal(await page.locator(`[name="${path}"]`).getAttribute('aria-invalid'), 'true', path);
    }
    const warning = page.locator('li.finding[data-path="api_key_ref"][data-severity="warning"]');
    await warning.first().waitFor({ state: 'visible' });
    assert.equal(await warning.first().getAttribute('data-code'), 'trusted_profile_required');
    assert.notEqual(await page.locator('input[name="api_key_ref"]').getAttribute('aria-invalid'), 'true', 'a warning is not invalid');
    assert.ok((await warning.first().locator('.hint').count()) > 0, 'trusted-profile warning without a hint');
    const look = (sel) =>
      page.locator(sel).first().evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.color, s.backgroundColor, s.borderLeftColor, s.borderTopColor].join('|');
      });
    const errLook = await look('li.finding[data-severity="error"]');
    const warnLook = await look('li.finding[data-severity="warning"]');
    assert.notEqual(errLook, warnLook, 'warnings and errors are drawn alike');
    assert.deepEqual(posts, [], 'an invalid form was sent');
    await done();
  });
});
