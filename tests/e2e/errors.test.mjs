// Errors the page did not cause: a hostile service message is shown as text, never run; a
// field error lands on its field; IAM's error shape is read; network failure and timeout are told
// as such. The service's answers are forged with playwright's route interception.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, fillForm, openPage, serverAndBrowser, validRequest } from './lib/harness.mjs';

const PAYLOAD = '<img src=x onerror="window.__xss=1">';
const CREATE = (url) => new URL(url).pathname.endsWith('/api/v2/configurations');

describe('error display', () => {
  const env = serverAndBrowser();

  /** Opens the page with a valid draft and makes the create call answer with `answer(route)`. */
  const withForgedCreate = async (answer, contextOptions) => {
    const opened = await openPage(env.browser, env.server.url, contextOptions);
    await fillForm(opened.page, validRequest('err'));
    await opened.page.route(CREATE, (route) => (route.request().method() === 'POST' ? answer(route) : route.continue()));
    return opened;
  };
  const alert = (page) => page.locator('[role="alert"][data-testid="error"]');

  test('a service message holding HTML is shown as text, with the trace', async () => {
    const { page, done } = await withForgedCreate((route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          errors: [{ code: 'bad_request', message: `Bad thing ${PAYLOAD} happened`, more_info: 'https://cloud.ibm.com/apidocs/secrets-manager' }],
          trace: 'e2e-trace-7f3a',
          status_code: 400,
        }),
      }),
    );
    await page.locator('button[data-testid="submit"]').click();
    await alert(page).waitFor({ state: 'visible' });
    assert.equal(await alert(page).count(), 1, 'one announced message');
    const text = await alert(page).textContent();
    assert.ok(text.includes(`Bad thing ${PAYLOAD} happened`), `message not shown literally: ${text}`);
    assert.equal(await alert(page).locator('img').count(), 0, 'the message was parsed as HTML');
    assert.equal(await page.locator('#sm-config-app img[src="x"]').count(), 0);
    assert.match(await alert(page).locator('[data-testid="trace"]').textContent(), /e2e-trace-7f3a/);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'the payload ran');
    await done();
  });

  test('a field error with HTML lands on its field as text', async () => {
    const { page, done } = await withForgedCreate((route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          errors: [{ code: 'invalid_job', message: `job ${PAYLOAD} not found`, target: { type: 'field', name: 'code_engine.job_name' } }],
          trace: 'e2e-trace-field',
          status_code: 400,
        }),
      }),
    );
    await page.locator('button[data-testid="submit"]').click();
    const f = page.locator('li.finding[data-path="code_engine.job_name"][data-code="invalid_job"]');
    await f.waitFor({ state: 'visible' });
    assert.equal(await f.getAttribute('data-severity'), 'error');
    assert.ok((await f.textContent()).includes(`job ${PAYLOAD} not found`));
    assert.equal(await f.locator('img').count(), 0);
    assert.equal(await page.locator('input[name="code_engine.job_name"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'the payload ran');
    await done();
  });

  test("IAM's error shape and a non-JSON body are read leniently", async () => {
    const iam = await withForgedCreate((route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ errorCode: 'BXNIM0415E', errorMessage: `Provided API key could not be found ${PAYLOAD}` }),
      }),
    );
    await iam.page.locator('button[data-testid="submit"]').click();
    await alert(iam.page).waitFor({ state: 'visible' });
    assert.ok((await alert(iam.page).textContent()).includes(`Provided API key could not be found ${PAYLOAD}`));
    assert.equal(await alert(iam.page).locator('img').count(), 0);
    await iam.done();

    const html = await withForgedCreate((route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
    );
    await html.page.locator('button[data-testid="submit"]').click();
    await alert(html.page).waitFor({ state: 'visible' });
    assert.match(await alert(html.page).textContent(), /502|bad gateway/i);
    assert.equal(await alert(html.page).locator('h1').count(), 0);
    await html.done();
  });

  test('a network failure is told as such and the form can be sent again', async () => {
    let calls = 0;
    const { page, done } = await withForgedCreate((route) => {
      calls += 1;
      return calls === 1 ? route.abort('connectionrefused') : route.continue();
    });
    await page.locator('button[data-testid="submit"]').click();
    await alert(page).waitFor({ state: 'visible' });
    assert.match(await alert(page).textContent(), /network|connect|reach|offline/i);
    const submit = page.locator('button[data-testid="submit"]');
    assert.ok(!(await submit.isDisabled()), 'submit stays disabled after a failure');
    await submit.click();
    await page.locator('[data-testid="created"]').waitFor({ state: 'visible' });
    await eventually(async () => (await alert(page).count()) === 0 || !(await alert(page).isVisible()), 'the old error stays after success');
    await done();
  });

  test('a request that never answers times out and is told as such', async () => {
    const { context, page, done } = await openPage(env.browser, null);
    await page.clock.install();
    await page.goto(env.server.url);
    await page.locator('input[name="name"]').waitFor();
    await fillForm(page, validRequest('timeout'));
    await page.route(CREATE, (route) => (route.request().method() === 'POST' ? undefined : route.continue()));
    await page.locator('button[data-testid="submit"]').click();
    const submit = page.locator('button[data-testid="submit"]');
    await eventually(async () => submit.isDisabled(), 'not sending');
    await page.clock.runFor(5 * 60 * 1000);
    await alert(page).waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await alert(page).textContent(), /time(d)?[ -]?out|took too long/i);
    assert.ok(!(await submit.isDisabled()), 'submit stays disabled after a timeout');
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await done();
  });
});
