//! The world module: the pickers, the prerequisites panel and the secret form, loaded by the
//! page when its form is first used (`sm_config_web::world`). Its exports are here, not in the
//! library, so the page's own wasm does not carry them.

use wasm_bindgen::prelude::*;

/// Nothing runs at load: the page calls [`mount`] once the module is there.
fn main() {}

/// Mounts the pickers and the panel into the page's slots (`sm_config_web::world::SLOTS`).
#[wasm_bindgen]
pub fn mount(
    slots: Vec<web_sys::HtmlElement>,
    edit: js_sys::Function,
    launch_token: String,
    input: Vec<String>,
) {
    sm_config_web::world::mount(slots, edit, launch_token, input);
}

/// The page's state changed.
#[wasm_bindgen]
pub fn update(input: Vec<String>) {
    sm_config_web::world::update(input);
}
