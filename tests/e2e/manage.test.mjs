// Submit and manage against the emulator: create (one click, one request), the service-filled fields,
// the list, a duplicate's 409 placed on its field, a task timeout change, load into the form, search,
// delete with confirmation. The tests share one emulator and run in order.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api as apiCall,
  createViaApi,
  eventually,
  fillForm,
  findings,
  openPage,
  serverAndBrowser,
  validRequest,
} from './lib/harness.mjs';

const CONFIGS = '/api/v2/configurations';
const isCreate = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(CONFIGS);

describe('submit and manage', () => {
  const env = serverAndBrowser();
  const first = validRequest('manage');
  delete first.task_timeout; // the service fills in the default

  const api = (path, init) => apiCall(env.server, path, init);
  const row = (page, name) => page.locator(`[data-testid="configurations"] [data-testid="config-row"][data-name="${name}"]`);
  /** The total the list states ("1–2 of 2 configurations", "0 configurations"), once loaded. */
  const totalCount = async (page) => {
    const m = await eventually(async () => (await page.locator('[data-testid="total-count"]').innerText()).match(/\d+/g), 'no total count');
    return Number(m[m.length - 1]);
  };

  test('submit: one click, one request, a progress state, then the created configuration and its row', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    assert.equal(await row(page, first.name).count(), 0);
    await fillForm(page, first);

    let release;
    const held = new Promise((r) => {
      release = r;
    });
    let posts = 0;
    await page.route(`**${CONFIGS}`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts += 1;
      await held;
      return route.continue();
    });
    const responded = page.waitForResponse(isCreate);
    const submit = page.locator('button[type="submit"][data-testid="submit"]');
    await submit.dblclick();
    await eventually(async () => (await submit.isDisabled()) && (await submit.getAttribute('aria-busy')) === 'true', 'no progress state while sending');
    await page.locator('input[name="name"]').press('Enter'); // a second attempt while sending
    await new Promise((r) => setTimeout(r, 200));
    release();
    const res = await responded;
    assert.equal(res.status(), 201, await res.text());
    const created = await res.json();
    assert.equal(posts, 1, 'one click, one request');
    assert.equal(created.task_timeout, '10m', 'emulator did not fill the default timeout');

    const panel = page.locator('[data-testid="created"]');
    await panel.waitFor({ state: 'visible' });
    const text = await panel.innerText();
    for (const v of [first.name, first.job_name, created.created_by, created.code_engine_key_ref, '10m']) {
      assert.ok(v && text.includes(v), `created panel lacks ${v}:\n${text}`);
    }
    assert.ok(text.includes(created.created_at) || text.includes(created.created_at.slice(0, 10)), `created panel lacks created_at ${created.created_at}:\n${text}`);
    assert.ok(!(await submit.isDisabled()), 'submit stays disabled after the answer');
    assert.notEqual(await submit.getAttribute('aria-busy'), 'true');

    await row(page, first.name).waitFor({ state: 'visible' });
    assert.equal(await totalCount(page), 1);
    await done();
  });

  test('a duplicate name: the 409 is placed on the name field with the service code', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    const dup = { ...validRequest('dup'), name: first.name };
    await fillForm(page, dup);
    const responded = page.waitForResponse(isCreate);
    await page.locator('button[data-testid="submit"]').click();
    const res = await responded;
    assert.equal(res.status(), 409);
    const body = await res.json();
    const err = body.errors?.[0];
    assert.ok(err?.code, `409 without an error code: ${JSON.stringify(body)}`);
    assert.equal(err.target?.name, 'name', `the emulator does not name the field: ${JSON.stringify(body)}`);
    const f = page.locator('li.finding[data-path="name"][data-severity="error"]');
    await f.first().waitFor({ state: 'visible' });
    assert.equal(await f.first().getAttribute('data-code'), err.code);
    assert.ok((await f.first().innerText()).includes(err.message), 'finding lacks the service message');
    assert.equal(await page.locator('input[name="name"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('[data-testid="created"]').count(), 0, 'a refused request shown as created');
    // editing the name clears the service's verdict on it
    await page.locator('input[name="name"]').fill(`${first.name}_2`);
    await eventually(async () => (await findings(page, 'name')).every((x) => x.code !== err.code), 'the stale 409 stays on the edited name');
    await done();
  });

  test('a job already used: the 409 is told where the service puts it', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await fillForm(page, { ...validRequest('jobdup'), job_name: first.job_name });
    const responded = page.waitForResponse(isCreate);
    await page.locator('button[data-testid="submit"]').click();
    const res = await responded;
    assert.equal(res.status(), 409);
    const err = (await res.json()).errors?.[0];
    if (err?.target?.name) {
      const f = page.locator(`li.finding[data-path="${err.target.name}"][data-code="${err.code}"]`);
      await f.first().waitFor({ state: 'visible' });
    } else {
      const alert = page.locator('[role="alert"][data-testid="error"]');
      await alert.waitFor({ state: 'visible' });
      assert.ok((await alert.innerText()).includes(err.message));
    }
    await done();
  });

  test('detail shows every field; the task timeout change is saved (PATCH) and shown', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await row(page, first.name).locator('[data-action="open"]').click();
    const detail = page.locator('[data-testid="config-detail"]');
    await detail.waitFor({ state: 'visible' });
    const stored = (await api(`${CONFIGS}/${first.name}`)).body;
    const text = await detail.innerText();
    for (const v of [stored.name, stored.code_engine.job_name, stored.code_engine.project_id, stored.code_engine.region, stored.api_key_ref, stored.code_engine_key_ref, stored.created_by, stored.task_timeout]) {
      assert.ok(text.includes(v), `detail lacks ${v}:\n${text}`);
    }
    for (const p of stored.schema?.parameters ?? []) assert.ok(text.includes(p.name), `detail lacks schema parameter ${p.name}`);
    for (const c of stored.schema?.credentials ?? []) assert.ok(text.includes(c.name), `detail lacks schema credential ${c.name}`);

    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes(`${CONFIGS}/${first.name}`));
    await detail.locator('input[name="update.task_timeout"]').fill('45m');
    await detail.locator('button[data-action="save-timeout"]').click();
    const res = await patched;
    assert.equal(res.status(), 200, await res.text());
    assert.deepEqual(JSON.parse(res.request().postData()), { task_timeout: '45m' });
    await eventually(async () => /45m/.test(await detail.innerText()), 'detail does not show the new timeout');
    assert.equal((await api(`${CONFIGS}/${first.name}`)).body.task_timeout, '45m');

    // a fresh page reads it back from the service
    await page.reload();
    await row(page, first.name).locator('[data-action="open"]').click();
    await page.locator('[data-testid="config-detail"]').waitFor({ state: 'visible' });
    await eventually(async () => /45m/.test(await page.locator('[data-testid="config-detail"]').innerText()), 'timeout not read back');
    await done();
  });

  test('load into form starts a new request from a configuration', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await row(page, first.name).locator('[data-action="open"]').click();
    await page.locator('[data-testid="config-detail"] button[data-action="load-into-form"]').click();
    const form = page.locator('form[data-testid="request-form"]');
    await eventually(async () => (await form.locator('input[name="name"]').inputValue()) === first.name, 'name not loaded');
    assert.equal(await form.locator('input[name="code_engine.job_name"]').inputValue(), first.job_name);
    assert.equal(await form.locator('input[name="code_engine.project_id"]').inputValue(), first.project_id);
    assert.equal(await form.locator('select[name="code_engine.region"]').inputValue(), first.region);
    assert.equal(await form.locator('input[name="api_key_ref"]').inputValue(), first.api_key_ref);
    assert.equal(await form.locator('input[name="task_timeout"]').inputValue(), '45m');
    await done();
  });

  test('refresh shows what others created; search narrows the list', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await row(page, first.name).waitFor({ state: 'visible' }); // the list has loaded
    const other = validRequest('searchable');
    const { name } = await createViaApi(env.server, { ...other, name: `zz_${other.name}` });
    await page.waitForTimeout(300);
    assert.equal(await row(page, name).count(), 0);
    await page.locator('button[data-testid="refresh"]').click();
    await row(page, name).waitFor({ state: 'visible' });
    assert.equal(await totalCount(page), 2);

    await page.locator('input[name="search"]').fill('zz_e2e');
    await eventually(async () => (await row(page, first.name).count()) === 0 && (await row(page, name).count()) === 1, 'search does not narrow the list');
    await page.locator('input[name="search"]').fill('');
    await eventually(async () => (await row(page, first.name).count()) === 1, 'clearing the search does not bring rows back');
    await done();
  });

  test('paging walks a long list (forged: the emulator holds at most 10)', async () => {
    const TOTAL = 23;
    const forged = (i) => ({
      config_type: 'custom_credentials_configuration',
      name: `paged_${String(i).padStart(2, '0')}`,
      secret_type: 'custom_credentials',
      created_by: 'iam-ServiceId-e2e',
      created_at: '2026-01-02T03:04:05Z',
      updated_at: '2026-01-02T03:04:05Z',
      code_engine: { job_name: `paged-${i}`, project_id: first.project_id, region: 'us-south' },
      code_engine_key_ref: 'sm-access-e2e',
      task_timeout: '10m',
      schema: { parameters: [], credentials: [] },
    });
    const offsets = [];
    const { page, done } = await openPage(env.browser, null);
    await page.route(`**${CONFIGS}?*`, (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const q = new URL(route.request().url()).searchParams;
      const offset = Number(q.get('offset') ?? 0);
      const limit = Number(q.get('limit') ?? 200);
      offsets.push(offset);
      const items = [];
      for (let i = offset; i < Math.min(offset + limit, TOTAL); i += 1) items.push(forged(i));
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ total_count: TOTAL, limit, offset, first: { href: route.request().url() }, last: { href: route.request().url() }, configurations: items }),
      });
    });
    await page.goto(env.server.url);
    const rows = page.locator('[data-testid="config-row"]');
    const names = async () => (await rows.evaluateAll((els) => els.map((e) => e.dataset.name))).join(',');
    const prev = page.locator('button[data-testid="prev-page"]');
    const next = page.locator('button[data-testid="next-page"]');
    await eventually(async () => (await rows.count()) > 0, 'no rows');
    const pageSize = await rows.count();
    assert.ok(pageSize < TOTAL, `page size ${pageSize} shows everything; paging untested`);
    assert.equal(await names(), Array.from({ length: pageSize }, (_, i) => forged(i).name).join(','));
    assert.ok(await prev.isDisabled(), 'previous enabled on the first page');
    assert.equal(await totalCount(page), TOTAL);
    let seen = pageSize;
    while (seen < TOTAL) {
      assert.ok(!(await next.isDisabled()), `next disabled at ${seen} of ${TOTAL}`);
      await next.click();
      const want = Array.from({ length: Math.min(pageSize, TOTAL - seen) }, (_, i) => forged(seen + i).name).join(',');
      await eventually(async () => (await names()) === want, `page at offset ${seen} not shown`);
      assert.equal(offsets.at(-1), seen);
      seen += pageSize;
    }
    assert.ok(await next.isDisabled(), 'next enabled on the last page');
    await prev.click();
    await eventually(async () => (await names()).startsWith(forged(seen - 2 * pageSize).name), 'previous page not shown');
    await done();
  });

  test('delete asks first; cancel keeps it, confirm removes it', async () => {
    const { page, done } = await openPage(env.browser, env.server.url);
    await row(page, first.name).waitFor({ state: 'visible' });
    const before = await totalCount(page);
    await row(page, first.name).locator('[data-action="open"]').click();
    const detail = page.locator('[data-testid="config-detail"]');
    await detail.locator('button[data-action="delete"]').click();
    const dialog = page.locator('dialog[data-testid="confirm-delete"]');
    await dialog.waitFor({ state: 'visible' });
    assert.ok((await dialog.innerText()).includes(first.name), 'the confirmation does not name what it deletes');
    let deletes = 0;
    page.on('request', (r) => {
      if (r.method() === 'DELETE') deletes += 1;
    });
    await dialog.locator('button[data-action="cancel"]').click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(deletes, 0, 'cancel deleted');
    assert.equal((await api(`${CONFIGS}/${first.name}`)).status, 200);

    await detail.locator('button[data-action="delete"]').click();
    await dialog.waitFor({ state: 'visible' });
    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await dialog.locator('button[data-action="confirm-delete"]').click();
    assert.equal((await deleted).status(), 204);
    await row(page, first.name).waitFor({ state: 'detached' });
    assert.equal(deletes, 1);
    await eventually(async () => (await totalCount(page)) === before - 1, 'total count not decreased');
    assert.equal((await api(`${CONFIGS}/${first.name}`)).status, 404);
    await done();
  });
});
