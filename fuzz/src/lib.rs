//! The fuzz targets' shared code: [`checks`] is also compiled into the regression test
//! `crates/core/tests/fuzz_regressions.rs`, so a kept input is replayed through exactly what
//! the fuzzer ran.
pub mod checks;
