//! Stream decompression (snappy framing and raw deflate) on arbitrary bytes:
//! never panics, gives the same result whether the bytes arrive whole or cut up,
//! and whatever our compressor writes comes back unchanged.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use nsq_cli::protocol::compression::{Compression, Compressor, Decompressor};

#[derive(Debug, Arbitrary)]
struct Input {
    snappy: bool,
    deflate_level: u8,
    /// Lengths of the pieces the stream arrives in (cycled; 0 counts as 1).
    cuts: Vec<u16>,
    data: Vec<u8>,
}

fn pieces<'a>(data: &'a [u8], cuts: &[u16]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    let mut cuts = cuts.iter().cycle();
    while !rest.is_empty() {
        let n = cuts.next().map_or(rest.len(), |&c| usize::from(c).max(1));
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

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

fuzz_target!(|input: Input| {
    let c = if input.snappy {
        Compression::Snappy
    } else {
        Compression::Deflate(u32::from(input.deflate_level % 10))
    };

    // Arbitrary bytes from the wire.
    let (whole, whole_failed) = decompress(c, &[&input.data]);
    let (split, split_failed) = decompress(c, &pieces(&input.data, &input.cuts));
    assert_eq!(whole_failed, split_failed, "cutting the stream changed the verdict");
    if !whole_failed {
        assert_eq!(whole, split, "cutting the stream changed the output");
    }

    // Our own compressor's output, written in pieces, read back cut up differently.
    let mut comp = Compressor::new(c);
    let mut wire = BytesMut::new();
    for p in pieces(&input.data, &input.cuts) {
        comp.compress(p, &mut wire);
    }
    let (plain, failed) = decompress(c, &pieces(&wire, &[7, 1, 300]));
    assert!(!failed, "our own compressed stream did not decompress");
    assert_eq!(&plain[..], &input.data[..], "round trip changed the data");
});
