//! End to end in headless Chromium:
//! - `trailmark serve`, a page open, a milestone ticked in the journal, and the page
//!   showing the new progress without anyone reloading it;
//! - every HTML report of a journal full of XSS payloads opened from disk: no script runs
//!   and no request leaves the page, with the reports' Content-Security-Policy and without.
//!
//! The test drives Chromium through the DevTools protocol. Without a Chromium on the
//! machine it is skipped with a message, unless `TRAILMARK_REQUIRE_BROWSER=1` (as CI
//! sets) makes that a failure.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{DEADLINE, eventually, files_in, journal, trailmark};
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
    /// Events the page sent (DevTools messages with a `method`), oldest first.
    events: Vec<Value>,
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
        let (mut socket, _) =
            tungstenite::connect(page_socket.as_str()).expect("DevTools connects");
        // Short reads, so that waiting for events can also watch the time.
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_mut() {
            stream
                .set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
        }
        Browser {
            child,
            _profile: profile,
            socket,
            next_id: 1,
            browser_socket: format!("ws://127.0.0.1:{port}{browser_path}"),
            events: Vec::new(),
        }
    }

    /// The next DevTools message, or `None` when none came within the read timeout.
    fn read_message(&mut self) -> Option<Value> {
        match self.socket.read() {
            Ok(message) => serde_json::from_str(message.to_text().ok()?).ok(),
            Err(tungstenite::Error::Io(error))
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(error) => panic!("DevTools connection lost: {error}"),
        }
    }

    /// Sends a DevTools command and returns its result, keeping the events that arrive
    /// before it.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let command = json!({"id": id, "method": method, "params": params});
        self.socket
            .send(tungstenite::Message::text(command.to_string()))
            .unwrap();
        let deadline = Instant::now() + DEADLINE;
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            let Some(message) = self.read_message() else {
                continue;
            };
            if message["id"] == id {
                assert!(message["error"].is_null(), "{method}: {message}");
                return message["result"].clone();
            }
            if message["method"].is_string() {
                self.events.push(message);
            }
        }
    }

    /// Keeps the events that arrive within `quiet`.
    fn collect_events(&mut self, quiet: Duration) {
        let until = Instant::now() + quiet;
        while Instant::now() < until {
            if let Some(message) = self.read_message()
                && message["method"].is_string()
            {
                self.events.push(message);
            }
        }
    }

    /// Waits for an event named `method` (one already kept counts) and returns it.
    fn wait_for_event(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(event) = self.events.iter().find(|e| e["method"] == method) {
                return event.clone();
            }
            assert!(Instant::now() < deadline, "no {method} event");
            self.collect_events(Duration::from_millis(50));
        }
    }

    /// Evaluates `expression` in the page and returns its value.
    fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        result["result"]["value"].clone()
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

/// The browser to test with, or `None` (after saying why) to skip the test.
fn browser_or_skip() -> Option<PathBuf> {
    let found = find_browser();
    if found.is_none() {
        assert!(
            std::env::var_os("TRAILMARK_REQUIRE_BROWSER").is_none(),
            "TRAILMARK_REQUIRE_BROWSER is set but no Chromium was found on the PATH"
        );
        eprintln!("skipped: no Chromium on the PATH (install Debian's `chromium` package)");
    }
    found
}

#[test]
fn a_ticked_milestone_shows_on_the_open_page_without_a_reload() {
    let Some(program) = browser_or_skip() else {
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

/// Markup that could run a script, load something or cover the page, as found in the
/// page's DOM. The templates' own markup has none of it but progress bars' widths.
const DANGEROUS_MARKUP: &str = r#"(() => {
    const found = [];
    for (const e of document.querySelectorAll('script, iframe, object, embed, base, form, link, meta[http-equiv="refresh" i], img:not([src^="data:"]), video, audio, source')) {
        found.push(e.outerHTML.slice(0, 120));
    }
    for (const e of document.querySelectorAll('*')) {
        for (const a of e.attributes) {
            if (a.name.startsWith('on')) found.push(`${e.tagName} ${a.name}`);
            if (['href', 'src', 'action', 'formaction'].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) found.push(`${e.tagName} ${a.name}=${a.value}`);
        }
        const style = e.getAttribute('style');
        if (style !== null && !/^width: [0-9.]+%$/.test(style)) found.push(`${e.tagName} style=${style}`);
    }
    return found;
})()"#;

#[test]
fn reports_of_a_journal_of_xss_payloads_run_no_script_and_load_nothing() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = journal("xss");
    trailmark()
        .args(["build", "--today", "2026-03-20"])
        .arg(dir.path())
        .assert()
        .success();
    let out = dir.path().join("_reports");
    let pages: Vec<PathBuf> = files_in(&out)
        .into_keys()
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .map(|path| out.join(path))
        .collect();
    assert!(pages.len() >= 8, "{pages:?}");

    let mut browser = Browser::open(&program, "about:blank");
    for domain in ["Page", "Network", "Runtime"] {
        browser.call(&format!("{domain}.enable"), json!({}));
    }
    // First as written; then with the Content-Security-Policy ignored, to show that the
    // sanitizing alone keeps scripts out.
    for bypass_csp in [false, true] {
        browser.call("Page.setBypassCSP", json!({"enabled": bypass_csp}));
        for page in &pages {
            let url = format!("file://{}", page.display());
            browser.events.clear();
            browser.call("Page.navigate", json!({"url": url}));
            browser.wait_for_event("Page.loadEventFired");
            // Time for `onerror` handlers, refreshes and style imports to fire.
            browser.collect_events(Duration::from_millis(300));
            let name = page.strip_prefix(&out).unwrap().display();
            for event in &browser.events {
                assert_ne!(
                    event["method"], "Page.javascriptDialogOpening",
                    "a script ran in {name} (CSP bypassed: {bypass_csp}): {event}"
                );
                if event["method"] == "Network.requestWillBeSent" {
                    let requested = event["params"]["request"]["url"]
                        .as_str()
                        .unwrap_or_default();
                    assert!(
                        requested.starts_with("file://"),
                        "{name} (CSP bypassed: {bypass_csp}) requested {requested}"
                    );
                }
                if event["method"] == "Page.frameNavigated" {
                    let now = event["params"]["frame"]["url"].as_str().unwrap_or_default();
                    assert_eq!(now, url, "{name} navigated away");
                }
            }
            assert_eq!(browser.evaluate(DANGEROUS_MARKUP), json!([]), "in {name}");
        }
    }
    // Template syntax in journal text is shown as written, never evaluated.
    browser.call(
        "Page.navigate",
        json!({"url": format!("file://{}", out.join("goals/xss.html").display())}),
    );
    browser.wait_for(
        "document.querySelector('h1')?.textContent ?? ''",
        "{{ 7*7 }}",
    );
    let text = browser.evaluate("document.body.innerText");
    let text = text.as_str().unwrap();
    assert!(text.contains("{% include 'base.html' %}"), "{text}");
    assert!(text.contains(r#"{{ "x" | safe }}"#), "{text}");
}
