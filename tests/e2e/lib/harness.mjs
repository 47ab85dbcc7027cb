// The end-to-end harness: the real `sm-config serve` and Debian's Chromium driven by playwright-core.
//
// Every test file starts its own server (the emulator keeps its state in memory, so a fresh one per
// file keeps files independent) and one browser; every test gets a fresh browser context whose
// console is watched: an uncaught error, a wasm panic or a Content-Security-Policy violation fails
// the test even when its own assertions pass.

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');

/** Flags Chromium needs headless as root on this machine (see docs toolchain notes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The `sm-config` binary: `SM_CONFIG_BIN`, else the newest of the usual build outputs. */
export function serverBin() {
  const fromEnv = process.env.SM_CONFIG_BIN;
  if (fromEnv) {
    assert.ok(existsSync(fromEnv), `SM_CONFIG_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const candidates = ['target/release-native/sm-config', 'target/debug/sm-config']
    .map((p) => join(ROOT, p))
    .filter((p) => existsSync(p));
  assert.ok(candidates.length > 0, 'no sm-config binary: set SM_CONFIG_BIN or build the cli');
  candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0];
}

/** The built page: `SM_CONFIG_DIST`, else `dist/` at the root. */
export function distDir() {
  const dir = process.env.SM_CONFIG_DIST || join(ROOT, 'dist');
  assert.ok(existsSync(join(dir, 'index.html')), `no built page in ${dir} (trunk build --release)`);
  return dir;
}

// The console URL: the launch token in the fragment when the server holds a credential.
const LISTENING = /^sm-config serve: listening on (http:\/\/127\.0\.0\.1:\d+)(\/#token=[0-9a-f]{64})?\s*$/;

/**
 * Starts `sm-config serve --dist <dist> --listen 127.0.0.1:0 [...args]` and resolves once its first
 * stdout line names the URL. `url` is the server's base URL, `consoleUrl` the printed one (with
 * `#token=…` when there is a launch token). `output()` gives everything it printed (to check nothing
 * secret was), `log()` only its stderr. `env` adds environment variables (e.g. IBMCLOUD_API_KEY);
 * the test's own IBMCLOUD_API_KEY is never passed on.
 */
export async function startServer(args = [], { dist = distDir(), env = {} } = {}) {
  const bin = serverBin();
  const argv = ['serve', '--dist', dist, '--listen', '127.0.0.1:0', ...args];
  const childEnv = { ...process.env, NO_COLOR: '1' };
  delete childEnv.IBMCLOUD_API_KEY;
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...childEnv, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const lines = createInterface({ input: child.stdout });
  const { url, consoleUrl } = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`sm-config serve printed no URL in 20 s\n${stderr}`)), 20_000);
    let first = true;
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      if (!first) return;
      first = false;
      clearTimeout(timer);
      const m = LISTENING.exec(line);
      if (m) resolveUrl({ url: m[1], consoleUrl: m[1] + (m[2] ?? '') });
      else reject(new Error(`unexpected first stdout line of sm-config serve: ${JSON.stringify(line)}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sm-config serve exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url,
    consoleUrl,
    output: () => stdout + stderr,
    log: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * One server (`startServer(args, options)`) and one browser for the tests of a `describe`: started
 * before them, stopped after them. Returns `{ server, browser }`, filled in once they run.
 */
export function serverAndBrowser(args = [], options = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    [env.server, env.browser] = await Promise.all([startServer(args, options), launchBrowser()]);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Launches headless Debian Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// A console error that is only the browser reporting an HTTP status or a refused connection the
// test itself provoked (409, aborted route): expected, not a page fault.
const NETWORK_NOISE = /^Failed to load resource: /;

/**
 * Opens a fresh context and page at `url` (not navigated when `url` is null) and watches its console.
 * Call `done()` at the end of the test: it closes the context and fails on uncaught errors, panics and
 * CSP violations.
 */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  // a missing element fails in seconds, not playwright's default 30 s
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const log = [];
  const faults = [];
  page.on('console', (msg) => {
    const text = msg.text();
    log.push({ type: msg.type(), text });
    const csp = /Content Security Policy|Refused to (execute|load|apply|evaluate|compile|connect)/i.test(text);
    if (csp) faults.push(`CSP violation: ${text}`);
    else if (msg.type() === 'error' && !NETWORK_NOISE.test(text)) faults.push(`console error: ${text}`);
  });
  page.on('pageerror', (err) => faults.push(`uncaught: ${err.message}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (url) await gotoApp(page, url);
  return {
    context,
    page,
    log,
    faults,
    async done() {
      let violations = [];
      try {
        violations = await page.evaluate(() => window.__cspViolations ?? []);
      } catch {
        // the page may be gone (closed on purpose); the console listener has seen its faults
      }
      await context.close();
      assert.deepEqual([...faults, ...violations.map((v) => `CSP violation: ${v}`)], [], 'the page reported faults');
    },
  };
}

/** Navigates and waits until the form is there (the wasm app mounted). */
export async function gotoApp(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('#sm-config-app form[data-testid="request-form"] input[name="name"]').waitFor({ timeout: 15_000 });
}

/**
 * Moves the focus forward with Tab until the element with this `name` has it; fails when it is not
 * reachable within `max` presses. This is how a keyboard user gets there.
 */
export async function tabTo(page, name, max = 25) {
  for (let i = 0; i < max; i += 1) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
    if (focused === name) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`[name="${name}"] not reached by ${max} Tab presses`);
}

