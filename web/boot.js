// Starts the console page. Trunk's default loader is an inline script, which the page's
// Content-Security-Policy forbids; this external module does the same job from 'self'.
const meta = document.querySelector('meta[name="sm-config-wasm"]');
if (meta) {
  const { default: init } = await import(meta.dataset.js);
  await init({ module_or_path: meta.content });
}
