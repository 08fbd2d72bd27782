//! nsqd's TCP protocol V2, server side: one task reading commands and one writing
//! frames per connection.

use super::auth::AuthState;
use super::channel::Channel;
use super::client::{
    BoxTransport, Client, Outbound, TlsSwap, WriteSide, STATE_CLOSING, STATE_INIT, STATE_SUBSCRIBED,
};
use super::topic::Topic;
use super::Nsqd;
use crate::protocol::command::split_line;
use crate::protocol::compression::{Compressor, DecompressingReader};
use crate::protocol::frame::{write_frame, write_message_frame, FrameType};
use crate::protocol::names::{is_valid_channel_name, is_valid_topic_name};
use crate::protocol::{go_quote, parse_base10, ClientError, MessageId, HEARTBEAT, MAGIC_V2};
use bytes::{Bytes, BytesMut};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, ReadHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

mod auth;
mod identify;

/// Longest command line we accept (nsqd's read buffer is 16 KiB).
const MAX_LINE: u64 = 16 * 1024;

pub async fn serve(nsqd: Arc<Nsqd>, listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((sock, _)) => {
                tokio::spawn(handle(nsqd.clone(), sock));
            }
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

fn frame(ft: FrameType, data: &[u8]) -> Bytes {
    let mut b = BytesMut::with_capacity(8 + data.len());
    write_frame(&mut b, ft, data);
    b.freeze()
}

async fn handle(nsqd: Arc<Nsqd>, sock: TcpStream) {
    let _ = sock.set_nodelay(true);
    let peer_addr = sock.peer_addr().ok();
    serve_connection(nsqd, Box::new(sock), peer_addr).await;
}

/// Runs one client connection over any byte stream until it closes. Public so the
/// fuzz targets can drive it over an in-memory pipe.
pub async fn serve_connection(
    nsqd: Arc<Nsqd>,
    transport: BoxTransport,
    peer_addr: Option<SocketAddr>,
) {
    let peer = peer_addr.map(|a| a.to_string()).unwrap_or_default();
    let (rd, mut wr) = tokio::io::split(transport);
    let mut reader =
        BufReader::with_capacity(64 * 1024, DecompressingReader::new(ReadSide(Some(rd))));
    let mut magic = [0u8; 4];
    if reader.read_exact(&mut magic).await.is_err() {
        return;
    }
    if &magic != MAGIC_V2 {
        let _ = wr
            .write_all(&frame(FrameType::Error, b"E_BAD_PROTOCOL"))
            .await;
        return;
    }

    let (tx, rx) = mpsc::unbounded_channel();
    let client = Arc::new(Client::new(
        nsqd.next_client_id(),
        peer,
        tx,
        nsqd.opts.msg_timeout,
    ));
    nsqd.add_client(client.clone());
    let (done_tx, mut done_rx) = tokio::sync::oneshot::channel::<()>();
    let writer = tokio::spawn(write_loop(wr, rx, nsqd.opts.heartbeat_interval, done_tx));

    let mut conn = Conn {
        nsqd: nsqd.clone(),
        client: client.clone(),
        sub: None,
        heartbeat: Some(nsqd.opts.heartbeat_interval),
        line: Vec::with_capacity(256),
        tls: false,
        auth: None,
        auth_secret: String::new(),
        remote_ip: peer_addr.map(|a| a.ip().to_string()).unwrap_or_default(),
        common_name: String::new(),
    };
    tokio::select! {
        _ = conn.read_loop(&mut reader) => {}
        _ = &mut done_rx => {}
    }

    if let Some((topic, ch)) = conn.sub.take() {
        nsqd.client_left(&topic, &ch, client.id);
    }
    nsqd.remove_client(client.id);
    client.close();
    let _ = writer.await;
}

async fn write_loop(
    mut wr: WriteSide,
    mut rx: mpsc::UnboundedReceiver<Outbound>,
    heartbeat: Duration,
    _done: tokio::sync::oneshot::Sender<()>,
) {
    let heartbeat_frame = frame(FrameType::Response, HEARTBEAT);
    let mut hb = Some(heartbeat);
    let mut next_hb = tokio::time::Instant::now() + heartbeat;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let mut wire = BytesMut::new();
    let mut compressor: Option<Compressor> = None;
    'outer: loop {
        let first = tokio::select! {
            m = rx.recv() => m,
            _ = tokio::time::sleep_until(next_hb), if hb.is_some() => {
                next_hb += hb.unwrap_or_default();
                Some(Outbound::Frame(heartbeat_frame.clone()))
            }
        };
        let Some(first) = first else { break };
        let mut close = false;
        let mut item = Some(first);
        // Take everything already queued, then write it in one go.
        while let Some(out) = item {
            match out {
                Outbound::Frame(b) => buf.extend_from_slice(&b),
                Outbound::Message(m) => write_message_frame(&mut buf, &m),
                Outbound::Compress(c) => {
                    // What came before (the IDENTIFY response) goes out uncompressed.
                    drain_into(&mut buf, &mut wire, &mut compressor);
                    compressor = Some(Compressor::new(c));
                }
                Outbound::Heartbeat(d) => {
                    hb = d;
                    if let Some(d) = d {
                        next_hb = tokio::time::Instant::now() + d;
                    }
                }
                Outbound::UpgradeTls(TlsSwap { give, take }) => {
                    // The IDENTIFY response must be on the wire, in the clear, first.
                    drain_into(&mut buf, &mut wire, &mut compressor);
                    if wr.write_all(&wire).await.is_err() || wr.flush().await.is_err() {
                        return;
                    }
                    wire.clear();
                    if give.send(wr).is_err() {
                        return;
                    }
                    match take.await {
                        Ok(tls) => wr = tls,
                        Err(_) => return, // handshake failed
                    }
                }
                Outbound::Close => {
                    close = true;
                    break;
                }
            }
            if buf.len() >= 256 * 1024 {
                break;
            }
            item = rx.try_recv().ok();
        }
        drain_into(&mut buf, &mut wire, &mut compressor);
        if !wire.is_empty() {
            if wr.write_all(&wire).await.is_err() || wr.flush().await.is_err() {
                break 'outer;
            }
            wire.clear();
        }
        if close {
            break 'outer;
        }
    }
    let _ = wr.shutdown().await;
}

