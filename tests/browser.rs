//! End to end: `trailmark serve`, a page open in headless Chromium, a milestone ticked in
//! the journal, and the page showing the new progress without anyone reloading it.
//!
//! The test drives Chromium through the DevTools protocol. Without a Chromium on the
//! machine it is skipped with a message, unless `TRAILMARK_REQUIRE_BROWSER=1` (as CI
//! sets) makes that a failure.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{DEADLINE, eventually, journal};
use serde_json::{Value, json};

const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|folder| BROWSERS.iter().map(move |name| folder.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Headless Chromium, deleted with its profile when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// The browser's own DevTools endpoint, to close it with all its processes.
    browser_socket: String,
}

impl Browser {
    fn open(program: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-crash-reporter",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the browser starts");
        // Chromium writes the port it picked into the profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let (mut port, mut browser_path) = (String::new(), String::new());
        eventually(|| {
            let text = std::fs::read_to_string(&port_file).map_err(|e| e.to_string())?;
            let mut lines = text.lines();
            port = lines.next().unwrap_or_default().to_string();
            browser_path = lines.next().unwrap_or_default().to_string();
            if port.is_empty() || browser_path.is_empty() {
                Err("no port yet".into())
            } else {
                Ok(())
            }
        });
        let mut page_socket = String::new();
        eventually(|| {
            let targets: Value =
                serde_json::from_str(&http_get(&port, "/json/list")?).map_err(|e| e.to_string())?;
            let page = targets
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page" && t["url"].as_str() == Some(url))
                .ok_or("no page yet")?;
            page_socket = page["webSocketDebuggerUrl"]
                .as_str()
                .ok_or("no socket")?
                .to_string();
            Ok(())
        });
        let (socket, _) = tungstenite::connect(page_socket.as_str()).expect("DevTools connects");
        Browser {
            child,
            _profile: profile,
            socket,
            next_id: 1,
            browser_socket: format!("ws://127.0.0.1:{port}{browser_path}"),
        }
    }

    /// Evaluates `expression` in the page and returns its value.
    fn evaluate(&mut self, expression: &str) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let command = json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true},
        });
        self.socket
            .send(tungstenite::Message::text(command.to_string()))
            .unwrap();
        loop {
            let message = self.socket.read().expect("DevTools answers");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let reply: Value = serde_json::from_str(text).unwrap();
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    /// Waits until `expression` evaluates to a string containing `wanted`.
    fn wait_for(&mut self, expression: &str, wanted: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let value = self.evaluate(expression);
            let text = value.as_str().unwrap_or_default().to_string();
            if text.contains(wanted) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {wanted:?}; last: {text:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing through DevTools ends every process the browser started; killing the
        // first one could leave its helpers running.
        if let Ok((mut browser, _)) = tungstenite::connect(self.browser_socket.as_str()) {
            let close = json!({"id": 1, "method": "Browser.close"}).to_string();
            let _ = browser.send(tungstenite::Message::text(close));
            let _ = browser.read();
        }
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET to the DevTools HTTP endpoint; a page may not exist yet, so errors are values.
/// Chromium answers only HTTP/1.1 and keeps the connection open, so the body is read by
/// its length.
fn http_get(port: &str, path: &str) -> Result<String, String> {
    let port: u16 = port.parse().map_err(|_| format!("bad port {port:?}"))?;
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(DEADLINE))
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    write!(
        reader.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().map_err(|_| "bad length".to_string())?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    String::from_utf8(body).map_err(|e| e.to_string())
}

#[test]
fn a_ticked_milestone_shows_on_the_open_page_without_a_reload() {
    let Some(program) = find_browser() else {
        assert!(
            std::env::var_os("TRAILMARK_REQUIRE_BROWSER").is_none(),
            "TRAILMARK_REQUIRE_BROWSER is set but no Chromium was found on the PATH"
        );
        eprintln!("skipped: no Chromium on the PATH (install Debian's `chromium` package)");
        return;
    };
    let dir = journal("example");
    // Held for the test: the server stops when it is dropped.
    let (_server, address) = common::serve(dir.path());

    let url = format!("http://{address}/goals/learn-sql.html");
    let mut browser = Browser::open(&program, &url);
    let progress = "document.querySelector('.progress .numbers')?.textContent ?? ''";
    browser.wait_for(progress, "62% · 5 of 8 milestones");
    browser.wait_for(
        "document.documentElement.dataset.liveReload ?? ''",
        "connected",
    );
    // Something only this page load has: a reload clears it.
    browser.evaluate("window.loadedBeforeTheEdit = 'yes'");

    let goal = dir.path().join("goals/learn-sql.md");
    let text = std::fs::read_to_string(&goal).unwrap();
    let ticked = text.replace(
        "- [ ] Window functions for cohort retention",
        "- [x] Window functions for cohort retention",
    );
    assert_ne!(text, ticked);
    std::fs::write(&goal, ticked).unwrap();

    browser.wait_for(progress, "75% · 6 of 8 milestones");
    assert_eq!(
        browser.evaluate("window.loadedBeforeTheEdit ?? 'reloaded'"),
        json!("reloaded")
    );
}
