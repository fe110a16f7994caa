//! `trailmark serve` over real HTTP: content types, redirects, live-reload injection,
//! refusals of paths that would leave the output folder and of a FIFO in it, the event
//! stream that tells pages to reload (and `HEAD` of it), requests for other hosts, and
//! 300 idle connections and event streams at once (pages still answered, the thread
//! count bounded, no panic).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use crate::common::{self, Background, DEADLINE, Journal};

struct Served {
    dir: Journal,
    process: Background,
    address: String,
    /// Where the server's stderr goes.
    stderr: std::path::PathBuf,
}

fn serve() -> Served {
    let dir = Journal::example().file("secret.txt", "not for the browser");
    let stderr = dir.path().join("stderr.txt");
    let file = std::fs::File::create(&stderr).unwrap();
    let (process, address) = common::serve_with_stderr(dir.path(), file.into());
    Served {
        dir,
        process,
        address,
        stderr,
    }
}

/// A raw HTTP/1.0 exchange, so that paths are sent exactly as written, for the address
/// the server was reached at (as a browser sends it).
fn request(served: &Served, method: &str, path: &str) -> (u16, String, String) {
    request_for_host(served, method, path, &served.address)
}

/// A raw HTTP/1.0 exchange with `host` as the Host header.
fn request_for_host(
    served: &Served,
    method: &str,
    path: &str,
    host: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&served.address).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).to_string();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// A connection that asked for the event stream with `method`, as an open page does.
fn event_stream(served: &Served, method: &str) -> TcpStream {
    let mut stream = TcpStream::connect(&served.address).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "{method} /__trailmark/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        served.address
    )
    .unwrap();
    stream
}

