//! The small HTTP/1.1 server under `serve`, on std's `TcpListener`: one request a
//! connection, `GET` and `HEAD` only, from local pages only (the Host check), and bounds
//! on connections, event streams, request size and time, so that no client can exhaust
//! it. What a request gets is [`super::reply`]'s to say.
//!
//! Its own server because `GET` and `HEAD` of files and one event stream need no crate,
//! and tiny_http, used before, started a thread per connection without limit and
//! panicked when it could not.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Error;

/// How long an idle event stream waits before a comment line, which also finds out
/// whether the page is still there.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Connections with a thread of their own: those still sending their request and those
/// being answered. When all are taken, the one that has waited longest for its request
/// is closed to make room, so idle connections can never lock pages out.
const MAX_CONNECTIONS: usize = 32;

/// How long a new connection may wait for a thread when all are busy answering, before
/// it is told that the server is busy.
const WAIT_FOR_A_THREAD: Duration = Duration::from_secs(1);

/// Open event streams (one per open page). They need no thread: one thread writes to
/// all of them.
const MAX_EVENT_STREAMS: usize = 64;

/// How long a connection may take to send its whole request head.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one write of an answer may wait for a client that does not read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest request head read; browsers send well under 8 KiB.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// How long accepting connections may fail without a break before the server gives up.
const ACCEPT_FAILING_FOR: Duration = Duration::from_secs(30);

/// The open event streams.
#[derive(Default)]
pub(super) struct Live {
    state: Mutex<Streams>,
}

#[derive(Default)]
struct Streams {
    /// Non-blocking, past their response head: a write that would block means a page
    /// that stopped reading, which is dropped.
    open: Vec<TcpStream>,
}

/// The connections that have a thread, for the accept loop to bound.
#[derive(Default)]
struct Connections {
    /// Connection threads running (or about to).
    active: usize,
    /// Connections still sending their request head, oldest first, each with its number
    /// and a handle to close it by.
    waiting: VecDeque<(u64, TcpStream)>,
    next_number: u64,
}

/// What every connection thread shares.
struct Shared {
    /// The folder served.
    root: PathBuf,
    address: SocketAddr,
    live: Arc<Live>,
    connections: Mutex<Connections>,
    /// Signalled when a connection thread ends.
    freed: Condvar,
}

/// Serves `root` on `listener` (listening at `address`), and returns its event streams.
/// If the server cannot go on (accepting has failed for a long time), `on_failure` is
/// called once with the reason.
pub(super) fn serve(
    listener: TcpListener,
    address: SocketAddr,
    root: &Path,
    on_failure: impl FnOnce(Error) + Send + 'static,
) -> Result<Arc<Live>, Error> {
    let live = Arc::new(Live::default());
    let shared = Arc::new(Shared {
        root: root.to_path_buf(),
        address,
        live: Arc::clone(&live),
        connections: Mutex::new(Connections::default()),
        freed: Condvar::new(),
    });
    let broadcaster = Arc::clone(&live);
    spawn("trailmark-events", move || broadcaster.run())?;
    spawn("trailmark-accept", move || {
        if let Err(error) = accept(&listener, &shared) {
            on_failure(error);
        }
    })?;
    Ok(live)
}

