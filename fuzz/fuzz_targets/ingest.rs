//! Raw bytes into the ingest decoder and validator: it must never panic, and whatever it
//! accepts must survive the trip back to the wire unchanged (the widget re-sends stored answers).

#![no_main]

use domain::decode_ingest;
use domain::wire::IngestRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(response) = decode_ingest(body) else { return };
    let json = serde_json::to_vec(&IngestRequest::from(&response)).expect("an IngestRequest always serializes");
    assert_eq!(decode_ingest(&json), Ok(response), "re-encoded: {}", String::from_utf8_lossy(&json));
});
