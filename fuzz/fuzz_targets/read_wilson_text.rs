#![no_main]
//! Fuzz target `read_wilson_text`: see `chancery_fuzz::checks` (shared with the regression test).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chancery_fuzz::checks::run("read_wilson_text", data);
});
