// Issue 14: pick, don't type. The region → project → job pickers and the IAM credentials secret
// picker read the emulated world (crates/sm-config-server/src/world/default.json); the
// prerequisites panel shows the server's check (POST /sm-config/check), with fixes, and creates
// the missing authorization in context. A world that forbids listing leaves the form usable.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, eventually, gotoApp, launchBrowser, openPage, retype, selectByKeyboard, startServer, tabTo } from './lib/harness.mjs';

// The default world's facts the tests rely on.
const PAYROLL = '8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b'; // us-south, has the authorization
const PARTNERS = '2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e'; // eu-de, no authorization
const PROVIDER_KEY = '0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c'; // rotates, reuses its key
const NO_ROTATION_KEY = '1c8f4d0b-6e2a-4f3b-9d7c-0e1f2a3b4c5d';
const NOT_IN_WORLD = '12345678-5120-4a18-832a-4ba122496633';

const WORLD = join(ROOT, 'crates/sm-config-server/src/world/default.json');

const panel = (page) => page.locator('[data-testid="prerequisites"]');
const prereq = (page, id) => panel(page).locator(`li.prereq[data-id="${id}"]`);
const status = (page, id) => prereq(page, id).getAttribute('data-status');
const field = (page, name) => page.locator(`form[data-testid="request-form"] [name="${name}"]`);

/** Waits until the picker's select offers an option with this value. */
async function offered(page, noun, value) {
  await page.locator(`[data-testid="${noun}-picker"] select option[value="${value}"]`).waitFor({ state: 'attached' });
}

/** Waits until the panel says `want` for the prerequisite `id`. */
async function until(page, id, want) {
  await eventually(async () => (await status(page, id).catch(() => null)) === want, `prerequisite ${id} is not ${want}`, 10_000);
}