/// Moves plain bytes to the wire buffer, compressing them if negotiated.
fn drain_into(plain: &mut BytesMut, wire: &mut BytesMut, c: &mut Option<Compressor>) {
    if plain.is_empty() {
        return;
    }
    match c {
        Some(c) => c.compress(plain, wire),
        None => wire.extend_from_slice(plain),
    }
    plain.clear();
}

struct Conn {
    nsqd: Arc<Nsqd>,
    client: Arc<Client>,
    sub: Option<(Arc<Topic>, Arc<Channel>)>,
    /// None when the client disabled heartbeats (heartbeat_interval -1).
    heartbeat: Option<Duration>,
    line: Vec<u8>,
    /// The connection was upgraded to TLS.
    tls: bool,
    /// What the auth server granted (re-queried with `auth_secret` when it expires).
    auth: Option<AuthState>,
    auth_secret: String,
    remote_ip: String,
    /// The TLS client certificate's subject CN, for the auth server.
    common_name: String,
}

/// The socket's read half, taken out for the TLS handshake and put back after.
struct ReadSide(Option<ReadHalf<BoxTransport>>);

impl AsyncRead for ReadSide {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.0.as_mut() {
            Some(r) => std::pin::Pin::new(r).poll_read(cx, buf),
            None => std::task::Poll::Ready(Ok(())),
        }
    }
}

type Reader = BufReader<DecompressingReader<ReadSide>>;

enum Step {
    Continue,
    Stop,
}

