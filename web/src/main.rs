//! Mounts the console page; everything else lives in the library.

fn main() {
    sm_config_web::mount();
}