describe('pickers and the prerequisites panel (default world)', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('region, project and job picked by keyboard; a job that is no provider is refused with its reason', async () => {
    const { page, done } = await openPage(browser, server.url);
    await tabTo(page, 'code_engine.region');
    await selectByKeyboard(page, 'us-south', 60);
    await offered(page, 'project', PAYROLL);
    await tabTo(page, 'pick-project');
    await selectByKeyboard(page, PAYROLL);
    await eventually(async () => (await field(page, 'code_engine.project_id').inputValue()) === PAYROLL, 'the project ID is not filled');

    await offered(page, 'job', 'rotate-db-password');
    const refused = page.locator('[data-testid="job-picker"] option[value="nightly-report"]');
    assert.ok(await refused.isDisabled(), 'a job that is no provider can be picked');
    assert.match(await refused.textContent(), /not a credentials provider/);
    const provider = page.locator('[data-testid="job-picker"] option[value="rotate-db-password"]');
    assert.match(await provider.textContent(), /credentials provider · inputs username, db_host · outputs password/);

    await tabTo(page, 'pick-job');
    await selectByKeyboard(page, 'rotate-db-password');
    await eventually(async () => (await field(page, 'code_engine.job_name').inputValue()) === 'rotate-db-password', 'the job name is not filled');
    await until(page, 'project', 'ok');
    await until(page, 'job', 'ok');
    await until(page, 'provider', 'ok');
    await until(page, 'authorization', 'ok');

    // The same job typed by hand is checked the same way: the panel refuses it with the core's reason.
    await tabTo(page, 'code_engine.job_name');
    await retype(page, 'nightly-report');
    await eventually(
      async () => (await status(page, 'provider')) === 'failed' && /nightly-report.*not a credentials provider/.test(await prereq(page, 'provider').textContent()),
      'the panel does not refuse the job that is no provider',
      10_000,
    );

    // The URL carries the picks (never a token).
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('code_engine.project_id'), PAYROLL);
    assert.equal(url.searchParams.get('code_engine.region'), 'us-south');
    await done();
  });

  test('a secret without rotation is marked, the panel shows its ✗ with the fix in four forms, and creates a secret that rotates', async () => {
    const { page, done } = await openPage(browser, `${server.url}/?name=rotation-demo&code_engine.region=us-south&code_engine.project_id=${PAYROLL}&code_engine.job_name=rotate-db-password`);
    await offered(page, 'secret', NO_ROTATION_KEY);
    // no secret yet: "no secret, the job uses a trusted profile" is checked against the job,
    // whose trusted profiles are off; the fix says how to turn them on (no button: the relay
    // changes no Code Engine job)
    assert.equal(await page.locator('[data-testid="secret-picker"] select').inputValue(), '');
    assert.match(await page.locator('[data-testid="secret-picker"] option[value=""]').textContent(), /No secret: the job uses a trusted profile/);
    await eventually(
      async () => (await status(page, 'credentials')) === 'failed' && /trusted profiles disabled/.test(await prereq(page, 'credentials').textContent()),
      'the panel does not refuse a trusted profile on a job without trusted profiles',
      10_000,
    );
    assert.equal(await prereq(page, 'credentials').locator('.fix[data-kind="trusted_profiles"]').count(), 1);
    assert.equal(await prereq(page, 'credentials').locator('button[data-act="create"]').count(), 0);
    const option = page.locator(`[data-testid="secret-picker"] option[value="${NO_ROTATION_KEY}"]`);
    assert.match(await option.textContent(), /no automatic rotation/);
    // the arbitrary secret is not listed: the list asks for iam_credentials only
    assert.equal(await page.locator('[data-testid="secret-picker"] option', { hasText: 'db-note' }).count(), 0);
    await tabTo(page, 'pick-secret');
    await selectByKeyboard(page, NO_ROTATION_KEY);
    assert.equal(await field(page, 'api_key_ref').inputValue(), NO_ROTATION_KEY);
    const item = prereq(page, 'credentials');
    // the panel keeps the last answer while it checks again: wait for the one about this secret
    await eventually(
      async () => (await status(page, 'credentials')) === 'failed' && /secret no-rotation-key has no automatic rotation/.test(await item.textContent()),
      'the panel does not refuse the secret without rotation',
      10_000,
    );
    const fix = item.locator('.fix');
    await fix.first().waitFor();
    const forms = await fix.first().locator('details.fix-form').evaluateAll((d) => d.map((e) => e.dataset.form));
    for (const form of ['CLI', 'Terraform', 'curl']) assert.ok(forms.includes(form), `the fix has no ${form} form: ${forms}`);
    assert.match(await fix.first().locator('details[data-form="CLI"] pre').textContent(), /ibmcloud/);

    // the fix, done from the panel: a small form prefilled with the core's proposal, whose
    // previews follow what is typed; a confirmation that says what will be created, then the
    // new secret's ID in api_key_ref and ✓
    const create = item.locator('[data-testid="create-secret"]');
    await create.focus();
    await page.keyboard.press('Enter');
    const form = panel(page).locator('[data-testid="secret-form"]');
    await form.waitFor();
    await eventually(async () => page.evaluate(() => document.activeElement?.id === 'secret-form-name'), 'the form does not take the focus');
    // Escape closes it and gives the focus back to the button; Enter opens it again
    await page.keyboard.press('Escape');
    await eventually(async () => form.isHidden(), 'Escape does not close the form');
    await eventually(async () => page.evaluate(() => document.activeElement?.dataset.testid === 'create-secret'), 'the focus does not go back to the button');
    await page.keyboard.press('Enter');
    await eventually(async () => page.evaluate(() => document.activeElement?.id === 'secret-form-name'), 'the form does not open again');
    assert.equal(await page.locator('#secret-form-name').inputValue(), 'rotation-demo-api-key');
    assert.equal(await page.locator('#secret-form-ttl').inputValue(), '90d');
    // the group field offers the instance's groups (and the default one)
    assert.equal(await page.locator('#secret-form-group').getAttribute('list'), 'secret-form-groups');
    const group = page.locator('#secret-form-groups option[value="d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10"]');
    await group.waitFor({ state: 'attached' });
    assert.equal(await group.textContent(), 'custom-credentials');
    assert.equal(await page.locator('#secret-form-groups option[value="default"]').count(), 1);
    assert.equal(await page.locator('label[for="secret-form-ttl"]').textContent(), 'Lease (TTL)');
    const cli = form.locator('[data-testid="secret-preview"] details[data-form="CLI"] pre');
    await eventually(async () => /--secret-name='rotation-demo-api-key'/.test(await cli.textContent().catch(() => '')), 'the form shows no preview of the proposal');
    // edited by keyboard: a name the instance already has (the service refuses it on create),
    // then a TTL the core refuses, whose problem is told and disables Create, then one it takes
    await retype(page, 'no-rotation-key');
    await tabTo(page, 'secret-form-ttl');
    await retype(page, '91d');
    const problems = form.locator('[data-testid="secret-problems"]');
    await eventually(async () => /Lease \(TTL\): the ttl is between 1 minute and 90 days/.test(await problems.textContent().catch(() => '')), 'the refused ttl is not told');
    assert.ok(await form.locator('[data-testid="secret-form-create"]').isDisabled(), 'create is possible with a refused ttl');
    assert.equal(await page.locator('#secret-form-ttl').getAttribute('aria-invalid'), 'true');
    await retype(page, '30d');
    const createButton = form.locator('[data-testid="secret-form-create"]');
    await eventually(async () => (await problems.count()) === 0 && !(await createButton.isDisabled()), 'create stays disabled');
    await createButton.focus();
    await page.keyboard.press('Enter');
    await form.locator('[data-testid="confirm-create"]').waitFor();
    // the confirmation takes the focus, so Enter confirms
    await eventually(async () => page.evaluate(() => document.activeElement?.dataset.testid === 'confirm-create'), 'the confirmation does not take the focus');
    await page.keyboard.press('Enter');
    const refused = form.locator('.action-failed');
    await refused.waitFor();
    assert.match(await refused.textContent(), /Refused \(HTTP 409\).*no-rotation-key/);
    assert.equal(await field(page, 'api_key_ref').inputValue(), NO_ROTATION_KEY);
    // the form stays open with what was typed; the name is changed and it is created
    await page.locator('#secret-form-name').focus();
    await retype(page, 'payroll-rotated-key');
    await eventually(
      async () => {
        const text = await cli.textContent().catch(() => '');
        return /--secret-name='payroll-rotated-key'/.test(text) && /--secret-ttl='30d'/.test(text) && (await problems.count()) === 0;
      },
      'the previews do not follow the edits',
    );
    const json = JSON.parse(await form.locator('details[data-form="JSON"] pre').textContent());
    assert.equal(json.name, 'payroll-rotated-key');
    assert.equal(json.ttl, '30d');
    for (const f of ['Terraform', 'curl']) {
      assert.match(await form.locator(`details[data-form="${f}"] pre`).textContent(), /payroll-rotated-key/);
    }
    await tabTo(page, 'secret-form-unit');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'secret-form-create');
    await eventually(async () => !(await form.locator('[data-testid="secret-form-create"]').isDisabled()), 'create stays disabled');
    await page.keyboard.press('Enter');
    const confirm = form.locator('[data-testid="confirm"]');
    await confirm.waitFor();
    const says = await confirm.textContent();
    for (const line of ['Type: iam_credentials', 'Name: payroll-rotated-key', 'Lease (TTL): 30d', 'Rotation: automatic, every 60 day', 'API key reused: yes']) {
      assert.ok(says.includes(line), `the confirmation does not say ${line}: ${says}`);
    }
    await eventually(async () => page.evaluate(() => document.activeElement?.dataset.testid === 'confirm-create'), 'the confirmation does not take the focus');
    await page.keyboard.press('Enter');
    const created = await eventually(async () => {
      const v = await field(page, 'api_key_ref').inputValue();
      return v !== NO_ROTATION_KEY && v;
    }, 'the new secret is not put in api_key_ref');
    await until(page, 'credentials', 'ok');
    assert.match(await panel(page).locator('.action-done').textContent(), /Created the IAM credentials secret payroll-rotated-key/);
    assert.ok(await form.isHidden(), 'the form stays open after the secret is created');
    // the instance has the secret as edited
    const made = await (await fetch(`${server.url}/api/v2/secrets/${created}/metadata`, { headers: { Authorization: 'Bearer e2e' } })).json();
    assert.equal(made.name, 'payroll-rotated-key');
    assert.equal(made.ttl, '30d');
    assert.deepEqual(made.rotation, { auto_rotate: true, interval: 60, unit: 'day' });
    await offered(page, 'secret', created);
    await done();
  });

  test('the authorization is created from the panel, then the configuration, which the list shows', async () => {
    const { page, done } = await openPage(browser, server.url);
    await field(page, 'code_engine.region').selectOption('eu-de');
    await offered(page, 'project', PARTNERS);
    await page.locator('[data-testid="project-picker"] select').selectOption(PARTNERS);
    await offered(page, 'job', 'issue-partner-key');
    await page.locator('[data-testid="job-picker"] select').selectOption('issue-partner-key');
    await offered(page, 'secret', PROVIDER_KEY);
    await page.locator('[data-testid="secret-picker"] select').selectOption(PROVIDER_KEY);
    await until(page, 'authorization', 'failed');

    const button = prereq(page, 'authorization').locator('[data-testid="create-authorization"]');
    await button.focus();
    await page.keyboard.press('Enter');
    const confirm = prereq(page, 'authorization').locator('[data-testid="confirm"]');
    await confirm.waitFor();
    const says = await confirm.textContent();
    assert.match(says, /Roles: Viewer, Writer/);
    assert.match(says, new RegExp(`serviceInstance ${PARTNERS}`));
    assert.match(says, /serviceName secrets-manager/);
    // keyboard only: the confirmation takes the focus, Enter creates
    await eventually(async () => page.evaluate(() => document.activeElement?.dataset.testid === 'confirm-create'), 'the confirmation does not take the focus');
    await page.keyboard.press('Enter');
    await until(page, 'authorization', 'ok');

    const name = `partners-${process.pid}`;
    await field(page, 'name').fill(name);
    await page.locator('form[data-testid="request-form"] button[type="submit"]').click();
    await page.locator(`[data-testid="configurations"] [data-testid="config-row"][data-name="${name}"]`).waitFor({ state: 'visible' });
    // the job is now used by a configuration: the picker says so and the panel's 1:1 check fails
    await until(page, 'unique', 'failed');
    await eventually(
      async () => /used by configuration/.test(await page.locator('[data-testid="job-picker"] option[value="issue-partner-key"]').textContent()),
      'the job picker does not mark the job used',
    );
    await done();
  });

  test('free text: a project the world does not have is checked all the same', async () => {
    const { page, done } = await openPage(browser, server.url);
    await field(page, 'code_engine.region').selectOption('us-south');
    await offered(page, 'project', PAYROLL);
    await field(page, 'code_engine.project_id').fill(NOT_IN_WORLD);
    await field(page, 'code_engine.job_name').fill('some-job');
    await until(page, 'project', 'failed');
    assert.match(await page.locator('[data-testid="project-picker"] .picker-status').textContent(), /not in the list/);
    assert.match(await prereq(page, 'project').textContent(), new RegExp(`no code engine project ${NOT_IN_WORLD} in us-south`));
    await done();
  });

  test('the lists and the check load on the form\'s first use, not with the page', async () => {
    const { page, done } = await openPage(browser, null);
    const requested = [];
    page.on('request', (r) => {
      if (/sm-config-world/.test(r.url())) requested.push(new URL(r.url()).pathname);
    });
    await gotoApp(page, server.url);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(requested, [], 'the world module is part of the first load');
    const pending = page.locator('[data-testid="prerequisites-pending"]');
    assert.match(await pending.textContent(), /Checked here once you start on the form/);
    assert.ok(await page.locator('#world-project-pending').isDisabled(), 'the pending picker can be used');
    await field(page, 'name').focus();
    await offered(page, 'secret', PROVIDER_KEY);
    assert.deepEqual(requested.sort(), ['/sm-config-world.js', '/sm-config-world_bg.wasm']);
    assert.ok(await pending.isHidden(), 'the pending panel stays beside the real one');
    await until(page, 'project', 'skipped');
    await done();
  });

  test('a world module that cannot load is told, and the typed IDs are kept and sent', async () => {
    const { page, done } = await openPage(browser, null);
    await page.route('**/sm-config-world_bg.wasm', (route) => route.abort());
    await gotoApp(page, server.url);
    await field(page, 'code_engine.project_id').fill(PAYROLL);
    await eventually(
      async () => /Could not load the lists and the check/.test(await page.locator('[data-testid="prerequisites-pending"]').textContent()),
      'the failure to load is not told',
    );
    assert.equal(await page.locator('#world-project-pending ~ p[role="alert"]').count(), 1, 'the picker does not alert');
    await eventually(async () => new URL(page.url()).searchParams.get('code_engine.project_id') === PAYROLL, 'the typed project is not in the draft');
    await done();
  });

  test('no token in storage, cookies, the URL or the console', async () => {
    const { page, log, context, done } = await openPage(browser, `${server.url}/?code_engine.region=us-south&code_engine.project_id=${PAYROLL}`);
    await offered(page, 'job', 'rotate-db-password');
    await until(page, 'project', 'ok');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.doesNotMatch(stored, /emulator|bearer/i);
    assert.deepEqual(await context.cookies(), []);
    assert.doesNotMatch(page.url(), /token/i);
    assert.ok(!log.some((l) => /bearer|emulator/i.test(l.text)), JSON.stringify(log));
    await done();
  });
});

