// Starts the console page. Trunk's default loader is an inline script, which the page's
// Content-Security-Policy forbids; this external module does the same job from 'self'.
//
// The world module (the pickers, the prerequisites panel, the secret form: web/src/world.rs)
// is not part of the first load: the page calls this loader when its form is first used.
globalThis.smConfigWorld = async () => {
  const world = await import('./sm-config-world.js');
  await world.default({ module_or_path: new URL('./sm-config-world_bg.wasm', import.meta.url) });
  return world;
};
const meta = document.querySelector('meta[name="sm-config-wasm"]');
if (meta) {
  const { default: init } = await import(meta.dataset.js);
  await init({ module_or_path: meta.content });
}
