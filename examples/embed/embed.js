// The example's only script: a module file, so the page's CSP needs no 'unsafe-inline'.
import init, { regions, render, validate } from './sm-config/sm_config.js';

await init();

const form = document.getElementById('form');
const select = form.elements.region;
for (const r of regions().filter((r) => r.code_engine)) {
  select.append(new Option(`${r.id} (${r.label})`, r.id, false, r.id === 'us-south'));
}

/** The request as the form holds it; an empty optional field is left out. */
function request() {
  const v = (name) => form.elements[name].value.trim();
  return {
    name: v('name'),
    config_type: 'custom_credentials_configuration',
    api_key_ref: v('api_key_ref') || undefined,
    code_engine: { job_name: v('job_name'), project_id: v('project_id'), region: v('region') },
    task_timeout: v('task_timeout') || undefined,
  };
}

function update() {
  const req = request();
  const target = form.elements.target.value.trim() || null;
  const list = document.getElementById('findings');
  let findings;
  let renderTarget = target;
  try {
    findings = validate(req, target);
  } catch (e) {
    // Only a target that is not an instance URL gets here; preview with the placeholder one.
    findings = [{ path: 'target', severity: 'error', message: e.message }];
    renderTarget = null;
  }
  list.replaceChildren(
    ...findings.map((f) => {
      const li = document.createElement('li');
      li.className = f.severity;
      li.textContent = `${f.path || '(body)'}: ${f.message}`;
      if (f.hint) {
        const hint = document.createElement('span');
        hint.className = 'hint';
        hint.textContent = f.hint;
        li.append(hint);
      }
      return li;
    }),
  );
  const errors = findings.filter((f) => f.severity === 'error').length;
  document.getElementById('status').textContent =
    errors === 0 ? `Valid (${findings.length} warning${findings.length === 1 ? '' : 's'}).` : `${errors} error${errors === 1 ? '' : 's'}.`;
  document.getElementById('curl').textContent = render(req, renderTarget, 'curl');
}

form.addEventListener('input', update);
update();
