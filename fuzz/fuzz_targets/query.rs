#![no_main]
//! Fuzz target `query`: see `chancery_fuzz::checks` (shared with the regression test).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chancery_fuzz::checks::run("query", data);
});
