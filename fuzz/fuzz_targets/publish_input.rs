//! `publish`'s input handling on arbitrary flags and input: the `--message`
//! template parser, the `--delimiter` escape parser, and the splitting of input
//! into records (checked against a plain model of what it should do, with the
//! input arriving in arbitrary pieces).
//!
//! Input: max message size (1 byte), 1 byte choosing how reads are cut, the
//! lengths of the template and of the delimiter (1 byte each), the template, the
//! delimiter, then the input to split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsq_cli::cmd::publish::{
    check_record_sizes, parse_delimiter, split_stream, RecordName, Template,
};
use nsq_cli_fuzz::PieceReader;

/// What splitting should give: (body, record, offset) of each non-empty record and
/// the number of empty ones, or the number of the first record over the limit.
type Expected = Result<(Vec<(Vec<u8>, u64, u64)>, u64), u64>;

fn model(input: &[u8], delim: &[u8], max: usize) -> Expected {
    let mut msgs = Vec::new();
    let mut skipped = 0;
    let (mut start, mut record) = (0, 0);
    loop {
        let end = input[start..]
            .windows(delim.len())
            .position(|w| w == delim)
            .map(|i| start + i);
        if end.is_none() && start == input.len() {
            break;
        }
        let end = end.unwrap_or(input.len());
        record += 1;
        let body = &input[start..end];
        if body.is_empty() {
            skipped += 1;
        } else if body.len() > max {
            return Err(record);
        } else {
            msgs.push((body.to_vec(), record, start as u64));
        }
        start = (end + delim.len()).min(input.len());
        if end == input.len() {
            break;
        }
    }
    Ok((msgs, skipped))
}

/// The record number in "line N is over ...".
fn record_of(error: &str) -> u64 {
    error
        .strip_prefix("line ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected error: {error}"))
}

fuzz_target!(|data: &[u8]| {
    let [max_msg_size, seed, template_len, delimiter_len, ref rest @ ..] = *data else {
        return;
    };
    let (template, rest) = rest.split_at(usize::from(template_len).min(rest.len()));
    let (delimiter, text) = rest.split_at(usize::from(delimiter_len).min(rest.len()));

    let _ = Template::parse(&String::from_utf8_lossy(template));

    let delim = match parse_delimiter(&String::from_utf8_lossy(delimiter)) {
        Ok(d) => {
            assert!(!d.is_empty(), "an empty delimiter was accepted");
            d
        }
        Err(_) => b"\n".to_vec(),
    };
    let max = usize::from(max_msg_size);
    let expected = model(text, &delim, max);

    let reader = || PieceReader::new(text, seed);
    let mut got = Vec::new();
    let mut skipped = 0;
    let mut last_next = None;
    let split = split_stream(reader(), &delim, max, RecordName::Line, |msgs, s, next| {
        skipped += s;
        got.extend(
            msgs.into_iter()
                .map(|m| (m.body.to_vec(), m.record, m.offset)),
        );
        last_next = Some((next.record, next.offset));
        true
    });
    if let (Ok(()), Some(next)) = (&split, last_next) {
        // Once the input is read, it stands after every record and every byte.
        let records = got.len() as u64 + skipped;
        assert_eq!(
            next,
            (records + 1, text.len() as u64),
            "where the input stands"
        );
    }
    match (&expected, split) {
        (Ok(want), Ok(())) => assert_eq!(want, &(got, skipped), "split differs from the model"),
        (Err(rec), Err(e)) => assert_eq!(*rec, record_of(&e), "wrong record blamed: {e}"),
        (want, got) => panic!("split gave {got:?}, the model {want:?}"),
    }

    let checked = check_record_sizes(reader(), &delim, max, RecordName::Line);
    match (&expected, checked) {
        (Ok(_), Ok(())) => {}
        (Err(rec), Err(e)) => assert_eq!(*rec, record_of(&e), "wrong record blamed: {e}"),
        (want, got) => panic!("size check gave {got:?}, the model {want:?}"),
    }
});
