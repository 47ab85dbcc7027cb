// validate's fast path (a plain request read in place) against the general path (what the
// engine's JSON.stringify writes, read by the core's JSON reader), on generated requests:
// plain ones and every kind that must fall back (getters, proxies, cycles, BigInt, extra and
// non-enumerable fields, other prototypes, toJSON, lone surrogates, strings too long for the
// scratch buffer). Also validateMany against validate, and memory over 1,000,000 calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initSync } from 'sm-config';
import * as sm from 'sm-config';

const wasm = initSync({
  module: await readFile(fileURLToPath(import.meta.resolve('sm-config/sm_config_bg.wasm'))),
});

/** The general path, as `validate` took it for every request before the fast path. */
function general(value, target) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    return 'throws';
  }
  if (text === undefined) return 'undefined';
  return sm.validateJson(text, target).map((f) =>
    // `validate` tells a refused nesting (the only invalid_json stringify's text can give,
    // besides an escaped lone surrogate) in terms of the object.
    f.code === 'invalid_json'
      ? {
          path: '',
          code: 'invalid_type',
          severity: 'error',
          message: 'the body is nested too deeply to be read as json',
          hint: 'a request is an object of strings, with code_engine one level down',
        }
      : f,
  );
}

function expectSame(value, target, label) {
  const fast = sm.validate(value, target);
  const want = general(value, target);
  if (want === 'throws') {
    assert.equal(fast[0].code, 'invalid_type', label);
    assert.match(fast[0].message, /cannot be written as json/, label);
    return;
  }
  if (want === 'undefined') {
    assert.match(fast[0].message, /the body must be a json object/, label);
    return;
  }
  assert.deepEqual(fast, want, label);
  for (const f of fast) assert.equal(Object.getPrototypeOf(f), Object.prototype, label);
}

// A small deterministic generator (mulberry32), so a failure names a seed that reproduces it.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  '',
  'my_config',
  'my config!',
  '-x.',
  'code-engine-job-name',
  'My-Job',
  'job-',
  '12345678-5120-4a18-832a-4ba122496633',
  'A2F9C2E4-A3A8-C508-2BED-FCB7C26843CA',
  '12345678_5120-4a18-832a-4ba12249663é',
  'not-a-uuid',
  'us-south',
  'ca-mon',
  ' EU-DE',
  'mars',
  '50m',
  '5s',
  '1.5h',
  '25h',
  'café',
  'naïve-job',
  '日本語',
  'emoji 😀 name',
  'tab\there',
  'nul\u0000byte',
  'lone \ud800 high',
  'lone \udc00 low',
  'x'.repeat(129),
  'y'.repeat(9000),
];
const ODD = [undefined, null, 0, 42, 1.5, true, false, [], ['x'], {}, { a: 1 }];

function gen(r) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const text = () => (r() < 0.9 ? pick(TEXTS) : pick(ODD));
  const maybe = (o, key, value) => {
    if (r() < 0.85) o[key] = value;
  };
  const ce = {};
  maybe(ce, 'job_name', text());
  maybe(ce, 'project_id', text());
  maybe(ce, 'region', text());
  const o = {};
  maybe(o, 'name', text());
  o.config_type = r() < 0.9 ? 'custom_credentials_configuration' : pick([undefined, 'iam_credentials_configuration', 'x', 3]);
  maybe(o, 'api_key_ref', text());
  o.code_engine = r() < 0.92 ? ce : pick([undefined, null, 'x', [ce], 7]);
  maybe(o, 'task_timeout', text());
  // Now something that must take the general path, or not.
  switch (Math.floor(r() * 17)) {
    case 0:
      o.extra = pick(['x', 1, null]);
      break;
    case 1:
      o.extra = undefined; // left out by stringify: still the fast path
      break;
    case 2:
      ce.image = 'x';
      break;
    case 3:
      ce.self = ce; // a cycle
      break;
    case 4:
      o.task_timeout = 10n;
      break;
    case 5:
      Object.defineProperty(o, 'name', { enumerable: true, get: () => 'from_a_getter' });
      break;
    case 6:
      Object.defineProperty(o, 'api_key_ref', { enumerable: false, value: 'hidden' });
      break;
    case 7:
      return new Proxy(o, {});
    case 8:
      return new Proxy(o, { get: (t, k) => (k === 'name' ? 'proxied_name' : Reflect.get(t, k)) });
    case 9:
      return Object.assign(Object.create(null), o);
    case 10:
      return Object.assign(new (class Request {})(), o);
    case 11:
      o.toJSON = () => ({ name: 'from_to_json' });
      break;
    case 12:
      o.fn = () => 1; // left out by stringify; the general path decides
      break;
    case 13:
      o[Symbol('s')] = 'x';
      break;
    case 14:
      return Object.freeze(o);
    case 15:
      // Not enumerable, so not a key: only stringify's toJSON lookup sees it.
      Object.defineProperty(r() < 0.5 ? o : ce, 'toJSON', { value: () => ({ name: 'from_to_json' }) });
      break;
    default:
  }
  return o;
}