fn spawn(name: &str, run: impl FnOnce() + Send + 'static) -> Result<(), Error> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(run)
        .map(drop)
        .map_err(|error| Error::Serve(format!("cannot start a thread: {error}")))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update under these locks is a push, a removal or a count, and none can
    // panic halfway, so what a panicking thread left behind is whole.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Accepts connections until accepting has failed without a break for
/// [`ACCEPT_FAILING_FOR`]. Failures like running out of file handles pass when
/// connections close, so they are waited out first.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) -> Result<(), Error> {
    let mut failing_since: Option<Instant> = None;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                failing_since = None;
                admit(stream, shared);
            }
            Err(error) if matches!(error.kind(), ErrorKind::Interrupted) => {}
            Err(error) => {
                let since = *failing_since.get_or_insert_with(Instant::now);
                if since.elapsed() > ACCEPT_FAILING_FOR {
                    return Err(Error::Serve(format!(
                        "cannot accept connections on {} any more: {error}",
                        shared.address
                    )));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Gives `stream` a thread, closing the connections that have waited longest for their
/// request while all are taken; answers 503 when every thread stays busy answering.
fn admit(stream: TcpStream, shared: &Arc<Shared>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Ok(handle) = stream.try_clone() else {
        return;
    };
    let deadline = Instant::now() + WAIT_FOR_A_THREAD;
    let mut connections = lock(&shared.connections);
    while connections.active >= MAX_CONNECTIONS {
        if let Some((_, idle)) = connections.waiting.pop_front() {
            // Its thread sees the connection end and frees its place.
            let _ = idle.shutdown(Shutdown::Both);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            drop(connections);
            return refuse_busy(stream);
        }
        connections = shared
            .freed
            .wait_timeout(connections, left)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0;
    }
    let number = connections.next_number;
    connections.next_number += 1;
    connections.active += 1;
    connections.waiting.push_back((number, handle));
    drop(connections);
    let slot = Slot {
        number,
        shared: Arc::clone(shared),
    };
    if let Err(error) = std::thread::Builder::new()
        .name("trailmark-connection".to_string())
        .spawn(move || connection(stream, slot))
    {
        // The closure, with the stream and the slot, is dropped: the slot frees itself.
        let _ = error;
    }
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = respond(
        &mut stream,
        &Answer::text(503, "the server is busy; try again\n"),
        false,
    );
}

/// A connection's place among the [`Connections`]; freed when dropped, also when the
/// thread never started or ended early.
struct Slot {
    number: u64,
    shared: Arc<Shared>,
}

impl Slot {
    /// Marks the request as arrived, so that the connection is no longer closed to make
    /// room; `false` when it was closed for that already.
    fn claim(&self) -> bool {
        self.leave_waiting(&mut lock(&self.shared.connections))
    }

    fn leave_waiting(&self, connections: &mut Connections) -> bool {
        let at = connections
            .waiting
            .iter()
            .position(|(number, _)| *number == self.number);
        at.and_then(|at| connections.waiting.remove(at)).is_some()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut connections = lock(&self.shared.connections);
        self.leave_waiting(&mut connections);
        connections.active -= 1;
        drop(connections);
        self.shared.freed.notify_one();
    }
}

/// Reads one request from `stream` and answers it; the connection closes after it.
fn connection(mut stream: TcpStream, slot: Slot) {
    let head = read_request_head(&mut stream);
    if !slot.claim() {
        return;
    }
    let shared = Arc::clone(&slot.shared);
    let request = match head {
        Ok(Some(head)) => Request::parse(&head),
        // Closed or too slow: nobody to answer.
        Ok(None) => return,
        Err(answer) => Err(answer),
    };
    let request = match request {
        Ok(request) => request,
        Err(answer) => {
            let _ = respond(&mut stream, &answer, false);
            return;
        }
    };
    let head_only = request.method == "HEAD";
    let local = stream.local_addr().ok().map(|address| address.ip());
    let answer = if !matches!(request.method.as_str(), "GET" | "HEAD") {
        Answer::text(405, "only GET and HEAD are served\n").with("Allow", "GET, HEAD")
    } else if !host_allowed(request.host.as_deref(), shared.address, local) {
        Answer::text(403, FOREIGN_HOST)
    } else {
        match super::reply(&shared.root, &request.path, head_only) {
            Reply::Answer(answer) => answer,
            Reply::Events => {
                drop(slot);
                return shared.live.attach(stream);
            }
        }
    };
    let _ = respond(&mut stream, &answer, head_only);
}

const FOREIGN_HOST: &str = "trailmark serve answers only requests for localhost, 127.0.0.1 \
or [::1] (or the address it listens on) with its port: a page of another site must not read \
the reports.\n";

/// The request head, up to the blank line; `Ok(None)` when the client closed the
/// connection or took longer than [`REQUEST_TIMEOUT`].
fn read_request_head(stream: &mut TcpStream) -> Result<Option<Vec<u8>>, Answer> {
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let read = match stream.read(&mut buffer) {
            Ok(0) => return Ok(None),
            Ok(read) => read,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Ok(None),
        };
        // Only the new bytes and the three before them can complete the blank line.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buffer[..read]);
        if let Some(end) = find_blank_line(&head[from..]) {
            head.truncate(from + end);
            return Ok(Some(head));
        }
        if head.len() > MAX_REQUEST_HEAD {
            return Err(Answer::text(431, "the request head is too long\n"));
        }
    }
}

fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    crlf.into_iter().chain(lf).min()
}

