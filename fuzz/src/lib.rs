//! Helpers shared by the fuzz targets.
//!
//! Targets take plain bytes: a few leading bytes of settings, then the data
//! itself, contiguous, so that libFuzzer's comparison tracing and dictionaries can
//! plant magic values (frame types, delimiters, JSON keys) where they take effect.

/// Cuts `data` into pieces whose lengths follow from `seed`: the low 3 bits pick
/// the largest piece (1 byte to 4 KiB), the rest seed a PRNG for the lengths. The
/// same seed always gives the same cut.
pub fn pieces(data: &[u8], seed: u8) -> Vec<&[u8]> {
    const LARGEST: [usize; 8] = [1, 2, 3, 7, 16, 64, 512, 4096];
    let largest = LARGEST[usize::from(seed & 7)];
    let mut state = u32::from(seed) | 0x9e37_0000;
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        // xorshift32: cheap, deterministic, good enough to vary the cuts.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = 1 + state as usize % largest;
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

/// A reader whose reads return the pieces one by one (never more than asked for).
pub struct PieceReader<'a> {
    pieces: std::collections::VecDeque<&'a [u8]>,
}

impl<'a> PieceReader<'a> {
    pub fn new(data: &'a [u8], seed: u8) -> Self {
        PieceReader {
            pieces: pieces(data, seed).into(),
        }
    }
}

impl std::io::Read for PieceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(piece) = self.pieces.pop_front() else {
            return Ok(0);
        };
        let n = piece.len().min(buf.len());
        buf[..n].copy_from_slice(&piece[..n]);
        if n < piece.len() {
            self.pieces.push_front(&piece[n..]);
        }
        Ok(n)
    }
}
