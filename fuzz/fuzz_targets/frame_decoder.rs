//! The client's frame decoder on arbitrary server bytes: never panics, and
//! decoding the stream in one piece or cut at arbitrary points gives the same
//! frames and the same first error.
//!
//! Input: 2 bytes of frame size limit (big-endian; 0 means the default decoder),
//! 1 byte choosing the cuts, then the bytes from the wire.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use nsq_cli::protocol::frame::{Frame, FrameError};
use nsq_cli::protocol::FrameDecoder;
use nsq_cli_fuzz::pieces;

fn decode_all(dec: &FrameDecoder, pieces: &[&[u8]]) -> (Vec<Frame>, Option<FrameError>) {
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(e) => return (frames, Some(e)),
            }
        }
    }
    (frames, None)
}

fuzz_target!(|data: &[u8]| {
    let [l0, l1, seed, ref wire @ ..] = *data else {
        return;
    };
    // Small limits reach the "too large" path.
    let dec = match u16::from_be_bytes([l0, l1]) {
        0 => FrameDecoder::default(),
        n => FrameDecoder::with_max_frame_size(usize::from(n)),
    };
    let whole = decode_all(&dec, &[wire]);
    let split = decode_all(&dec, &pieces(wire, seed));
    assert_eq!(whole, split, "cutting the stream changed what was decoded");
});