impl Conn {
    async fn read_loop(&mut self, r: &mut Reader) {
        loop {
            // nsqd closes a client silently when nothing arrives for two heartbeats.
            let deadline = self.heartbeat.map(|h| h * 2 + Duration::from_millis(100));
            let step = match deadline {
                Some(d) => match tokio::time::timeout(d, self.read_and_exec(r)).await {
                    Ok(s) => s,
                    Err(_) => Step::Stop,
                },
                None => self.read_and_exec(r).await,
            };
            if let Step::Stop = step {
                return;
            }
        }
    }

    async fn read_and_exec(&mut self, r: &mut Reader) -> Step {
        self.line.clear();
        match (&mut *r)
            .take(MAX_LINE)
            .read_until(b'\n', &mut self.line)
            .await
        {
            Ok(0) | Err(_) => return Step::Stop,
            Ok(_) => {}
        }
        if self.line.last() != Some(&b'\n') {
            return Step::Stop; // line too long, or EOF mid-line
        }
        self.line.pop();
        let line = std::mem::take(&mut self.line);
        let params: Vec<Vec<u8>> = split_line(&line).into_iter().map(|p| p.to_vec()).collect();
        self.line = line;
        match self.exec(r, &params).await {
            Ok(Some(resp)) => {
                self.client
                    .send(Outbound::Frame(frame(FrameType::Response, &resp)));
                Step::Continue
            }
            Ok(None) => Step::Continue,
            Err(e) => {
                self.client.send(Outbound::Frame(frame(
                    FrameType::Error,
                    e.to_frame_data().as_bytes(),
                )));
                if e.fatal {
                    Step::Stop
                } else {
                    Step::Continue
                }
            }
        }
    }

    fn state(&self) -> i32 {
        self.client.state.load(Ordering::Relaxed)
    }

    async fn exec(
        &mut self,
        r: &mut Reader,
        p: &[Vec<u8>],
    ) -> Result<Option<Vec<u8>>, ClientError> {
        if p[0] != b"IDENTIFY" && self.nsqd.opts.tls_required && !self.tls {
            return Err(ClientError::invalid(format!(
                "cannot {} in current state (TLS required)",
                String::from_utf8_lossy(&p[0])
            )));
        }
        match p[0].as_slice() {
            b"IDENTIFY" => self.identify(r).await,
            b"FIN" => self.fin(p),
            b"RDY" => self.rdy(p),
            b"REQ" => self.req(p),
            b"PUB" => self.publish(r, p).await,
            b"MPUB" => self.mpub(r, p).await,
            b"DPUB" => self.dpub(r, p).await,
            b"NOP" => Ok(None),
            b"TOUCH" => self.touch(p),
            b"SUB" => self.sub(p).await,
            b"CLS" => self.cls(),
            b"AUTH" => self.auth(r, p).await,
            other => Err(ClientError::invalid(format!(
                "invalid command {}",
                String::from_utf8_lossy(other)
            ))),
        }
    }

    async fn sub(&mut self, p: &[Vec<u8>]) -> Result<Option<Vec<u8>>, ClientError> {
        if self.state() != STATE_INIT {
            return Err(ClientError::invalid("cannot SUB in current state"));
        }
        if self.heartbeat.is_none() {
            return Err(ClientError::invalid("cannot SUB with heartbeats disabled"));
        }
        if p.len() < 3 {
            return Err(ClientError::invalid(
                "SUB insufficient number of parameters",
            ));
        }
        if !is_valid_topic_name(&p[1]) {
            return Err(ClientError::fatal(
                "E_BAD_TOPIC",
                format!("SUB topic name {} is not valid", go_quote(&p[1])),
            ));
        }
        if !is_valid_channel_name(&p[2]) {
            return Err(ClientError::fatal(
                "E_BAD_CHANNEL",
                format!("SUB channel name {} is not valid", go_quote(&p[2])),
            ));
        }
        let topic_name = String::from_utf8_lossy(&p[1]).into_owned();
        let channel_name = String::from_utf8_lossy(&p[2]).into_owned();
        self.check_auth("SUB", &topic_name, &channel_name).await?;
        // A topic or channel can be deleted between lookup and join: retry once, as nsqd.
        for _ in 0..2 {
            let topic = self.nsqd.get_topic(&topic_name);
            let Some(ch) = self.nsqd.get_channel(&topic, &channel_name) else {
                continue;
            };
            if !ch.add_client(self.client.clone()) {
                continue;
            }
            self.client.state.store(STATE_SUBSCRIBED, Ordering::Relaxed);
            self.sub = Some((topic, ch));
            return Ok(Some(b"OK".to_vec()));
        }
        Err(ClientError::fatal(
            "E_SUB_FAILED",
            "SUB failed to deleted topic/channel",
        ))
    }

