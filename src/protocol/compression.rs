//! Stream compression negotiated in IDENTIFY: raw deflate with a sync flush after
//! each write, or the snappy framing format. Buffer-to-buffer, so the same code
//! serves the broker's and the client's connections.

use bytes::{Buf, BufMut, BytesMut};
use flate2::{Compress, Compression as Level, Decompress, FlushCompress, FlushDecompress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Deflate(u32),
    Snappy,
}

#[derive(Debug, thiserror::Error)]
pub enum CompressionError {
    #[error("deflate stream is corrupt: {0}")]
    Deflate(String),
    #[error("snappy stream is corrupt: {0}")]
    Snappy(String),
}

const SNAPPY_STREAM_ID: &[u8] = b"\xff\x06\x00\x00sNaPpY";
const SNAPPY_MAX_BLOCK: usize = 65536;

fn masked_crc32c(data: &[u8]) -> u32 {
    let c = crc32c::crc32c(data);
    (c.rotate_right(15)).wrapping_add(0xa282_ead8)
}

/// Compresses what a connection writes.
pub enum Compressor {
    Deflate {
        z: Box<Compress>,
        scratch: Vec<u8>,
    },
    Snappy {
        started: bool,
        encoder: Box<snap::raw::Encoder>,
    },
}

impl Compressor {
    pub fn new(c: Compression) -> Compressor {
        match c {
            Compression::Deflate(level) => Compressor::Deflate {
                z: Box::new(Compress::new(Level::new(level.min(9)), false)),
                scratch: vec![0; 64 * 1024],
            },
            Compression::Snappy => Compressor::Snappy {
                started: false,
                encoder: Box::new(snap::raw::Encoder::new()),
            },
        }
    }

    /// Appends the compressed form of `plain` to `out`, flushed so that the peer can
    /// decode everything written so far.
    pub fn compress(&mut self, plain: &[u8], out: &mut BytesMut) {
        match self {
            Compressor::Deflate { z, scratch } => {
                let mut input = plain;
                loop {
                    let (before_in, before_out) = (z.total_in(), z.total_out());
                    // Compressing into a buffer we own cannot fail.
                    let _ = z.compress(input, scratch, FlushCompress::Sync);
                    let consumed = (z.total_in() - before_in) as usize;
                    let produced = (z.total_out() - before_out) as usize;
                    out.put_slice(&scratch[..produced]);
                    input = &input[consumed..];
                    // The sync flush is complete once all input is in and it fit.
                    if input.is_empty() && produced < scratch.len() {
                        break;
                    }
                }
            }
            Compressor::Snappy { started, encoder } => {
                if !*started {
                    out.put_slice(SNAPPY_STREAM_ID);
                    *started = true;
                }
                for block in plain.chunks(SNAPPY_MAX_BLOCK) {
                    let crc = masked_crc32c(block);
                    let compressed = encoder.compress_vec(block).unwrap_or_default();
                    let (kind, payload): (u8, &[u8]) =
                        if !compressed.is_empty() && compressed.len() < block.len() {
                            (0x00, &compressed)
                        } else {
                            (0x01, block)
                        };
                    let len = payload.len() + 4;
                    out.put_u8(kind);
                    out.put_slice(&(len as u32).to_le_bytes()[..3]);
                    out.put_u32_le(crc);
                    out.put_slice(payload);
                }
            }
        }
    }
}

/// Decompresses what a connection reads.
pub enum Decompressor {
    Deflate {
        z: Box<Decompress>,
        scratch: Vec<u8>,
    },
    Snappy {
        pending: BytesMut,
        decoder: snap::raw::Decoder,
    },
}

impl Decompressor {
    pub fn new(c: Compression) -> Decompressor {
        match c {
            Compression::Deflate(_) => Decompressor::Deflate {
                z: Box::new(Decompress::new(false)),
                scratch: vec![0; 64 * 1024],
            },
            Compression::Snappy => Decompressor::Snappy {
                pending: BytesMut::new(),
                decoder: snap::raw::Decoder::new(),
            },
        }
    }

