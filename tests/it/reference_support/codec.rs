//! The two stream compressions NSQ negotiates in IDENTIFY, implemented from the
//! format specifications (RFC 1951 for raw deflate, the snappy framing format):
//!
//! * client -> server: deflate as "stored" blocks, snappy as uncompressed-data
//!   chunks. Both are valid streams that any decoder must accept; what the
//!   tests check is the server side, so the client need not really compress.
//! * server -> client: a full inflater (stored, fixed and dynamic Huffman
//!   blocks) and a full snappy frame + block decoder with CRC-32C checks,
//!   because the server may use any block type.

/// Why decoding stopped.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// The input ends inside a block: wait for more bytes.
    NeedMore,
    /// The bytes are not a valid stream.
    Corrupt(String),
}

// ---------------------------------------------------------------- deflate out

/// Wraps `data` as raw-deflate stored blocks followed by an empty stored block
/// (what a sync flush emits), so the server can decode it at once.
pub fn deflate_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    for chunk in data.chunks(65535) {
        push_stored(&mut out, chunk);
    }
    push_stored(&mut out, &[]);
    out
}

fn push_stored(out: &mut Vec<u8>, chunk: &[u8]) {
    // BFINAL=0, BTYPE=00, then padding to the byte boundary: one zero byte.
    out.push(0);
    let len = chunk.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(chunk);
}

// ----------------------------------------------------------------- inflate in

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    cnt: u32,
}

impl Bits<'_> {
    fn need(&mut self, n: u32) -> Result<u32, Stop> {
        while self.cnt < n {
            let Some(&b) = self.data.get(self.pos) else {
                return Err(Stop::NeedMore);
            };
            self.pos += 1;
            self.buf |= u64::from(b) << self.cnt;
            self.cnt += 8;
        }
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.cnt -= n;
        Ok(v)
    }

    fn align(&mut self) {
        let drop = self.cnt % 8;
        self.buf >>= drop;
        self.cnt -= drop;
    }
}

/// Canonical Huffman code: number of codes per length, symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, Stop> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[l as usize] += 1;
        }
        counts[0] = 0;
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(Stop::Corrupt("over-subscribed Huffman code".into()));
            }
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + counts[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[offs[l as usize] as usize] = sym as u16;
                offs[l as usize] += 1;
            }
        }
        Ok(Huffman { counts, symbols })
    }

    fn decode(&self, bits: &mut Bits) -> Result<u16, Stop> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.need(1)? as i32;
            let count = i32::from(self.counts[len]);
            if code - first < count {
                return Ok(self.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Stop::Corrupt("invalid Huffman code".into()))
    }
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Inflates a raw deflate stream from its start. Returns everything decoded
/// and why it stopped: `NeedMore` is the normal end for a live stream (the
/// server never sends a final block); bytes decoded before the stop are valid.
/// `Ok(())` means a final block was seen.
pub fn inflate(data: &[u8]) -> (Vec<u8>, Result<(), Stop>) {
    let mut out = Vec::new();
    let r = inflate_into(data, &mut out);
    (out, r)
}

fn inflate_into(data: &[u8], out: &mut Vec<u8>) -> Result<(), Stop> {
    let mut bits = Bits {
        data,
        pos: 0,
        buf: 0,
        cnt: 0,
    };
    loop {
        let last = bits.need(1)?;
        match bits.need(2)? {
            0 => {
                bits.align();
                let len = bits.need(16)?;
                let nlen = bits.need(16)?;
                if len != !nlen & 0xffff {
                    return Err(Stop::Corrupt("stored block LEN/NLEN mismatch".into()));
                }
                for _ in 0..len {
                    out.push(bits.need(8)? as u8);
                }
            }
            1 => {
                let mut lengths = [0u8; 288];
                lengths[..144].fill(8);
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                lengths[280..].fill(8);
                let lit = Huffman::new(&lengths)?;
                let dist = Huffman::new(&[5u8; 30])?;
                codes(&mut bits, out, &lit, &dist)?;
            }
            2 => {
                let (lit, dist) = dynamic_tables(&mut bits)?;
                codes(&mut bits, out, &lit, &dist)?;
            }
            _ => return Err(Stop::Corrupt("reserved block type 3".into())),
        }
        if last == 1 {
            return Ok(());
        }
    }
}