    fn channel(&self) -> Option<&Arc<Channel>> {
        self.sub.as_ref().map(|(_, c)| c)
    }

    fn rdy(&mut self, p: &[Vec<u8>]) -> Result<Option<Vec<u8>>, ClientError> {
        let state = self.state();
        if state == STATE_CLOSING {
            return Ok(None);
        }
        if state != STATE_SUBSCRIBED {
            return Err(ClientError::invalid("cannot RDY in current state"));
        }
        let count = match p.get(1) {
            None => 1,
            Some(v) => parse_base10(v).ok_or_else(|| {
                ClientError::invalid(format!(
                    "RDY could not parse count {}",
                    String::from_utf8_lossy(v)
                ))
            })?,
        };
        let max = self.nsqd.opts.max_rdy_count;
        if count > max as u64 {
            return Err(ClientError::invalid(format!(
                "RDY count {count} out of range 0-{max}"
            )));
        }
        self.client
            .ready_count
            .store(count as i64, Ordering::Relaxed);
        if let Some(ch) = self.channel() {
            ch.wake();
        }
        Ok(None)
    }

    fn in_flight_op(
        &self,
        name: &str,
        p: &[Vec<u8>],
        min_params: usize,
    ) -> Result<MessageId, ClientError> {
        let state = self.state();
        if state != STATE_SUBSCRIBED && state != STATE_CLOSING {
            return Err(ClientError::invalid(format!(
                "cannot {name} in current state"
            )));
        }
        if p.len() < min_params {
            return Err(ClientError::invalid(format!(
                "{name} insufficient number of params"
            )));
        }
        MessageId::from_slice(&p[1]).ok_or_else(|| ClientError::invalid("invalid message ID"))
    }

    fn fin(&mut self, p: &[Vec<u8>]) -> Result<Option<Vec<u8>>, ClientError> {
        let id = self.in_flight_op("FIN", p, 2)?;
        let ch = self.channel().expect("subscribed");
        ch.finish(&self.client, &id)
            .map_err(|e| ClientError::non_fatal("E_FIN_FAILED", format!("FIN {id} failed {e}")))?;
        Ok(None)
    }

    fn req(&mut self, p: &[Vec<u8>]) -> Result<Option<Vec<u8>>, ClientError> {
        let id = self.in_flight_op("REQ", p, 3)?;
        let ms = parse_base10(&p[2]).ok_or_else(|| {
            ClientError::invalid(format!(
                "REQ could not parse timeout {}",
                String::from_utf8_lossy(&p[2])
            ))
        })?;
        // Out-of-range timeouts are clamped, not refused.
        let delay = Duration::from_millis(ms).min(self.nsqd.opts.max_req_timeout);
        let ch = self.channel().expect("subscribed");
        ch.requeue(&self.client, &id, delay)
            .map_err(|e| ClientError::non_fatal("E_REQ_FAILED", format!("REQ {id} failed {e}")))?;
        Ok(None)
    }

    fn touch(&mut self, p: &[Vec<u8>]) -> Result<Option<Vec<u8>>, ClientError> {
        let id = self.in_flight_op("TOUCH", p, 2)?;
        let ch = self.channel().expect("subscribed");
        ch.touch(&self.client, &id).map_err(|e| {
            ClientError::non_fatal("E_TOUCH_FAILED", format!("TOUCH {id} failed {e}"))
        })?;
        Ok(None)
    }

