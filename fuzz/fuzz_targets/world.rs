//! The emulator's world file (`sm-config serve --world FILE`), into its reader: no panic; a
//! world that reads is one the reader accepts again once written back (the written form is
//! what `sm-config world` prints and people edit), and its summary never fails; a refusal names
//! at least one problem.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sm_config_server::world::{parse_world, summary};

fuzz_target!(|data: &[u8]| {
    match parse_world(data) {
        Ok(world) => {
            let written = serde_json::to_vec(&world).expect("a world writes");
            let again = parse_world(&written).expect("a written world reads back");
            assert_eq!(again, world, "the world survives a round trip");
            assert!(!summary(&world, "fuzz").is_empty());
        }
        Err(e) => {
            assert!(!e.problems.is_empty(), "a refusal says why");
            assert!(!e.to_string().is_empty());
        }
    }
});
