// Starts the import worker (trunk's own shim passes a deprecated argument to wasm_bindgen).
importScripts("./import-worker.js");
wasm_bindgen({ module_or_path: "./import-worker_bg.wasm" });