const TARGETS = [undefined, null, { instance_id: 'b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5', region: 'eu-de' }];

test('fast path and general path: identical findings for 20,000 generated requests', () => {
  for (let seed = 1; seed <= 20_000; seed++) {
    const r = rng(seed);
    const value = gen(r);
    const target = TARGETS[seed % TARGETS.length];
    expectSame(value, target, `seed ${seed}`);
  }
});

test('validateMany answers what validate answers, item by item', () => {
  for (let batch = 0; batch < 40; batch++) {
    const r = rng(1_000_000 + batch);
    // Up to 600 requests: several scratch buffers' worth, with long strings mixed in.
    const values = Array.from({ length: Math.floor(r() * 600) }, () => gen(r));
    const target = TARGETS[batch % TARGETS.length];
    assert.deepEqual(
      sm.validateMany(values, target),
      values.map((v) => sm.validate(v, target)),
      `batch ${batch}`,
    );
  }
  assert.deepEqual(sm.validateMany([]), []);
});

test('validateMany throws for what is not an array, and for a bad target', () => {
  for (const bad of [undefined, null, 'x', 1, {}, { length: 1, 0: {} }]) {
    assert.throws(() => sm.validateMany(bad), /values must be an array, not/);
  }
  assert.throws(() => sm.validateMany([], 42), /target must be/);
});

test('a getter or proxy trap that throws is reported, not thrown', () => {
  const trap = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
  for (const v of [trap, Object.defineProperty({}, 'name', { enumerable: true, get() { throw new Error('boom'); } })]) {
    const [f] = sm.validate(v);
    assert.equal(f.code, 'invalid_type');
    assert.deepEqual(sm.validateMany([v, v])[1], sm.validate(v));
  }
});

test('results are fresh: mutating one does not change the next', () => {
  const valid = { name: 'my_config', config_type: 'custom_credentials_configuration', api_key_ref: 'a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca', code_engine: { job_name: 'job', project_id: '12345678-5120-4a18-832a-4ba122496633', region: 'us-south' } };
  const first = sm.validate(valid);
  first.push({ path: 'x' });
  assert.deepEqual(sm.validate(valid), []);
  const [f] = sm.validate({ ...valid, name: '' });
  f.message = 'changed';
  assert.equal(sm.validate({ ...valid, name: '' })[0].message, 'name is required');
});

test('memory is flat: 1,000,000 mixed calls grow it no further than the first 10,000', () => {
  const valid = { name: 'my_config', config_type: 'custom_credentials_configuration', api_key_ref: 'a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca', code_engine: { job_name: 'code-engine-job-name', project_id: '12345678-5120-4a18-832a-4ba122496633', region: 'us-south' }, task_timeout: '50m' };
  const invalid = { ...valid, name: 'my config!', task_timeout: '5s', code_engine: { job_name: 'My-Job', project_id: 'not-a-uuid', region: 'mars' } };
  const cycle = { ...valid, code_engine: { ...valid.code_engine } };
  cycle.code_engine.self = cycle.code_engine;
  const mixed = [
    valid,
    invalid,
    valid,
    invalid,
    { ...valid, extra: 1 },
    { ...valid, name: 'x'.repeat(9_000) },
    cycle,
    { ...valid, task_timeout: 1n },
    42,
    { ...valid, name: 'naïve' },
  ];
  let size = 0;
  for (let i = 0; i < 1_000_000; i++) {
    if (i === 10_000) size = wasm.memory.buffer.byteLength;
    const findings = sm.validate(mixed[i % mixed.length]);
    if (i % mixed.length !== 0 && i % mixed.length !== 2 && findings.length === 0) {
      assert.fail(`call ${i}: no findings for an invalid request`);
    }
  }
  assert.equal(wasm.memory.buffer.byteLength, size, 'wasm memory grew after the first 10,000 calls');
});