    fn cls(&mut self) -> Result<Option<Vec<u8>>, ClientError> {
        if self.state() != STATE_SUBSCRIBED {
            return Err(ClientError::invalid("cannot CLS in current state"));
        }
        self.client.ready_count.store(0, Ordering::Relaxed);
        self.client.state.store(STATE_CLOSING, Ordering::Relaxed);
        Ok(Some(b"CLOSE_WAIT".to_vec()))
    }

    fn topic_param(&self, cmd: &str, p: &[Vec<u8>], n: usize) -> Result<String, ClientError> {
        if p.len() < n {
            return Err(ClientError::invalid(format!(
                "{cmd} insufficient number of parameters"
            )));
        }
        if !is_valid_topic_name(&p[1]) {
            // nsqd's MPUB repeats the code inside the text.
            let prefix = if cmd == "MPUB" { "E_BAD_TOPIC " } else { "" };
            return Err(ClientError::fatal(
                "E_BAD_TOPIC",
                format!("{prefix}{cmd} topic name {} is not valid", go_quote(&p[1])),
            ));
        }
        Ok(String::from_utf8_lossy(&p[1]).into_owned())
    }

    async fn read_message_body(&self, r: &mut Reader, cmd: &str) -> Result<Bytes, ClientError> {
        let len = read_len(r)
            .await
            .map_err(|_| bad_message(format!("{cmd} failed to read message body size")))?;
        if len <= 0 {
            return Err(bad_message(format!(
                "{cmd} invalid message body size {len}"
            )));
        }
        let max = self.nsqd.opts.max_msg_size;
        if len as i64 > max {
            return Err(bad_message(format!("{cmd} message too big {len} > {max}")));
        }
        read_body(r, len as usize)
            .await
            .map_err(|_| bad_message(format!("{cmd} failed to read message body")))
    }

    async fn publish(
        &mut self,
        r: &mut Reader,
        p: &[Vec<u8>],
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let topic_name = self.topic_param("PUB", p, 2)?;
        let body = self.read_message_body(r, "PUB").await?;
        self.put_one("PUB", &topic_name, body, Duration::ZERO).await
    }

    /// The end of PUB and DPUB: the auth check, then one message into the topic.
    async fn put_one(
        &mut self,
        cmd: &'static str,
        topic_name: &str,
        body: Bytes,
        delay: Duration,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        self.check_auth(cmd, topic_name, "").await?;
        let topic = self.nsqd.get_topic(topic_name);
        let msg = self.nsqd.new_message(body);
        if let Err(e) = self.nsqd.put(&topic, vec![msg], delay) {
            let code = if cmd == "DPUB" {
                "E_DPUB_FAILED"
            } else {
                "E_PUB_FAILED"
            };
            return Err(ClientError::fatal(code, format!("{cmd} failed {e}")));
        }
        self.client.published(topic_name, 1);
        Ok(Some(b"OK".to_vec()))
    }

    async fn dpub(
        &mut self,
        r: &mut Reader,
        p: &[Vec<u8>],
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let topic_name = self.topic_param("DPUB", p, 3)?;
        let ms = parse_base10(&p[2]).ok_or_else(|| {
            ClientError::invalid(format!(
                "DPUB could not parse timeout {}",
                String::from_utf8_lossy(&p[2])
            ))
        })?;
        let max = self.nsqd.opts.max_req_timeout.as_millis() as u64;
        if ms > max {
            return Err(ClientError::invalid(format!(
                "DPUB timeout {ms} out of range 0-{max}"
            )));
        }
        let body = self.read_message_body(r, "DPUB").await?;
        self.put_one("DPUB", &topic_name, body, Duration::from_millis(ms))
            .await
    }

