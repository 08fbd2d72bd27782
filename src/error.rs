//! Error wording shared by every layer, below all of them (no dependencies on the
//! rest of the crate): how an io::Error reads in our messages.

use std::io;

/// An io::Error as a short lowercase phrase: "connection refused", not
/// "Connection refused (os error 111)".
pub fn describe_io(e: &io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s[..],
    };
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => format!("{:?}", e.kind()),
    }
}