fn dynamic_tables(bits: &mut Bits) -> Result<(Huffman, Huffman), Stop> {
    const ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
    let nlen = bits.need(5)? as usize + 257;
    let ndist = bits.need(5)? as usize + 1;
    let ncode = bits.need(4)? as usize + 4;
    let mut cl = [0u8; 19];
    for &i in ORDER.iter().take(ncode) {
        cl[i] = bits.need(3)? as u8;
    }
    let clh = Huffman::new(&cl)?;
    let mut lengths = vec![0u8; nlen + ndist];
    let mut i = 0;
    while i < nlen + ndist {
        let sym = clh.decode(bits)?;
        if sym < 16 {
            lengths[i] = sym as u8;
            i += 1;
            continue;
        }
        let (val, rep) = match sym {
            16 => {
                if i == 0 {
                    return Err(Stop::Corrupt("repeat with no previous length".into()));
                }
                (lengths[i - 1], 3 + bits.need(2)? as usize)
            }
            17 => (0, 3 + bits.need(3)? as usize),
            _ => (0, 11 + bits.need(7)? as usize),
        };
        if i + rep > nlen + ndist {
            return Err(Stop::Corrupt("too many code lengths".into()));
        }
        lengths[i..i + rep].fill(val);
        i += rep;
    }
    if lengths[256] == 0 {
        return Err(Stop::Corrupt("no end-of-block code".into()));
    }
    Ok((
        Huffman::new(&lengths[..nlen])?,
        Huffman::new(&lengths[nlen..])?,
    ))
}

fn codes(bits: &mut Bits, out: &mut Vec<u8>, lit: &Huffman, dist: &Huffman) -> Result<(), Stop> {
    loop {
        let sym = lit.decode(bits)? as usize;
        if sym < 256 {
            out.push(sym as u8);
            continue;
        }
        if sym == 256 {
            return Ok(());
        }
        let i = sym - 257;
        if i >= 29 {
            return Err(Stop::Corrupt("invalid length symbol".into()));
        }
        let len = LEN_BASE[i] as usize + bits.need(u32::from(LEN_EXTRA[i]))? as usize;
        let d = dist.decode(bits)? as usize;
        if d >= 30 {
            return Err(Stop::Corrupt("invalid distance symbol".into()));
        }
        let back = DIST_BASE[d] as usize + bits.need(u32::from(DIST_EXTRA[d]))? as usize;
        if back > out.len() {
            return Err(Stop::Corrupt("distance too far back".into()));
        }
        let start = out.len() - back;
        for k in 0..len {
            let b = out[start + k];
            out.push(b);
        }
    }
}

// -------------------------------------------------------------------- snappy

/// The snappy framing stream identifier chunk.
pub const SNAPPY_STREAM_ID: [u8; 10] = [0xff, 0x06, 0x00, 0x00, b's', b'N', b'a', b'P', b'p', b'Y'];

/// CRC-32C (Castagnoli), bitwise.
pub fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82f6_3b78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The checksum as stored in snappy frames.
pub fn masked_crc(data: &[u8]) -> u32 {
    let c = crc32c(data);
    c.rotate_right(15).wrapping_add(0xa282_ead8)
}

