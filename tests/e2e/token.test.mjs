// Token hygiene in relay mode: a second `sm-config serve` (emulator) is the upstream, the first relays
// to it without credentials of its own, so the page asks for a token. After a submit with a token,
// no trace of it is left in storage, cookies, the URL, the console, the previews or the servers' logs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { eventually, fillForm, fillTargetIfEmpty, launchBrowser, openPage, previews, startServer, validRequest } from './lib/harness.mjs';

describe('token hygiene (relay mode)', () => {
  let upstream;
  let relay;
  let browser;
  before(async () => {
    [upstream, browser] = await Promise.all([startServer(), launchBrowser()]);
    relay = await startServer(['--upstream', upstream.url]);
  });
  after(async () => {
    await browser?.close();
    await relay?.stop();
    await upstream?.stop();
  });

  test('the token is used for the request and left nowhere', async () => {
    const token = `e2eTOKEN${randomBytes(12).toString('hex')}`;
    const { page, log, done } = await openPage(browser, relay.url);
    const field = page.locator('input[name="token"]');
    await field.waitFor({ state: 'visible' });
    assert.equal(await field.getAttribute('type'), 'password');
    assert.equal(await field.getAttribute('autocomplete'), 'off');

    const req = validRequest('token');
    await fillForm(page, req);
    await fillTargetIfEmpty(page);
    await field.focus();
    await page.keyboard.type(token);

    const sent = [];
    page.on('request', (r) => sent.push(r));
    const responded = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v2/configurations'));
    await page.locator('button[data-testid="submit"]').click();
    const res = await responded;
    assert.equal(res.status(), 201, await res.text());
    await page.locator('[data-testid="created"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid="emulator-notice"]:visible').count(), 0, 'relay mode says emulator');
    const post = sent.find((r) => r.method() === 'POST');
    const headers = await post.allHeaders();
    assert.ok(Object.values(headers).some((v) => v.includes(token)), 'the token was not sent with the request');
    assert.ok(!post.url().includes(token), 'the token went into a request URL');
    assert.ok(!(post.postData() ?? '').includes(token), 'the token went into the request body');
    // the relay really forwarded: the upstream emulator holds the configuration
    const up = await fetch(new URL(`/api/v2/configurations/${req.name}`, upstream.url), { headers: { Authorization: 'Bearer other' } });
    assert.equal(up.status, 200);

    const traces = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
      href: location.href,
      history: JSON.stringify(history.state ?? null),
    }));
    for (const [where, value] of Object.entries(traces)) assert.ok(!value.includes(token), `token in ${where}: ${value}`);
    const ctxCookies = await page.context().cookies();
    assert.ok(!JSON.stringify(ctxCookies).includes(token), 'token in a cookie');
    const panes = await previews(page);
    for (const [f, text] of Object.entries(panes)) assert.ok(!text.includes(token), `token in the ${f} preview`);
    assert.ok(panes.curl.includes('${IAM_TOKEN}'));
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(token), 'token in the DOM (an attribute or text)');
    assert.ok(!log.some((m) => m.text.includes(token)), 'token in the browser console');
    assert.ok(!relay.output().includes(token), 'token in the relay server log');
    assert.ok(!upstream.output().includes(token), 'token in the upstream server log');

    // a reload forgets it
    await page.reload();
    await page.locator('input[name="token"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('input[name="token"]').inputValue(), '');
    assert.ok(!page.url().includes(token));
    await done();
  });

  test('a request without a token is refused by the service and told', async () => {
    const { page, done } = await openPage(browser, relay.url);
    await fillForm(page, validRequest('notoken'));
    await fillTargetIfEmpty(page);
    await page.locator('button[data-testid="submit"]').click();
    // either the page asks for the token before sending, or it shows the service's 401
    await eventually(async () => {
      const tokenFinding = await page.locator('li.finding[data-path="token"]').count();
      const alert = page.locator('[role="alert"][data-testid="error"]');
      return tokenFinding > 0 || ((await alert.count()) > 0 && (await alert.first().innerText()).trim() !== '');
    }, 'submitting without a token says nothing');
    assert.equal(await page.locator('[data-testid="created"]').count(), 0);
    await done();
  });
});
