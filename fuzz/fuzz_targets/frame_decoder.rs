//! The client's frame decoder on arbitrary server bytes: never panics, and
//! decoding the stream in one piece or cut at arbitrary points gives the same
//! frames and the same first error.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use nsq_cli::protocol::frame::{Frame, FrameError};
use nsq_cli::protocol::FrameDecoder;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Small limits exercise the "too large" path; 0 means the default decoder.
    max_frame_size: u16,
    /// Lengths of the pieces the stream arrives in (cycled; 0 counts as 1).
    cuts: Vec<u8>,
    wire: Vec<u8>,
}

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

fuzz_target!(|input: Input| {
    let dec = match input.max_frame_size {
        0 => FrameDecoder::default(),
        n => FrameDecoder::with_max_frame_size(n as usize),
    };
    let whole = decode_all(&dec, &[&input.wire]);

    let mut pieces = Vec::new();
    let mut rest = &input.wire[..];
    let mut cuts = input.cuts.iter().cycle();
    while !rest.is_empty() {
        let n = cuts.next().map_or(rest.len(), |&c| usize::from(c).max(1));
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        pieces.push(piece);
        rest = tail;
    }
    let split = decode_all(&dec, &pieces);
    assert_eq!(whole, split, "cutting the stream changed what was decoded");
});