/// One uncompressed-data chunk per 64 KiB of `data` (the caller sends the
/// stream identifier once, first).
pub fn snappy_chunks(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(65536) {
        let len = chunk.len() + 4;
        out.push(0x01);
        out.extend_from_slice(&(len as u32).to_le_bytes()[..3]);
        out.extend_from_slice(&masked_crc(chunk).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// Incremental decoder of a snappy framed stream.
#[derive(Default)]
pub struct SnappyReader {
    pending: Vec<u8>,
    seen_stream_id: bool,
}

impl SnappyReader {
    /// Adds received bytes; returns the decoded payload of every complete chunk.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<u8>, String> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        loop {
            if self.pending.len() < 4 {
                return Ok(out);
            }
            let kind = self.pending[0];
            let len =
                u32::from_le_bytes([self.pending[1], self.pending[2], self.pending[3], 0]) as usize;
            if self.pending.len() < 4 + len {
                return Ok(out);
            }
            let body: Vec<u8> = self.pending[4..4 + len].to_vec();
            self.pending.drain(..4 + len);
            match kind {
                0xff => {
                    if body != b"sNaPpY" {
                        return Err(format!("bad snappy stream identifier {body:?}"));
                    }
                    self.seen_stream_id = true;
                }
                0x00 | 0x01 => {
                    if !self.seen_stream_id {
                        return Err("snappy data chunk before the stream identifier".into());
                    }
                    if body.len() < 4 {
                        return Err("snappy data chunk shorter than its checksum".into());
                    }
                    let crc = u32::from_le_bytes([body[0], body[1], body[2], body[3]]);
                    let data = if kind == 0x00 {
                        snappy_block_decode(&body[4..])?
                    } else {
                        body[4..].to_vec()
                    };
                    if masked_crc(&data) != crc {
                        return Err(format!(
                            "snappy chunk checksum mismatch: stored {crc:08x}, computed {:08x}",
                            masked_crc(&data)
                        ));
                    }
                    out.extend_from_slice(&data);
                }
                0x02..=0x7f => return Err(format!("reserved unskippable snappy chunk {kind:#x}")),
                _ => {} // skippable chunks and padding
            }
        }
    }
}

/// Decodes one snappy block (varint length, then literals and copies).
pub fn snappy_block_decode(src: &[u8]) -> Result<Vec<u8>, String> {
    let mut pos = 0;
    let mut want: u64 = 0;
    let mut shift = 0;
    loop {
        let b = *src.get(pos).ok_or("truncated snappy length")?;
        pos += 1;
        want |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 35 {
            return Err("snappy length varint too long".into());
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(want as usize);
    let byte = |p: usize| src.get(p).copied().ok_or("truncated snappy block");
    while pos < src.len() {
        let tag = src[pos];
        pos += 1;
        match tag & 3 {
            0 => {
                let mut len = (tag >> 2) as usize;
                if len >= 60 {
                    let n = len - 59;
                    len = 0;
                    for k in 0..n {
                        len |= (byte(pos + k)? as usize) << (8 * k);
                    }
                    pos += n;
                }
                len += 1;
                let lit = src.get(pos..pos + len).ok_or("truncated snappy literal")?;
                out.extend_from_slice(lit);
                pos += len;
            }
            kind => {
                let (len, off) = match kind {
                    1 => {
                        let off = (((tag >> 5) as usize) << 8) | byte(pos)? as usize;
                        pos += 1;
                        (4 + ((tag >> 2) & 7) as usize, off)
                    }
                    2 => {
                        let off = byte(pos)? as usize | (byte(pos + 1)? as usize) << 8;
                        pos += 2;
                        (1 + (tag >> 2) as usize, off)
                    }
                    _ => {
                        let mut off = 0usize;
                        for k in 0..4 {
                            off |= (byte(pos + k)? as usize) << (8 * k);
                        }
                        pos += 4;
                        (1 + (tag >> 2) as usize, off)
                    }
                };
                if off == 0 || off > out.len() {
                    return Err("snappy copy offset out of range".into());
                }
                let start = out.len() - off;
                for k in 0..len {
                    let b = out[start + k];
                    out.push(b);
                }
            }
        }
    }
    if out.len() as u64 != want {
        return Err(format!(
            "snappy block decoded to {} bytes, header said {want}",
            out.len()
        ));
    }
    Ok(out)
}
