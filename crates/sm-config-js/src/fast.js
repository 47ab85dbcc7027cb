// validate's fast path, JS half; no rule here. The layouts and why: src/fast.rs.
let mem;
let u8 = new Uint8Array(0);
let i32 = new Int32Array(0);
let u32 = new Uint32Array(0);
let tail = u8;
let tailAt = -1;
let tailEnd = -1;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });
const NONE = 0xffffffff;

export function install(memory) {
  mem = memory;
}

function views() {
  // Growing the memory detaches the old buffer, leaving its views empty.
  if (u8.byteLength === 0) {
    u8 = new Uint8Array(mem.buffer);
    i32 = new Int32Array(mem.buffer);
    u32 = new Uint32Array(mem.buffer);
  }
}

// Objects JSON.stringify writes as their own enumerable keys.
function plain(o) {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const p = Object.getPrototypeOf(o);
  return (p === Object.prototype || p === null) && typeof o.toJSON !== 'function';
}

function str(v) {
  return v === undefined || typeof v === 'string';
}

// One record at `at`: the aligned end, -1 for the general path, -2 out of room.
function pack(o, at, end) {
  if (!plain(o)) return -1;
  let name, key, type, ce, timeout, job, project, region;
  for (const k in o) {
    const v = o[k];
    if (k === 'name') name = v;
    else if (k === 'config_type') type = v;
    else if (k === 'api_key_ref') key = v;
    else if (k === 'code_engine') ce = v;
    else if (k === 'task_timeout') timeout = v;
    else if (v !== undefined) return -1;
  }
  if (type !== 'custom_credentials_configuration' || !plain(ce)) return -1;
  for (const k in ce) {
    const v = ce[k];
    if (k === 'job_name') job = v;
    else if (k === 'project_id') project = v;
    else if (k === 'region') region = v;
    else if (v !== undefined) return -1;
  }
  if (!str(name) || !str(key) || !str(job) || !str(project) || !str(region) || !str(timeout)) {
    return -1;
  }
  const h = at >> 2;
  const p = at + 24;
  if (p > end) return -2;
  const all =
    (name ?? '') + (key ?? '') + (job ?? '') + (project ?? '') + (region ?? '') + (timeout ?? '');
  const r = enc.encodeInto(all, p === tailAt && end === tailEnd ? tail : u8.subarray(p, end));
  if (r.read !== all.length) return -2;
  // Not all ASCII (never so when valid): the general path, which also refuses lone surrogates.
  if (r.written !== all.length) return -1;
  i32[h] = name === undefined ? 0 : name.length;
  i32[h + 1] = key === undefined ? -1 : key.length;
  i32[h + 2] = job === undefined ? 0 : job.length;
  i32[h + 3] = project === undefined ? 0 : project.length;
  i32[h + 4] = region === undefined ? 0 : region.length;
  i32[h + 5] = timeout === undefined ? -1 : timeout.length;
  return (p + all.length + 3) & ~3;
}

// JSON.stringify for the general path, answering what it throws as 0: an exception that
// crosses into wasm leaks a slot of wasm-bindgen's externref table (memory grew without end).
export function json(o) {
  try {
    return JSON.stringify(o);
  } catch {
    return 0;
  }
}

export function packOne(o, at, cap) {
  views();
  if (tail.byteLength === 0 || tailAt !== at + 24 || tailEnd !== at + cap) {
    tailAt = at + 24;
    tailEnd = at + cap;
    tail = u8.subarray(tailAt, tailEnd);
  }
  try {
    const end = pack(o, at, at + cap);
    return end < 0 ? -1 : end - at;
  } catch {
    return -1;
  }
}

export function packMany(values, from, at, cap) {
  views();
  const end = at + cap;
  let p = at;
  let i = from;
  for (; i < values.length && p + 4 <= end; i++) {
    let q;
    try {
      q = pack(values[i], p + 4, end);
    } catch {
      q = -1;
    }
    if (q === -2 && p !== at) break;
    i32[p >> 2] = q < 0 ? -1 : 0;
    p = q < 0 ? p + 4 : q;
  }
  return i - from;
}

function read(count, h, s, at, list) {
  for (let n = 0; n < count; n++, h += 7) {
    const f = {
      path: s.slice(at, (at += u32[h])),
      code: s.slice(at, (at += u32[h + 1])),
      severity: s.slice(at, (at += u32[h + 2])),
      message: s.slice(at, (at += u32[h + 3])),
    };
    if (u32[h + 4] !== NONE) f.hint = s.slice(at, (at += u32[h + 4]));
    if (u32[h + 5] !== NONE) f.span = { start: u32[h + 5], end: u32[h + 6] };
    list.push(f);
  }
  return at;
}

export function unpackOne(count, head, text, len) {
  views();
  const list = [];
  if (count > 0) read(count, head >> 2, dec.decode(u8.subarray(text, text + len)), 0, list);
  return list;
}

export function unpackMany(requests, counts, head, text, len) {
  views();
  const s = dec.decode(u8.subarray(text, text + len));
  const out = [];
  let h = head >> 2;
  let at = 0;
  for (let r = 0; r < requests; r++) {
    const count = u32[(counts >> 2) + r];
    const list = [];
    at = read(count, h, s, at, list);
    h += 7 * count;
    out.push(list);
  }
  return out;
}
