// The built npm package, imported as a user would (`cargo xtask js test` installs the packed
// tarball next to a copy of this file), checked against the cases tests/web.rs checks in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initSync } from 'sm-config';
import * as sm from 'sm-config';

const wasm = await readFile(fileURLToPath(import.meta.resolve('sm-config/sm_config_bg.wasm')));
initSync({ module: wasm });

const { cases } = JSON.parse(await readFile(new URL('../cases.json', import.meta.url), 'utf8'));

/** A case's JSON argument as the JS value it stands for (see `about` in cases.json). */
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  switch (value.$js) {
    case undefined:
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    case 'undefined':
      return undefined;
    case 'function':
      return () => 1;
    case 'symbol':
      return Symbol('sm-config');
    case 'bigint':
      return 1n;
    case 'cycle': {
      const o = { name: 'loop' };
      o.self = o;
      return o;
    }
    case 'throwing_getter':
      return Object.defineProperty({}, 'name', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
    case 'repeat':
      return value.text.repeat(value.times);
    case 'nest': {
      let v = [];
      for (let i = 0; i < value.depth; i++) v = [v];
      return v;
    }
    default:
      throw new Error(`unknown $js marker ${value.$js}`);
  }
}

/** Runs one case and checks it; shared by the case tests and the after-abuse check. */
function check(c) {
  const args = c.args.map(decode);
  if (c.throws) {
    assert.throws(
      () => sm[c.call](...args),
      (e) => {
        assert.ok(e instanceof Error, 'a real Error');
        assert.ok(e.message.includes(c.throws.message), `message: ${e.message}`);
        if (c.throws.code) assert.equal(e.code, c.throws.code);
        if (c.throws.span) assert.deepEqual({ ...e.span }, c.throws.span);
        if (c.throws.code) assert.equal(typeof e.hint, 'string');
        return true;
      },
    );
    return;
  }
  const result = sm[c.call](...args);
  if (c.findings) {
    assert.ok(Array.isArray(result));
    for (const f of result) {
      assert.equal(Object.getPrototypeOf(f), Object.prototype, 'a plain object');
      assert.ok(typeof f.message === 'string' && f.message.length > 0);
      assert.ok(f.hint === undefined || typeof f.hint === 'string');
      for (const [k, v] of Object.entries(f)) assert.notEqual(v, null, `${k} is null`);
    }
    const rows = (list) => list.map((f) => [f.path, f.code, f.severity]);
    assert.deepEqual(rows(result), rows(c.findings));
    c.findings.forEach((e, i) => {
      if (e.span) assert.deepEqual({ ...result[i].span }, e.span);
    });
  } else if (c.contains) {
    for (const part of c.contains) assert.ok(result.includes(part), `missing ${part} in:\n${result}`);
  } else {
    assert.deepEqual(JSON.parse(JSON.stringify(result)), c.returns);
  }
}

for (const c of cases) {
  test(`${c.call}: ${c.name}`, () => check(c));
}

test('findings without a hint or span leave the key out (undefined, not null)', () => {
  const [finding] = sm.validateJson('{');
  assert.equal(finding.code, 'invalid_json');
  assert.ok('span' in finding);
  const mismatch = sm.validate({}, { instance_id: '', region: 'eu-de' });
  for (const f of mismatch) {
    if (f.span === undefined) assert.ok(!('span' in f), `${f.path} has a span key`);
  }
});

test('regions: the 13 Secrets Manager regions, with Code Engine marked', () => {
  const regions = sm.regions();
  assert.equal(regions.length, 13);
  assert.deepEqual(regions[0], { id: 'us-south', label: 'Dallas', code_engine: true });
  assert.equal(regions.find((r) => r.id === 'ca-mon').code_engine, false);
  assert.equal(regions.filter((r) => r.code_engine).length, 11);
});

test('the module still answers correctly after 10,000 bad calls', () => {
  const bad = [null, undefined, 42, [], 'x', () => 1, 1n];
  const cycle = {};
  cycle.self = cycle;
  bad.push(cycle);
  for (let i = 0; i < 10_000; i++) {
    const v = bad[i % bad.length];
    assert.equal(sm.validate(v).length > 0, true);
    assert.equal(sm.validateJson(v).length > 0, true);
    assert.throws(() => sm.render(v, null, 'curl'));
    assert.throws(() => sm.parseTaskTimeout(v));
    assert.equal(sm.validate({ code_engine: [[[v]]], name: v }).length > 0, true);
  }
  for (const c of cases) check(c);
});

test('any function may be the first call of a fresh instance', async () => {
  // Each call in its own process: the instance above has long been used by now.
  const { execFileSync } = await import('node:child_process');
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const valid = JSON.stringify(JSON.stringify({
    name: 'my_config',
    config_type: 'custom_credentials_configuration',
    api_key_ref: 'a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca',
    code_engine: { job_name: 'my-job', project_id: '12345678-5120-4a18-832a-4ba122496633', region: 'us-south' },
  }));
  const calls = [
    ["validateJson('{}')", true],
    ["validateJson('{')", true],
    [`validateJson(${valid})`, false],
    ['validate({})', true],
    [`validate(${JSON.parse(valid)})`, false],
    ['validateMany([{}])', true],
  ];
  for (const [call, findsSomething] of calls) {
    const script = `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as sm from 'sm-config';
sm.initSync({ module: readFileSync(fileURLToPath(import.meta.resolve('sm-config/sm_config_bg.wasm'))) });
process.stdout.write(JSON.stringify(sm.${call}));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    const findings = JSON.parse(out).flat();
    assert.ok(findings.every((f) => typeof f.code === 'string'), `${call}: ${out}`);
    assert.equal(findings.length > 0, findsSomething, `${call}: ${out}`);
  }
});