    /// Feeds raw bytes from the wire; appends whatever plain bytes they complete.
    pub fn decompress(&mut self, raw: &[u8], out: &mut BytesMut) -> Result<(), CompressionError> {
        match self {
            Decompressor::Deflate { z, scratch } => {
                let mut input = raw;
                loop {
                    let (before_in, before_out) = (z.total_in(), z.total_out());
                    z.decompress(input, scratch, FlushDecompress::Sync)
                        .map_err(|e| CompressionError::Deflate(e.to_string()))?;
                    let consumed = (z.total_in() - before_in) as usize;
                    let produced = (z.total_out() - before_out) as usize;
                    out.put_slice(&scratch[..produced]);
                    input = &input[consumed..];
                    if (input.is_empty() && produced < scratch.len())
                        || (consumed == 0 && produced == 0)
                    {
                        return Ok(());
                    }
                }
            }
            Decompressor::Snappy { pending, decoder } => {
                pending.extend_from_slice(raw);
                loop {
                    if pending.len() < 4 {
                        return Ok(());
                    }
                    let kind = pending[0];
                    let len = u32::from_le_bytes([pending[1], pending[2], pending[3], 0]) as usize;
                    if pending.len() < 4 + len {
                        return Ok(());
                    }
                    pending.advance(4);
                    let chunk = pending.split_to(len);
                    match kind {
                        0xff if &chunk[..] != b"sNaPpY" => {
                            return Err(CompressionError::Snappy("bad stream identifier".into()));
                        }
                        0x00 | 0x01 => {
                            if chunk.len() < 4 {
                                return Err(CompressionError::Snappy("chunk too short".into()));
                            }
                            let crc = u32::from_le_bytes(chunk[..4].try_into().unwrap());
                            let data = if kind == 0x00 {
                                decoder
                                    .decompress_vec(&chunk[4..])
                                    .map_err(|e| CompressionError::Snappy(e.to_string()))?
                            } else {
                                chunk[4..].to_vec()
                            };
                            if masked_crc32c(&data) != crc {
                                return Err(CompressionError::Snappy("checksum mismatch".into()));
                            }
                            out.put_slice(&data);
                        }
                        0x02..=0x7f => {
                            return Err(CompressionError::Snappy(format!(
                                "unskippable chunk type {kind:#04x}"
                            )))
                        }
                        _ => {} // stream identifier, padding and skippable chunks
                    }
                }
            }
        }
    }
}

/// An async reader that passes bytes through until compression is switched on,
/// then decompresses them.
pub struct DecompressingReader<R> {
    inner: R,
    mode: Option<Decompressor>,
    raw: Vec<u8>,
    plain: BytesMut,
}

impl<R> DecompressingReader<R> {
    pub fn new(inner: R) -> Self {
        DecompressingReader {
            inner,
            mode: None,
            raw: vec![0; 64 * 1024],
            plain: BytesMut::new(),
        }
    }

    /// The stream underneath (e.g. to write to it, or to swap it for TLS).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Switches compression on. `already_read` holds raw bytes that were read past
    /// the switch point by a buffer above us; they are decompressed first.
    pub fn enable(&mut self, c: Compression, already_read: &[u8]) -> Result<(), CompressionError> {
        let mut d = Decompressor::new(c);
        d.decompress(already_read, &mut self.plain)?;
        self.mode = Some(d);
        Ok(())
    }
}

impl<R: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for DecompressingReader<R> {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.mode.is_none() {
            return std::pin::Pin::new(&mut this.inner).poll_read(cx, buf);
        }
        loop {
            if !this.plain.is_empty() {
                let n = this.plain.len().min(buf.remaining());
                buf.put_slice(&this.plain.split_to(n));
                return Poll::Ready(Ok(()));
            }
            let mut rb = tokio::io::ReadBuf::new(&mut this.raw);
            match std::pin::Pin::new(&mut this.inner).poll_read(cx, &mut rb) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => {
                    let n = rb.filled().len();
                    if n == 0 {
                        return Poll::Ready(Ok(())); // EOF
                    }
                    let d = this.mode.as_mut().expect("compression on");
                    d.decompress(&this.raw[..n], &mut this.plain).map_err(|e| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
                    })?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(c: Compression, writes: &[&[u8]]) {
        let mut comp = Compressor::new(c);
        let mut dec = Decompressor::new(c);
        let mut plain = BytesMut::new();
        let mut expected = Vec::new();
        for w in writes {
            let mut wire = BytesMut::new();
            comp.compress(w, &mut wire);
            // every write must be decodable on its own (flushed), even byte by byte
            for b in wire.iter() {
                dec.decompress(&[*b], &mut plain).unwrap();
            }
            expected.extend_from_slice(w);
            assert_eq!(&plain[..], &expected[..]);
        }
    }

    #[test]
    fn deflate_round_trips_with_sync_flush() {
        let big = vec![b'x'; 200_000];
        round_trip(
            Compression::Deflate(6),
            &[b"OK", b"hello", &big, b"\x00\x01\x02"],
        );
    }

    #[test]
    fn snappy_round_trips() {
        let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        round_trip(Compression::Snappy, &[b"OK", &big, b"tail"]);
    }

    #[test]
    fn snappy_ok_frame_matches_nsqd_capture() {
        // tcp-compression.txt: stream identifier, then an uncompressed-data chunk
        // holding the OK frame with masked crc32c 26982bcf.
        let mut wire = BytesMut::new();
        Compressor::new(Compression::Snappy)
            .compress(b"\x00\x00\x00\x06\x00\x00\x00\x00OK", &mut wire);
        assert_eq!(
            &wire[..],
            b"\xff\x06\x00\x00sNaPpY\x01\x0e\x00\x00\x26\x98\x2b\xcf\x00\x00\x00\x06\x00\x00\x00\x00OK"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut out = BytesMut::new();
        let mut d = Decompressor::new(Compression::Snappy);
        assert!(d.decompress(b"\x05\x01\x00\x00x", &mut out).is_err());
        let mut d = Decompressor::new(Compression::Deflate(6));
        assert!(d.decompress(b"\xff\xff\xff\xff\xff\xff", &mut out).is_err());
    }
}
