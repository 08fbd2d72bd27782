//! The broker's side of the TCP protocol on arbitrary client bytes: one connection
//! (after the `  V2` magic) runs over an in-memory pipe against a fresh broker until
//! the client hangs up. It must not panic, must close on its own, and must write
//! well-formed frames (until compression is negotiated, after which the bytes are
//! compressed and no longer checked).
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use nsq_cli::broker::lookupd_http::Lookupd;
use nsq_cli::broker::store::Store;
use nsq_cli::broker::{tcp::serve_connection, Nsqd, Options};
use nsq_cli::protocol::frame::Frame;
use nsq_cli::protocol::identify::NegotiatedFeatures;
use nsq_cli::protocol::{FrameDecoder, MAGIC_V2};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, commands)) = data.split_first() else {
        return;
    };
    let mut opts = Options::default();
    if knobs & 1 != 0 {
        // Tiny limits, so the size checks are reached with small inputs.
        opts.max_msg_size = 16;
        opts.max_body_size = 64;
        opts.max_rdy_count = 3;
    }
    opts.tls_required = knobs & 2 != 0;
    // The pipe's capacity decides where the broker's reads stop: 1 to 64 bytes,
    // or plenty.
    let pipe = match knobs >> 2 {
        0 => 64 * 1024,
        n => usize::from(n),
    };

    // Paused time: timers fire as soon as every task waits, so a connection that
    // hangs hits the deadline below at once instead of stalling the fuzzer.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("tokio runtime");
    let output = rt.block_on(async {
        let store = Arc::new(Store::temporary(opts.mem_queue_size));
        let nsqd = Nsqd::new(opts, Arc::new(Lookupd::default()), 0, store);
        let (client, server) = tokio::io::duplex(pipe);
        let conn = tokio::spawn(serve_connection(nsqd, Box::new(server), None));
        let (mut rd, mut wr) = tokio::io::split(client);
        let send = async move {
            // The broker may hang up before reading everything: not an error.
            let _ = wr.write_all(MAGIC_V2).await;
            let _ = wr.write_all(commands).await;
            let _ = wr.shutdown().await;
        };
        let receive = async move {
            let mut out = Vec::new();
            let _ = rd.read_to_end(&mut out).await;
            out
        };
        let run = async {
            let (_, out) = tokio::join!(send, receive);
            conn.await.expect("connection task panicked");
            out
        };
        tokio::time::timeout(Duration::from_secs(600), run)
            .await
            .expect("the connection was still open 10 minutes after the client hung up")
    });

    let dec = FrameDecoder::default();
    let mut buf = BytesMut::from(&output[..]);
    loop {
        match dec.decode(&mut buf) {
            Ok(Some(Frame::Response(body))) => {
                // Past the IDENTIFY answer that turns compression on, frames are compressed.
                if let Ok(f) = serde_json::from_slice::<NegotiatedFeatures>(&body) {
                    if f.deflate || f.snappy {
                        break;
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => {
                assert!(buf.is_empty(), "the broker wrote a truncated frame");
                break;
            }
            Err(e) => panic!("the broker wrote a malformed frame: {e}"),
        }
    }
});