#[test]
fn serves_reports_with_their_content_types() {
    let served = serve();
    let (status, head, body) = request(&served, "GET", "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("<h1>"));
    for (path, kind) in [
        ("/goals/learn-sql.md", "text/markdown; charset=utf-8"),
        ("/trailmark.json", "application/json"),
        ("/reviews/index.html", "text/html; charset=utf-8"),
        ("/reviews/", "text/html; charset=utf-8"),
    ] {
        let (status, head, _) = request(&served, "GET", path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
    }
    let (status, head, _) = request(&served, "GET", "/reviews");
    assert_eq!(status, 301);
    assert!(
        head.lines().any(|line| line == "location: reviews/"),
        "{head}"
    );
    // Not `//reviews/`, which a browser reads as the host `reviews`.
    let (status, head, _) = request(&served, "GET", "//reviews");
    assert_eq!(status, 301);
    assert!(
        head.lines().any(|line| line == "location: reviews/"),
        "{head}"
    );
    let (status, _, body) = request(&served, "HEAD", "/index.html");
    assert_eq!((status, body.as_str()), (200, ""));
    assert_eq!(request(&served, "POST", "/index.html").0, 405);
    assert_eq!(request(&served, "GET", "/goals/nothing.html").0, 404);
}

#[test]
fn the_live_reload_script_is_served_but_never_written() {
    let served = serve();
    let (_, _, page) = request(&served, "GET", "/goals/learn-sql.html");
    assert!(page.contains(r#"<script src="/__trailmark/live-reload.js"></script>"#));
    assert!(page.contains("script-src 'self'; connect-src 'self'"));
    let on_disk = served.dir.read("_reports/goals/learn-sql.html");
    assert!(!on_disk.contains("live-reload"));
    assert!(!on_disk.contains("script-src 'self'"));
    let (status, head, script) = request(&served, "GET", "/__trailmark/live-reload.js");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"));
    assert!(script.contains("EventSource"));
    // Markdown reports are text, not pages: nothing is added.
    let (_, _, markdown) = request(&served, "GET", "/goals/learn-sql.md");
    assert!(!markdown.contains("<script"));
}

#[test]
fn paths_can_never_leave_the_output_folder() {
    let served = serve();
    for path in [
        "/../secret.txt",
        "/goals/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/goals%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/.trailmark-manifest",
    ] {
        let (status, _, body) = request(&served, "GET", path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("not for the browser"), "{path}");
    }
}

/// A FIFO in the output folder is not a page: it is refused at once, never waited for
/// (the request would hang, and its thread with it).
#[cfg(unix)]
#[test]
fn a_fifo_in_the_output_folder_is_not_served() {
    let served = serve();
    common::make_fifo(&served.dir.path().join("_reports/pipe.md"));
    let (status, _, _) = request(&served, "GET", "/pipe.md");
    assert_eq!(status, 404);
}

#[test]
fn an_edit_is_announced_to_open_pages() {
    let served = serve();
    let mut reader = BufReader::new(event_stream(&served, "GET"));
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // Headers, then the stream's opening (its retry delay).
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("retry:") {
            break;
        }
    }
    let text = served.dir.read("goals/learn-sql.md");
    served.dir.write(
        "goals/learn-sql.md",
        text.replace("- [ ] Window functions", "- [x] Window functions"),
    );
    let deadline = std::time::Instant::now() + DEADLINE;
    let data = loop {
        assert!(std::time::Instant::now() < deadline, "no event in time");
        line.clear();
        reader.read_line(&mut line).unwrap();
        if let Some(data) = line.strip_prefix("data: ") {
            break data.to_string();
        }
    };
    let changed: Vec<String> = serde_json::from_str(&data).unwrap();
    assert!(
        changed.contains(&"/goals/learn-sql.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.contains(&"/index.html".to_string()), "{changed:?}");
    assert!(
        !changed.iter().any(|p| p.contains("mentor-checkins")),
        "{changed:?}"
    );
}

/// The port the server listens on.
fn port(served: &Served) -> &str {
    served.address.rsplit(':').next().unwrap()
}

#[test]
fn requests_for_another_host_are_refused() {
    // A page of another site that made its name resolve to 127.0.0.1 (DNS rebinding)
    // reaches the server, but its requests carry its own name.
    let served = serve();
    let port = port(&served);
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "evil.example".to_string(),
        // The right name on another port is another origin.
        "localhost:1".to_string(),
        "[::1]".to_string(),
        String::new(),
    ] {
        let (status, _, body) = request_for_host(&served, "GET", "/trailmark.json", &host);
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("learn-sql"), "{host}: {body}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _, body) = request_for_host(&served, "GET", "/trailmark.json", &host);
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("learn-sql"), "{host}");
    }
}

#[test]
fn a_head_of_the_event_stream_ends_at_once_without_a_body() {
    let served = serve();
    let mut stream = event_stream(&served, "HEAD");
    // Read to the end, which must come before the deadline: a stream held open sends a
    // comment line now and then and never ends.
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut response = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "still open: {}",
            String::from_utf8_lossy(&response)
        );
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => response.extend_from_slice(&buffer[..read]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(error) => panic!("{error}"),
        }
    }
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, "");
}

#[cfg(target_os = "linux")]
#[test]
fn hundreds_of_idle_connections_and_event_streams_neither_block_pages_nor_pile_up_threads() {
    let mut served = serve();
    assert_eq!(request(&served, "GET", "/").0, 200);
    let threads_before = common::proc_number(&served.process, "status", "Threads:");
    let mut held = Vec::new();
    for number in 0..300 {
        let mut stream = TcpStream::connect(&served.address).unwrap();
        if number % 2 == 0 {
            // An open page's event stream, never read.
            write!(
                stream,
                "GET /__trailmark/events HTTP/1.1\r\nHost: {}\r\n\r\n",
                served.address
            )
            .unwrap();
        }
        // The others connect and send nothing.
        held.push(stream);
    }
    for path in ["/", "/goals/learn-sql.html", "/trailmark.json"] {
        assert_eq!(request(&served, "GET", path).0, 200, "{path}");
    }
    let threads = common::proc_number(&served.process, "status", "Threads:");
    assert!(
        threads < threads_before + 50,
        "{threads} threads, {threads_before} before the connections"
    );
    // A new page still gets live reload once the held connections close.
    drop(held);
    common::eventually(|| {
        let mut stream = TcpStream::connect(&served.address).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        write!(
            stream,
            "GET /__trailmark/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            served.address
        )
        .map_err(|e| e.to_string())?;
        let mut line = String::new();
        BufReader::new(stream)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.starts_with("HTTP/1.1 200").then_some(()).ok_or(line)
    });
    assert!(served.process.is_running());
    let stderr = std::fs::read_to_string(&served.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
