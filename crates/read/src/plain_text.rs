//! Stub: being written.
use crate::{Input, ReadError, Reader};
use chancery_model::Document;

pub struct PlainText;

impl Reader for PlainText {
    fn name(&self) -> &'static str {
        "plain-text"
    }
    fn sniff(&self, _input: &Input) -> bool {
        false
    }
    fn read(&self, _input: &Input) -> Result<Vec<Document>, ReadError> {
        Err(ReadError::Invalid("not implemented".into()))
    }
}
