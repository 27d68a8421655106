//! Stub: being written.
use crate::{Input, ReadError, Reader};
use chancery_model::Document;

pub struct WilsonCenterJson;
pub struct WilsonCenterText;

impl Reader for WilsonCenterJson {
    fn name(&self) -> &'static str {
        "wilson-center-json"
    }
    fn sniff(&self, _input: &Input) -> bool {
        false
    }
    fn read(&self, _input: &Input) -> Result<Vec<Document>, ReadError> {
        Err(ReadError::Invalid("not implemented".into()))
    }
}

impl Reader for WilsonCenterText {
    fn name(&self) -> &'static str {
        "wilson-center-text"
    }
    fn sniff(&self, _input: &Input) -> bool {
        false
    }
    fn read(&self, _input: &Input) -> Result<Vec<Document>, ReadError> {
        Err(ReadError::Invalid("not implemented".into()))
    }
}