    async fn mpub(
        &mut self,
        r: &mut Reader,
        p: &[Vec<u8>],
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let topic_name = self.topic_param("MPUB", p, 2)?;
        self.check_auth("MPUB", &topic_name, "").await?;
        // nsqd creates the topic before reading the body, so even a refused MPUB creates it.
        let topic = self.nsqd.get_topic(&topic_name);
        let opts = &self.nsqd.opts;
        let len = read_len(r)
            .await
            .map_err(|_| bad_body("MPUB failed to read body size"))?;
        if len <= 0 {
            return Err(bad_body(format!("MPUB invalid body size {len}")));
        }
        if len as i64 > opts.max_body_size {
            return Err(bad_body(format!(
                "MPUB body too big {len} > {}",
                opts.max_body_size
            )));
        }
        let count = read_len(r)
            .await
            .map_err(|_| bad_body("MPUB failed to read message count"))?;
        let max_messages = (opts.max_body_size - 4) / 5;
        if count <= 0 || count as i64 > max_messages {
            return Err(bad_body(format!("MPUB invalid message count {count}")));
        }
        let mut msgs = Vec::with_capacity(count as usize);
        // One allocation for all the bodies (each a slice of it) rather than one each.
        let mut arena = BytesMut::with_capacity(len as usize);
        for i in 0..count {
            let size = read_len(r)
                .await
                .map_err(|_| bad_message(format!("MPUB failed to read message({i}) body size")))?;
            if size <= 0 {
                return Err(bad_message(format!(
                    "MPUB invalid message({i}) body size {size}"
                )));
            }
            if size as i64 > opts.max_msg_size {
                return Err(bad_message(format!(
                    "MPUB message too big {size} > {}",
                    opts.max_msg_size
                )));
            }
            arena.resize(size as usize, 0);
            r.read_exact(&mut arena)
                .await
                .map_err(|_| bad_message("MPUB failed to read message body"))?;
            msgs.push(self.nsqd.new_message(arena.split().freeze()));
        }
        let n = msgs.len() as u64;
        if let Err(e) = self.nsqd.put(&topic, msgs, Duration::ZERO) {
            return Err(ClientError::fatal(
                "E_MPUB_FAILED",
                format!("MPUB failed {e}"),
            ));
        }
        self.client.published(&topic_name, n);
        Ok(Some(b"OK".to_vec()))
    }
}

/// nsqd's /stats names for TLS versions.
fn go_tls_version(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_2 => "TLS1.2".into(),
        rustls::ProtocolVersion::TLSv1_3 => "TLS1.3".into(),
        other => format!("Unknown {}", u16::from(other)),
    }
}

/// nsqd's /stats names for cipher suites: Go's list has only TLS 1.2 suites, so
/// TLS 1.3 ones show as "Unknown N" there too.
fn go_cipher_suite(id: u16) -> String {
    match id {
        0xc02b => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256".into(),
        0xc02f => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
        other => format!("Unknown {other}"),
    }
}

fn bad_body(desc: impl Into<String>) -> ClientError {
    ClientError::fatal("E_BAD_BODY", desc)
}

fn bad_message(desc: impl Into<String>) -> ClientError {
    ClientError::fatal("E_BAD_MESSAGE", desc)
}

async fn read_len(r: &mut Reader) -> std::io::Result<i32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).await?;
    Ok(i32::from_be_bytes(b))
}

/// Reads a command's `[size][body]`, refused (E_BAD_BODY, naming `cmd`) when the
/// size is not from 1 to `max`.
async fn read_sized_body(r: &mut Reader, cmd: &str, max: i64) -> Result<Bytes, ClientError> {
    let len = read_len(r)
        .await
        .map_err(|_| bad_body(format!("{cmd} failed to read body size")))?;
    if len as i64 > max {
        return Err(bad_body(format!("{cmd} body too big {len} > {max}")));
    }
    if len <= 0 {
        return Err(bad_body(format!("{cmd} invalid body size {len}")));
    }
    read_body(r, len as usize)
        .await
        .map_err(|_| bad_body(format!("{cmd} failed to read body")))
}

async fn read_body(r: &mut Reader, len: usize) -> std::io::Result<Bytes> {
    let mut v = vec![0u8; len];
    r.read_exact(&mut v).await?;
    Ok(Bytes::from(v))
}