describe('a world that forbids listing', () => {
  let server;
  let browser;
  before(async () => {
    const world = JSON.parse(readFileSync(WORLD, 'utf8'));
    world.forbidden = ['projects', 'jobs', 'secrets', 'secret_groups', 'policies'];
    const file = join(mkdtempSync(join(tmpdir(), 'sm-config-world-')), 'forbidden.json');
    writeFileSync(file, JSON.stringify(world));
    [server, browser] = await Promise.all([startServer(['--world', file]), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the pickers say why they cannot list, and the typed IDs are checked and created', async () => {
    const { page, done } = await openPage(browser, server.url);
    await field(page, 'code_engine.region').selectOption('us-south');
    const failed = page.locator('[data-testid="project-picker"] [data-testid="picker-failed"]');
    await failed.waitFor();
    assert.match(await failed.textContent(), /Could not list the region's projects: not allowed \(HTTP 403/);
    const secrets = page.locator('[data-testid="secret-picker"] [data-testid="picker-failed"]');
    await secrets.waitFor();
    assert.match(await secrets.textContent(), /403/);

    await field(page, 'code_engine.project_id').fill(PAYROLL);
    await page.locator('[data-testid="job-picker"] [data-testid="picker-failed"]').waitFor();
    await field(page, 'code_engine.job_name').fill('trusted-issuer');
    await until(page, 'project', 'ok');
    await until(page, 'provider', 'ok');
    // IAM's list is forbidden too: the authorization cannot be told
    await until(page, 'authorization', 'unknown');

    const name = `forbidden-${process.pid}`;
    await field(page, 'name').fill(name);
    await page.locator('form[data-testid="request-form"] button[type="submit"]').click();
    await page.locator('[data-testid="created"], [data-testid="configurations"] [data-testid="config-row"]').first().waitFor({ state: 'visible' });
    await page.locator(`[data-testid="configurations"] [data-testid="config-row"][data-name="${name}"]`).waitFor({ state: 'visible' });
    await done();
  });
});
