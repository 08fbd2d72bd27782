//! A raw HTTP/1.1 client over `std::net`, so that header names are seen exactly
//! as sent on the wire (spelling and all) and nothing is added or hidden.
//! Requests are made the way the capture client (Python's http.client) made
//! them: `Host`, `Accept-Encoding: identity`, `Connection: close`, and a
//! `Content-Length` for every POST/PUT (0 when there is no body).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[derive(Debug)]
pub struct Response {
    pub status_line: String,
    pub status: u16,
    /// (name, value) in wire order, names as spelled on the wire.
    pub headers: Vec<(String, String)>,
    pub chunked: bool,
    /// The body, de-chunked when the response was chunked.
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(
    addr: &str,
    method: &str,
    target: &str,
    body: Option<&[u8]>,
) -> Result<Response, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .map_err(|e| e.to_string())?;
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: identity\r\nConnection: close\r\n"
    )
    .into_bytes();
    let body = match body {
        Some(b) => Some(b),
        None if method == "POST" || method == "PUT" => Some(&[][..]),
        None => None,
    };
    if let Some(b) = body {
        req.extend_from_slice(format!("Content-Length: {}\r\n", b.len()).as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    if let Some(b) = body {
        req.extend_from_slice(b);
    }
    stream
        .write_all(&req)
        .map_err(|e| format!("write request: {e}"))?;
    let mut raw = Vec::new();
    // The server closes after the response (Connection: close); a reset after
    // a complete response is tolerated.
    if let Err(e) = stream.read_to_end(&mut raw) {
        if raw.is_empty() {
            return Err(format!("read response: {e}"));
        }
    }
    parse_response(&raw)
}

/// GET helper returning the body of a 200 response.
pub fn get_ok(addr: &str, target: &str) -> Result<Vec<u8>, String> {
    let r = request(addr, "GET", target, None)?;
    if r.status != 200 {
        return Err(format!(
            "GET {target}: status {} body {}",
            r.status,
            super::show(&r.body, 200)
        ));
    }
    Ok(r.body)
}

/// POST helper that requires a 200.
pub fn post_ok(addr: &str, target: &str) -> Result<(), String> {
    let r = request(addr, "POST", target, None)?;
    if r.status != 200 {
        return Err(format!(
            "POST {target}: status {} body {}",
            r.status,
            super::show(&r.body, 200)
        ));
    }
    Ok(())
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {}", super::show(raw, 300)))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| "non-UTF-8 response head")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_string();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.push((k.to_string(), v.trim().to_string()));
    }
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)?
    } else if let Some((_, v)) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        let n: usize = v.parse().map_err(|_| format!("bad Content-Length {v:?}"))?;
        if rest.len() < n {
            return Err(format!(
                "body shorter ({}) than Content-Length {n}",
                rest.len()
            ));
        }
        rest[..n].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status_line,
        status,
        headers,
        chunked,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("truncated chunk size line")?;
        let size_text = std::str::from_utf8(&data[..eol]).map_err(|_| "bad chunk size")?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
