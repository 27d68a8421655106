//! Stub: being written.
use crate::{Input, ReadError, Reader};
use chancery_model::Document;

pub struct TeiLetter;

impl Reader for TeiLetter {
    fn name(&self) -> &'static str {
        "tei-letter"
    }
    fn sniff(&self, _input: &Input) -> bool {
        false
    }
    fn read(&self, _input: &Input) -> Result<Vec<Document>, ReadError> {
        Err(ReadError::Invalid("not implemented".into()))
    }
}
