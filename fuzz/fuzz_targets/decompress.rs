//! Stream decompression (snappy framing and raw deflate) on arbitrary bytes:
//! never panics, gives the same result whether the bytes arrive whole or cut up,
//! and whatever our compressor writes comes back unchanged.
//!
//! Input: 1 byte of mode (bit 0: snappy, else deflate at level byte / 2 % 10),
//! 1 byte choosing the cuts, then the data.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use nsq_cli::protocol::compression::{Compression, Compressor, Decompressor};
use nsq_cli_fuzz::pieces;

/// Everything decompressed until the first error, and whether there was one.
fn decompress(c: Compression, pieces: &[&[u8]]) -> (BytesMut, bool) {
    let mut d = Decompressor::new(c);
    let mut out = BytesMut::new();
    for p in pieces {
        if d.decompress(p, &mut out).is_err() {
            return (out, true);
        }
    }
    (out, false)
}

fuzz_target!(|data: &[u8]| {
    let [mode, seed, ref data @ ..] = *data else {
        return;
    };
    let c = if mode & 1 != 0 {
        Compression::Snappy
    } else {
        Compression::Deflate(u32::from(mode / 2 % 10))
    };

    // Arbitrary bytes from the wire.
    let (whole, whole_failed) = decompress(c, &[data]);
    let (split, split_failed) = decompress(c, &pieces(data, seed));
    assert_eq!(
        whole_failed, split_failed,
        "cutting the stream changed the verdict"
    );
    if !whole_failed {
        assert_eq!(whole, split, "cutting the stream changed the output");
    }

    // Our own compressor's output, written in pieces, read back cut up differently.
    let mut comp = Compressor::new(c);
    let mut wire = BytesMut::new();
    for p in pieces(data, seed) {
        comp.compress(p, &mut wire);
    }
    let (plain, failed) = decompress(c, &pieces(&wire, seed.wrapping_add(1)));
    assert!(!failed, "our own compressed stream did not decompress");
    assert_eq!(&plain[..], data, "round trip changed the data");
});
