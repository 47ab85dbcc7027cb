// The cost of `validate` from JS next to ajv validating the same rules written as a JSON
// Schema: one call and batches, valid and invalid, in one Node run and once in headless
// Chromium (same package, same schema, same measuring code). Usage:
// node validate.mjs <pkg dir> [--floor <pkg dir>] [--no-browser]. Prints one JSON object,
// which `cargo xtask bench js` turns into the npm section of BENCHMARKS.md.
//
// `--floor` names a second build of the package with the feature `bench-floor` (never
// published): its `floorCall` (an exported call taking the request, reading nothing) and
// `floorRead` (validate's fast path with the rules skipped) are measured in the same rounds,
// the floor under any wasm `validate` of this design, and `floorRules` (the rules run, their
// findings dropped) splits the rest.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const pkg = resolve(process.argv[2] ?? new URL('../pkg', import.meta.url).pathname);
const withBrowser = !process.argv.includes('--no-browser');
const floorAt = process.argv.indexOf('--floor');
const floorPkg = floorAt > 0 ? resolve(process.argv[floorAt + 1]) : null;
const sm = await import(pathToFileURL(join(pkg, 'sm_config.js')).href);
const wasmBytes = await readFile(join(pkg, 'sm_config_bg.wasm'));
const instance = sm.initSync({ module: wasmBytes });
// The floor build: its own module and instance, beside the published one.
let floor = null;
if (floorPkg) {
  floor = await import(pathToFileURL(join(floorPkg, 'sm_config.js')).href);
  floor.initSync({ module: await readFile(join(floorPkg, 'sm_config_bg.wasm')) });
}

const valid = JSON.parse(
  await readFile(new URL('../../../examples/docs-example.json', import.meta.url), 'utf8'),
);

// The rules as a JSON Schema, as a host would write them for ajv. Lengths and patterns are the
// core's; what a schema cannot say is left out (the task timeout's 5 min – 24 h range, the
// trusted-profile warning, hints and spans), so ajv does strictly less work than sm-config.
const uuid = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const limits = sm.limits();
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'config_type', 'code_engine'],
  properties: {
    name: {
      type: 'string',
      minLength: limits.name_min_len,
      maxLength: limits.name_max_len,
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9]$',
    },
    config_type: { const: 'custom_credentials_configuration' },
    api_key_ref: { type: 'string', pattern: uuid },
    code_engine: {
      type: 'object',
      additionalProperties: false,
      required: ['job_name', 'project_id', 'region'],
      properties: {
        job_name: {
          type: 'string',
          minLength: 1,
          maxLength: limits.job_name_max_len,
          pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
        },
        project_id: { type: 'string', pattern: uuid },
        region: { enum: sm.regions().filter((r) => r.code_engine).map((r) => r.id) },
      },
    },
    task_timeout: { type: 'string', maxLength: limits.task_timeout_max_len, pattern: '^[0-9]+[smhd]?$' },
  },
};
// Compiled once to source, so Node and the page run the very same validator function.
const ajv = new Ajv({ allErrors: true, code: { source: true } });
const ajvSource = standaloneCode(ajv, ajv.compile(schema));
const require = createRequire(import.meta.url);
const ucs2Source = await readFile(require.resolve('ajv/dist/runtime/ucs2length.js'), 'utf8');

/**
 * The measurement, self-contained so it runs as is in Node and in the page: `sm` is the
 * package, `ajvValidate` the compiled schema, `now()` milliseconds. Median per call over 7
 * rounds; in each round every candidate runs once, in turn, so load on a shared machine falls
 * on all of them alike.
 */
