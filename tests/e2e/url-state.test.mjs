// Shareable state: the non-secret fields live in the URL query, so a reload or a shared link opens
// the same draft (previews included).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, fillForm, gotoApp, openPage, previews, serverAndBrowser, validRequest } from './lib/harness.mjs';

const FIELDS = {
  name: 'input[name="name"]',
  project_id: 'input[name="code_engine.project_id"]',
  job_name: 'input[name="code_engine.job_name"]',
  region: 'select[name="code_engine.region"]',
  api_key_ref: 'input[name="api_key_ref"]',
  task_timeout: 'input[name="task_timeout"]',
};

describe('shareable state', () => {
  const env = serverAndBrowser();

  const values = (page) =>
    Promise.all(Object.entries(FIELDS).map(async ([k, sel]) => [k, await page.locator(sel).inputValue()])).then(Object.fromEntries);

  test('a reload and a shared link open the same draft', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    const req = validRequest('share');
    req.name = 'share me.v2-x'; // a space and a dot: the query must encode, not mangle
    await fillForm(page, req);
    await page.locator('input[name="target.instance_id"]').fill('0b5571f7-21e6-42b7-91c5-3f5ac9793a46');
    await page.locator('select[name="target.region"]').selectOption('eu-gb');
    await page.locator('input[name="target.endpoint"][value="private"]').check();
    const link = await eventually(async () => {
      const u = new URL(page.url());
      // The page writes the URL in the task after each change: wait for the last one (the endpoint).
      return u.search.includes(encodeURIComponent(req.job_name)) && u.search.includes('eu-gb') && u.search.includes('private') && page.url();
    }, 'the URL does not follow the draft');
    assert.equal(new URL(link).origin, new URL(env.server.url).origin);
    const shown = await previews(page);

    await page.reload();
    await page.locator('input[name="name"]').waitFor();
    const expected = { ...req };
    await eventually(async () => JSON.stringify(await values(page)) === JSON.stringify(expected), 'reload lost the draft');
    assert.equal(await page.locator('input[name="target.instance_id"]').inputValue(), '0b5571f7-21e6-42b7-91c5-3f5ac9793a46');
    assert.equal(await page.locator('select[name="target.region"]').inputValue(), 'eu-gb');
    assert.ok(await page.locator('input[name="target.endpoint"][value="private"]').isChecked());
    assert.deepEqual(await previews(page), shown, 'previews differ after reload');

    // someone else opening the link (fresh context: no storage shared) sees the same
    const other = await openPage(env.browser, null);
    await gotoApp(other.page, link);
    await eventually(async () => JSON.stringify(await values(other.page)) === JSON.stringify(expected), 'the link does not carry the draft');
    assert.deepEqual(await previews(other.page), shown);
    await other.done();

    const query = new URL(link).searchParams;
    for (const key of query.keys()) assert.doesNotMatch(key, /token|apikey|api_key$|bearer|auth/i, `secret-looking key in the URL: ${key}`);
    await done();
  });

  test('a link with bad values fills the form and is refused on submit, not a broken page', async () => {
    const { page, done } = await openPage(env.browser, null);
    // the page's own query keys are learnt from a link it made
    await gotoApp(page, env.server.url);
    await fillForm(page, validRequest('keys'));
    const made = await eventually(async () => new URL(page.url()).search.length > 1 && new URL(page.url()), 'no query written');
    const jobKey = [...made.searchParams.entries()].find(([, v]) => v.startsWith('job-keys-'))?.[0];
    assert.ok(jobKey, `job name not in the query: ${made.search}`);
    made.searchParams.set(jobKey, 'Bad_Job<script>');
    await gotoApp(page, made.toString());
    assert.equal(await page.locator('input[name="code_engine.job_name"]').inputValue(), 'Bad_Job<script>');
    await eventually(async () => (await previews(page)).json?.includes('Bad_Job<script>'), 'the preview does not show the linked value');
    assert.equal(await page.locator('[data-testid="previews"] script').count(), 0);
    await page.locator('button[data-testid="submit"]').click();
    const f = page.locator('li.finding[data-path="code_engine.job_name"]');
    await f.first().waitFor({ state: 'visible' });
    assert.equal(await f.first().getAttribute('data-code'), 'pattern');
    await done();
  });
});
