//! Stub: being written.
use crate::{Input, ReadError, Reader};
use chancery_model::Document;

pub struct FrusTei;

impl Reader for FrusTei {
    fn name(&self) -> &'static str {
        "frus-tei"
    }
    fn sniff(&self, _input: &Input) -> bool {
        false
    }
    fn read(&self, _input: &Input) -> Result<Vec<Document>, ReadError> {
        Err(ReadError::Invalid("not implemented".into()))
    }
}