async function measure(sm, ajvValidate, valid, now, floor) {
  const invalid = {
    ...valid,
    name: 'my config!',
    task_timeout: '5s',
    code_engine: { job_name: 'My-Job', project_id: 'not-a-uuid', region: 'mars' },
  };
  // Both validators must agree before their speed means anything.
  if (sm.validate(valid).length !== 0 || !ajvValidate(valid)) throw new Error('the example must be valid');
  if (sm.validate(invalid).length !== 5 || ajvValidate(invalid)) throw new Error('5 findings expected');
  // The schema cannot say the task timeout's range, so ajv finds one error fewer.
  const ajvErrors = ajvValidate.errors.length;
  const BATCH = 100;
  const validBatch = Array.from({ length: BATCH }, () => structuredClone(valid));
  const invalidBatch = Array.from({ length: BATCH }, () => structuredClone(invalid));
  const validText = JSON.stringify(valid);
  let sink = 0;
  const ajvMany = (values) => values.map((v) => (ajvValidate(v) ? [] : ajvValidate.errors));
  if (floor) {
    // The floor must read what validate reads: both requests by the fast path.
    if (floor.floorRead(valid) === null || floor.floorRead(invalid) === null) {
      throw new Error('the floor read must take the fast path');
    }
    if (floor.validate(invalid).length !== 5) throw new Error('the floor build must validate alike');
  }
  const floors = floor
    ? {
        floor_call: [1, () => floor.floorCall(valid)],
        floor_read: [1, () => floor.floorRead(valid)],
        floor_read_invalid: [1, () => floor.floorRead(invalid)],
        floor_rules_invalid: [1, () => floor.floorRules(invalid)],
        floor_validate: [1, () => floor.validate(valid)],
      }
    : {};
  const candidates = {
    validate: [1, () => sm.validate(valid)],
    ajv: [1, () => ajvValidate(valid)],
    validate_invalid: [1, () => sm.validate(invalid)],
    ajv_invalid: [1, () => ajvValidate(invalid)],
    validate_many: [BATCH, () => sm.validateMany(validBatch)],
    ajv_many: [BATCH, () => ajvMany(validBatch)],
    validate_many_invalid: [BATCH, () => sm.validateMany(invalidBatch)],
    ajv_many_invalid: [BATCH, () => ajvMany(invalidBatch)],
    validate_json: [1, () => sm.validateJson(validText)],
    stringify: [1, () => JSON.stringify(valid)],
    ...floors,
  };
  const calls = {};
  for (const [name, [, fn]] of Object.entries(candidates)) {
    // Size a round to ~60 ms so the clock's resolution (100 µs in Chromium) does not matter.
    let n = 16;
    for (;;) {
      const t = now();
      for (let i = 0; i < n; i++) sink += fn() ? 1 : 0;
      if (now() - t > 60) break;
      n *= 2;
    }
    calls[name] = n;
  }
  const rounds = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let r = 0; r < 7; r++) {
    for (const [name, [per, fn]] of Object.entries(candidates)) {
      const n = calls[name];
      const t = now();
      for (let i = 0; i < n; i++) sink += fn() ? 1 : 0;
      rounds[name].push(((now() - t) * 1e6) / (n * per));
      // Let the page's event loop breathe between rounds.
      await null;
    }
  }
  const results = {};
  for (const [name, list] of Object.entries(rounds)) {
    list.sort((a, b) => a - b);
    const ns = list[3];
    results[name] = {
      ns_per_call: ns,
      calls_per_second: 1e9 / ns,
      calls_per_round: calls[name] * candidates[name][0],
    };
  }
  const ratio = (a, b) => results[a].ns_per_call / results[b].ns_per_call;
  return {
    ...results,
    ratio: {
      validate: ratio('validate', 'ajv'),
      validate_invalid: ratio('validate_invalid', 'ajv_invalid'),
      validate_many: ratio('validate_many', 'ajv_many'),
      validate_many_invalid: ratio('validate_many_invalid', 'ajv_many_invalid'),
      validate_json: ratio('validate_json', 'ajv'),
      ...(floor
        ? {
            floor_call: ratio('floor_call', 'ajv'),
            floor_read: ratio('floor_read', 'ajv'),
            floor_read_invalid: ratio('floor_read_invalid', 'ajv_invalid'),
            floor_rules_invalid: ratio('floor_rules_invalid', 'ajv_invalid'),
            floor_validate: ratio('floor_validate', 'ajv'),
          }
        : {}),
    },
    batch: BATCH,
    ajv_invalid_errors: ajvErrors,
    sink,
  };
}

/** The standalone ajv module as a function, with its one runtime helper. */
function loadAjv(source, ucs2) {
  const ucs2Module = { exports: {} };
  new Function('module', 'exports', ucs2)(ucs2Module, ucs2Module.exports);
  const module = { exports: {} };
  const requireShim = (name) => {
    if (name === 'ajv/dist/runtime/ucs2length') return ucs2Module.exports;
    throw new Error(`ajv standalone needs ${name}`);
  };
  new Function('module', 'exports', 'require', source)(module, module.exports, requireShim);
  return module.exports;
}

const memoryBefore = instance.memory.buffer.byteLength;
const node = await measure(sm, loadAjv(ajvSource, ucs2Source), valid, () => performance.now(), floor);
const memoryAfter = instance.memory.buffer.byteLength;

/** The same measurement in headless Chromium, the package and ajv served from memory. */
async function inChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    const origin = 'http://sm-config-bench.test';
    await page.route(`${origin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' });
      // `/floor/…` is the floor build, everything else the published package.
      const [dir, rest] =
        floorPkg && path.startsWith('/floor/') ? [floorPkg, path.slice('/floor'.length)] : [pkg, path];
      const file = join(dir, decodeURIComponent(rest));
      if (!file.startsWith(dir)) return route.abort();
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      return route.fulfill({ contentType: type, body: await readFile(file) });
    });
    await page.goto(`${origin}/`);
    const version = browser.version();
    const result = await page.evaluate(
      async ({ measureSource, loadAjvSource, ajvSource, ucs2Source, valid, withFloor }) => {
        const sm = await import('/sm_config.js');
        await sm.default();
        let floor = null;
        if (withFloor) {
          floor = await import('/floor/sm_config.js');
          await floor.default();
        }
        const load = new Function(`return ${loadAjvSource}`)();
        const measure = new Function(`return ${measureSource}`)();
        return measure(sm, load(ajvSource, ucs2Source), valid, () => performance.now(), floor);
      },
      {
        measureSource: measure.toString(),
        loadAjvSource: loadAjv.toString(),
        ajvSource,
        ucs2Source,
        valid,
        withFloor: floorPkg !== null,
      },
    );
    return { version, ...result };
  } finally {
    await browser.close();
  }
}

const chromium = withBrowser ? await inChromium() : null;

console.log(
  JSON.stringify({
    node: process.version,
    ...node,
    memory: { before: memoryBefore, after: memoryAfter },
    chromium,
    schema_note:
      'The schema holds the lengths, patterns, required fields and the Code Engine regions; it cannot hold the ' +
      "task timeout's range, the trusted-profile warning, hints or spans, which sm-config computes as well.",
  }),
);