/// What the server reads of a request.
#[derive(Debug, PartialEq)]
struct Request {
    method: String,
    /// The target's path, without query or fragment, still percent-encoded.
    path: String,
    host: Option<String>,
}

impl Request {
    fn parse(head: &[u8]) -> Result<Request, Answer> {
        let bad = || Answer::text(400, "bad request\n");
        let head = std::str::from_utf8(head).map_err(|_| bad())?;
        let mut lines = head.lines();
        let mut parts = lines.next().ok_or_else(bad)?.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
            return Err(bad());
        }
        let mut host = None;
        for line in lines {
            let (name, value) = line.split_once(':').ok_or_else(bad)?;
            // RFC 9112 refuses whitespace before the colon (`Host : evil`) and folded
            // lines: read as another field here, a proxy in front could take either for
            // the Host.
            if !is_token(name) {
                return Err(bad());
            }
            if name.eq_ignore_ascii_case("host") {
                // Two Host headers could be read differently by a proxy in front.
                if host.is_some() {
                    return Err(bad());
                }
                host = Some(value.trim().to_string());
            }
        }
        let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
        Ok(Request {
            method: method.to_string(),
            path,
            host,
        })
    }
}

/// Whether `name` is a field name of HTTP: a token (RFC 9110, 5.6.2).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// Whether `host` names this server the way only a local client would: `localhost`,
/// `127.0.0.1`, `[::1]`, the address listened on or the one the connection came in on,
/// with the port (which a browser leaves out only for port 80).
///
/// A page on another site can make the browser connect here (DNS rebinding: its name
/// is made to resolve to 127.0.0.1), but its requests still carry that site's name.
/// Vite, webpack-dev-server and Jupyter check the same way. With `--bind`, a LAN address
/// works by IP, not by the machine's name.
fn host_allowed(host: Option<&str>, server: SocketAddr, local: Option<IpAddr>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let (name, port) = match host.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((name, rest)) => (name, rest),
            None => return false,
        },
        None => match host.rfind(':') {
            Some(at) => (&host[..at], &host[at..]),
            None => (host, ""),
        },
    };
    let port_matches = match port.strip_prefix(':') {
        // Digits only: a number parsed as Rust does may also start with `+`.
        Some(port) => {
            port.bytes().all(|byte| byte.is_ascii_digit())
                && port.parse::<u16>() == Ok(server.port())
        }
        None => port.is_empty() && server.port() == 80,
    };
    if !port_matches {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    // An IPv6 address must come in brackets, an IPv4 one without.
    if ip.is_ipv6() != host.starts_with('[') {
        return false;
    }
    ip == IpAddr::from([127, 0, 0, 1])
        || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
        || ip == server.ip()
        || Some(ip) == local
}

/// What a request gets.
pub(super) enum Reply {
    /// An answer, after which the connection closes.
    Answer(Answer),
    /// The event stream: the connection stays open, and needs no thread.
    Events,
}

/// An answer to send: status, extra headers and body.
#[derive(Debug)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    pub(super) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    pub(super) fn text(status: u16, body: &str) -> Answer {
        Answer::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    pub(super) fn with(mut self, name: &'static str, value: &str) -> Answer {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Sends `answer` (without its body for `HEAD`); every answer closes the connection.
fn respond(stream: &mut TcpStream, answer: &Answer, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        reason(answer.status),
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&answer.body)?;
    }
    stream.flush()?;
    // Closing after the whole answer is sent, so that the client reads it to the end.
    stream.shutdown(Shutdown::Write)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