/** Replaces the focused text input's value by typing, as a user would. */
export async function retype(page, text) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/** Picks `value` in the focused `<select>` with the arrow keys only. */
export async function selectByKeyboard(page, value, max = 20) {
  const current = () => page.evaluate(() => document.activeElement?.value);
  await page.keyboard.press('Home');
  for (let i = 0; i < max; i += 1) {
    if ((await current()) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`option ${value} not reached with ArrowDown`);
}

let counter = 0;
/** A valid request whose name and job name are unique within this run (one job backs one config). */
export function validRequest(tag = 'cfg') {
  counter += 1;
  const n = `${tag}-${process.pid}-${counter}`;
  return {
    name: `e2e_${n.replace(/-/g, '_')}`,
    project_id: '12345678-5120-4a18-832a-4ba122496633',
    job_name: `job-${n}`,
    region: 'eu-de',
    api_key_ref: 'a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca',
    task_timeout: '2h',
  };
}

/** Fills the request form (by `fill`, for tests whose subject is not the typing itself). */
export async function fillForm(page, req) {
  const form = page.locator('form[data-testid="request-form"]');
  await form.locator('input[name="name"]').fill(req.name);
  await form.locator('input[name="code_engine.project_id"]').fill(req.project_id);
  await form.locator('input[name="code_engine.job_name"]').fill(req.job_name);
  await form.locator('select[name="code_engine.region"]').selectOption(req.region);
  if (req.api_key_ref !== undefined) await form.locator('input[name="api_key_ref"]').fill(req.api_key_ref);
  if (req.task_timeout !== undefined) await form.locator('input[name="task_timeout"]').fill(req.task_timeout);
}

/** A relay to a bare upstream URL knows no instance: the user names it, for the previews. */
export async function fillTargetIfEmpty(page) {
  const instance = page.locator('input[name="target.instance_id"]');
  if ((await instance.inputValue()) === '') await instance.fill('0b5571f7-21e6-42b7-91c5-3f5ac9793a46');
  const region = page.locator('select[name="target.region"]');
  if ((await region.inputValue()) === '') await region.selectOption('us-south');
}

/** The text of every preview pane, by format. */
export function previews(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid="previews"] [role="tabpanel"][data-format]')].map((p) => [
        p.dataset.format,
        p.querySelector('pre code')?.textContent ?? null,
      ]),
    ),
  );
}

/** Shown findings as `{path, code, severity, text}`, optionally only those on `path`. */
export function findings(page, path) {
  return page.evaluate((p) =>
    [...document.querySelectorAll('li.finding')]
      .filter((li) => p === undefined || li.dataset.path === p)
      .map((li) => ({ path: li.dataset.path, code: li.dataset.code, severity: li.dataset.severity, text: li.textContent })),
  path);
}

/** The id a field's findings container has: `findings-` + the path with `.` replaced by `-`. */
export const findingsId = (path) => `findings-${path.replace(/\./g, '-')}`;

/** Calls the server's API as a script would (any bearer token does for the emulator). */
export async function api(server, path, init = {}) {
  const res = await fetch(new URL(path, server.url), {
    ...init,
    headers: { Authorization: 'Bearer e2e-emulator', Accept: 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Creates a configuration through the API; returns the service's answer. */
export async function createViaApi(server, req) {
  const body = { name: req.name, config_type: 'custom_credentials_configuration', code_engine: { job_name: req.job_name, project_id: req.project_id, region: req.region } };
  if (req.api_key_ref) body.api_key_ref = req.api_key_ref;
  if (req.task_timeout) body.task_timeout = req.task_timeout;
  const res = await api(server, '/api/v2/configurations', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** Polls `fn` until it returns a truthy value (or fails after `timeout` ms with `message`). */
export async function eventually(fn, message, timeout = 5000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`${message} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
