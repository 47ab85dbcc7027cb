// The launch token in relay mode with a server credential: `sm-config serve` holds an API key (an IAM
// stand-in exchanges it), relays to a second `sm-config serve` (emulator) as the upstream, and prints
// its console URL with `#token=…`. Opened from that URL the page works and the token leaves the address
// bar; opened without it, the page says how to get in and nothing reaches the upstream. Scripts use
// --token-file.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, fillForm, fillTargetIfEmpty, launchBrowser, openPage, startServer, validRequest } from './lib/harness.mjs';

/** An IAM stand-in: exchanges `apiKey` for a token, counts the exchanges. */
async function startIam(apiKey) {
  const iam = { calls: 0, token: `e2e-iam-token-${randomBytes(8).toString('hex')}` };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const ok = req.method === 'POST' && req.url === '/identity/token' && form.get('apikey') === apiKey;
      iam.calls += 1;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { access_token: iam.token, expires_in: 3600 } : { errorCode: 'BXNIM0415E' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  iam.url = `http://127.0.0.1:${server.address().port}`;
  iam.close = () => new Promise((r) => server.close(r));
  return iam;
}

/** The names the upstream emulator holds. */
async function upstreamNames(upstream) {
  const res = await fetch(new URL('/api/v2/configurations?limit=200', upstream.url), { headers: { Authorization: 'Bearer e2e' } });
  assert.equal(res.status, 200);
  return (await res.json()).configurations.map((c) => c.name);
}

describe('launch token (relay holding an api key)', () => {
  const apiKey = `e2eAPIKEY${randomBytes(12).toString('hex')}`;
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'sm-config-e2e-')), 'launch-token');
  let iam;
  let upstream;
  let relay;
  let token;
  let browser;
  before(async () => {
    [iam, upstream, browser] = await Promise.all([startIam(apiKey), startServer(), launchBrowser()]);
    relay = await startServer(['--upstream', upstream.url, '--iam-url', iam.url, '--token-file', tokenFile], {
      env: { IBMCLOUD_API_KEY: apiKey },
    });
    token = new URL(relay.consoleUrl).hash.replace(/^#token=/, '');
  });
  after(async () => {
    await browser?.close();
    await relay?.stop();
    await upstream?.stop();
    await iam?.close();
  });

  test('the server prints its url with the token in the fragment, and writes the token file 0600', async () => {
    assert.match(relay.consoleUrl, /^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    assert.equal(relay.output().split('\n')[0], `sm-config serve: listening on ${relay.consoleUrl}`);
    assert.equal(readFileSync(tokenFile, 'utf8'), `${token}\n`);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.ok(!relay.log().includes(token), 'the launch token in the server log');
  });

  test('opened from the printed url the page works, and the token leaves the address bar', async () => {
    const { page, log, done } = await openPage(browser, null);
    const sent = [];
    page.on('request', (r) => sent.push(r));
    await page.goto(relay.consoleUrl, { waitUntil: 'load' });
    await page.locator('[data-testid="relay-notice"]').waitFor({ state: 'visible' });
    assert.ok(!page.url().includes(token), `the token stayed in the address bar: ${page.url()}`);
    assert.ok(!page.url().includes('#'), page.url());
    assert.equal(await page.locator('[data-testid="launch-token-needed"]').count(), 0);
    assert.match(await page.locator('[data-testid="relay-notice"]').innerText(), /signs requests with its own credentials/);
    assert.equal(await page.locator('input[name="token"]').count(), 0, 'no IAM token asked for: the server signs');
    assert.equal((await page.locator('[data-testid="mode"]').innerText()).trim(), 'Live instance');

    const req = validRequest('launch');
    await fillForm(page, req);
    await fillTargetIfEmpty(page);
    const responded = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v2/configurations'));
    await page.locator('button[data-testid="submit"]').click();
    const res = await responded;
    assert.equal(res.status(), 201, await res.text());
    await page.locator('[data-testid="created"]').waitFor({ state: 'visible' });
    assert.ok((await upstreamNames(upstream)).includes(req.name), 'the relay did not forward the create');
    assert.ok(iam.calls >= 1, 'the server exchanged its key');

    // Every API request carried the token in the header, none in its URL or body.
    const apiRequests = sent.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
    assert.ok(apiRequests.length >= 2, 'the list and the create');
    for (const r of apiRequests) {
      const headers = await r.allHeaders();
      assert.equal(headers['x-sm-config-token'], token, `${r.method()} ${r.url()} without the launch token`);
      assert.ok(!r.url().includes(token));
      assert.ok(!(r.postData() ?? '').includes(token));
    }
    // The list shows what was created: the page reads through the relay too.
    await eventually(
      async () => (await page.locator('[data-testid="configurations"]').innerText()).includes(req.name),
      'the created configuration is not listed',
    );

    const traces = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      cookie: document.cookie,
      href: location.href,
      history: JSON.stringify(history.state ?? null),
      html: document.documentElement.outerHTML,
    }));
    for (const [where, value] of Object.entries(traces)) assert.ok(!value.includes(token), `token in ${where}`);
    assert.ok(!JSON.stringify(await page.context().cookies()).includes(token), 'token in a cookie');
    assert.ok(!log.some((m) => m.text.includes(token)), 'token in the browser console');
    for (const secret of [apiKey, iam.token]) {
      assert.ok(!traces.html.includes(secret), 'a server credential reached the page');
      assert.ok(!relay.output().includes(secret), 'a server credential in the relay output');
    }

    // A reload keeps working (this tab's sessionStorage), still with nothing in the address bar.
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid="relay-notice"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid="launch-token-needed"]').count(), 0);
    await eventually(
      async () => (await page.locator('[data-testid="configurations"]').innerText()).includes(req.name),
      'after a reload the list is not loaded',
    );
    assert.ok(!page.url().includes(token));
    await done();
  });

  test('opened without the fragment it says how to get in, and sends nothing upstream', async () => {
    const before = await upstreamNames(upstream);
    const { page, done } = await openPage(browser, relay.url);
    const notice = page.locator('[data-testid="launch-token-needed"]');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.innerText();
    assert.ok(text.includes(`sm-config serve: listening on ${relay.url}/#token=`), text);
    assert.match(text, /Open that whole link/);
    assert.match(text, /--token-file/);
    assert.equal((await page.locator('[data-testid="mode"]').innerText()).trim(), 'Locked');
    // The status names no instance to a page without the token.
    assert.equal(await page.locator('input[name="target.instance_id"]').inputValue(), '');

    await fillForm(page, validRequest('locked'));
    await fillTargetIfEmpty(page);
    await page.locator('button[data-testid="submit"]').click();
    const alert = page.locator('[role="alert"][data-testid="error"]');
    await alert.waitFor({ state: 'visible' });
    assert.match(await alert.innerText(), /401/);
    assert.match(await alert.innerText(), /launch token/);
    assert.equal(await page.locator('[data-testid="created"]').count(), 0);
    assert.deepEqual(await upstreamNames(upstream), before, 'something reached the upstream');
    await done();
  });

  test('a token from an earlier run is refused, forgotten, and the page says why', async () => {
    const stale = randomBytes(32).toString('hex');
    const { page, done } = await openPage(browser, null);
    await page.goto(`${relay.url}/#token=${stale}`, { waitUntil: 'load' });
    const notice = page.locator('[data-testid="launch-token-needed"]');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.innerText(), /earlier run of the server/);
    assert.ok(!page.url().includes(stale));
    const session = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    assert.ok(!session.includes(stale), 'the refused token is still kept');
    await done();
  });

  test('scripts use the token file; the allow-list holds with the token', async () => {
    const fromFile = readFileSync(tokenFile, 'utf8').trim();
    const call = (path, headers = {}, method = 'GET') =>
      fetch(new URL(path, relay.url), { method, headers: { Accept: 'application/json', ...headers } });
    const without = await call('/api/v2/configurations');
    assert.equal(without.status, 401);
    assert.equal((await without.json()).errors[0].code, 'missing_launch_token');
    const withToken = await call('/api/v2/configurations', { 'X-SM-Config-Token': fromFile });
    assert.equal(withToken.status, 200);
    const payload = await call('/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46', { 'X-SM-Config-Token': fromFile });
    assert.equal(payload.status, 404);
    assert.equal((await payload.json()).errors[0].code, 'route_not_relayed');
    const put = await call('/api/v2/configurations/x', { 'X-SM-Config-Token': fromFile }, 'PUT');
    assert.equal(put.status, 405);
  });
});