impl Live {
    /// Opens an event stream on `stream`, unless [`MAX_EVENT_STREAMS`] are open.
    fn attach(&self, mut stream: TcpStream) {
        if !self.has_room() {
            let _ = respond(
                &mut stream,
                &Answer::text(503, "too many open pages\n"),
                false,
            );
            return;
        }
        // Written without the lock, which builds need to publish their changes.
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                    Connection: keep-alive\r\n\r\nretry: 500\n\n";
        let sent = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.flush())
            .and_then(|()| stream.set_nonblocking(true));
        let mut state = lock(&self.state);
        // Another stream may have taken the last place meanwhile; this one then ends,
        // and the page connects again.
        if sent.is_ok() && state.open.len() < MAX_EVENT_STREAMS {
            state.open.push(stream);
        }
    }

    /// Whether another stream may open; pages closed since the last message still count
    /// until found out, which is done here when the streams are at their cap.
    fn has_room(&self) -> bool {
        let mut state = lock(&self.state);
        if state.open.len() >= MAX_EVENT_STREAMS {
            state.open.retain(is_open);
        }
        state.open.len() < MAX_EVENT_STREAMS
    }

    /// Sends a comment line every [`KEEP_ALIVE`], which also finds out which pages left.
    fn run(&self) {
        loop {
            std::thread::sleep(KEEP_ALIVE);
            self.send(": keep-alive\n\n");
        }
    }

    /// Writes `message` to every open stream and drops the streams that cannot take it.
    /// Writes never block (the streams are non-blocking), so the lock is held only as
    /// long as copying the message into each stream's buffer takes.
    pub(super) fn send(&self, message: &str) {
        lock(&self.state)
            .open
            .retain_mut(|stream| stream.write_all(message.as_bytes()).is_ok());
    }
}

/// Whether the page at the other end of an event stream is still there: it sends
/// nothing after its request, so anything readable means it closed (or misbehaves).
fn is_open(stream: &TcpStream) -> bool {
    matches!(stream.peek(&mut [0]), Err(error) if error.kind() == ErrorKind::WouldBlock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_hosts_with_the_port_are_allowed() {
        let server: SocketAddr = "127.0.0.1:4747".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        for host in [
            "localhost:4747",
            "LocalHost:4747",
            "127.0.0.1:4747",
            "[::1]:4747",
            "192.168.1.20:4747",
        ] {
            assert!(host_allowed(Some(host), server, Some(lan)), "{host}");
        }
        for host in [
            "evil.example:4747",
            "localhost.evil.example:4747",
            "127.0.0.1.nip.io:4747",
            "localhost:4748",
            "localhost",
            "localhost:",
            "localhost:04747x",
            "localhost:+4747",
            "localhost: 4747",
            "::1:4747",
            "[127.0.0.1]:4747",
            "[::1",
            "192.168.1.21:4747",
            "",
        ] {
            assert!(!host_allowed(Some(host), server, Some(lan)), "{host}");
        }
        assert!(!host_allowed(None, server, Some(lan)));
        // Port 80 is left out of the Host by browsers.
        let on_80: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(host_allowed(Some("localhost"), on_80, None));
    }

    #[test]
    fn request_heads_are_read_strictly() {
        let request =
            Request::parse(b"GET /a%20b.html?x=1 HTTP/1.1\r\nhOsT: localhost:1\r\n").unwrap();
        assert_eq!(
            request,
            Request {
                method: "GET".to_string(),
                path: "/a%20b.html".to_string(),
                host: Some("localhost:1".to_string()),
            }
        );
        for bad in [
            &b"GET /\r\n"[..],
            b"GET / HTTP/1.1 extra\r\n",
            b"GET http://evil.example/ HTTP/1.1\r\n",
            b"GET / SPDY/3\r\n",
            b"GET / HTTP/1.1\r\nHost: a:1\r\nHost: b:1\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n",
            // RFC 9112: whitespace between a field name and its colon is refused, not
            // read as another field, which a proxy in front could take for the Host.
            b"GET / HTTP/1.1\r\nHost : evil.example:1\r\n",
            b"GET / HTTP/1.1\r\nHost\t: evil.example:1\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost:1\r\n folded: line\r\n",
            b"GET / HTTP/1.1\r\n: no name\r\n",
            b"GET /\xff HTTP/1.1\r\n",
        ] {
            let answer = Request::parse(bad).unwrap_err();
            assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn a_request_head_ends_at_the_first_blank_line() {
        assert_eq!(find_blank_line(b"GET / HTTP/1.1\r\n\r\nrest"), Some(14));
        assert_eq!(find_blank_line(b"GET / HTTP/1.1\n\nrest"), Some(14));
        assert_eq!(find_blank_line(b"GET / HTTP/1.1\r\n"), None);
    }
}
