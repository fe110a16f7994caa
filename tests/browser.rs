//! End to end in headless Chromium:
//! - `trailmark serve`, a page open, a milestone ticked in the journal, and the page
//!   showing the new progress without anyone reloading it;
//! - every HTML report of a journal full of XSS payloads opened from disk: no script runs
//!   and no request leaves the page, with the reports' Content-Security-Policy and without;
//! - the index page's filters, clicked and used from the keyboard, hiding and showing
//!   goals without a script, and showing every goal in print;
//! - what assistive technology sees on every report: landmarks, a skip link, headings in
//!   order, labelled charts, inputs and progress bars with their values;
//! - every report of the example journal, and of a generated journal of 1,000 files, on
//!   phones and a small tablet (360, 390 and 768 px): nothing wider than the screen, no
//!   table column squeezed to a letter a line, no date or file path broken across lines;
//! - charts on a phone (360 and 390 px): text drawn at 11 px or more, heat-map squares
//!   of 10 px or more, no chart wider than the screen.
//!
//! The test drives Chromium through the DevTools protocol. Without a Chromium on the
//! machine it is skipped with a message, unless `TRAILMARK_REQUIRE_BROWSER=1` (as CI
//! sets) makes that a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, DEADLINE, Journal, eventually, files_in};
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
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        // A signal (a child of another test ending) cut the wait short:
                        // nothing was read, and the next read goes on.
                        | std::io::ErrorKind::Interrupted
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

    /// Clicks the middle of the element `selector` matches, as a mouse would.
    fn click(&mut self, selector: &str) {
        let selector = serde_json::to_string(selector).unwrap();
        let middle = self.evaluate(&format!(
            "(() => {{ const e = document.querySelector({selector}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let (x, y) = (middle[0].as_f64().unwrap(), middle[1].as_f64().unwrap());
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Presses and releases a key that types nothing (`Tab`, `ArrowRight`), by its
    /// Windows key code, as DevTools wants it.
    fn press(&mut self, key: &str, key_code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": key_code}),
            );
        }
    }

    /// Waits until the page with `title` in its title has loaded whole: the title comes
    /// with its first bytes, and the end of a long page later.
    fn wait_for_page(&mut self, title: &str) -> String {
        self.wait_for(
            "document.readyState === 'complete' ? document.title : ''",
            title,
        )
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
        common::say_skipped("no Chromium on the PATH (install Debian's `chromium` package)");
    }
    found
}

#[test]
fn a_ticked_milestone_shows_on_the_open_page_without_a_reload() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = Journal::example();
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

    let text = dir.read("goals/learn-sql.md");
    let ticked = text.replace(
        "- [ ] Window functions for cohort retention",
        "- [x] Window functions for cohort retention",
    );
    assert_ne!(text, ticked);
    dir.write("goals/learn-sql.md", ticked);

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
    let dir = Journal::fixture("xss");
    dir.run(&["build", "--today", "2026-03-20"]).success();
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

/// A fresh build of the example journal, as of the day its fixtures describe.
fn example_reports() -> Journal {
    let dir = Journal::example();
    dir.run(&["build", "--today", "2026-11-20"]).success();
    dir
}

/// The titles of the goal rows on the index that are rendered, top to bottom.
const VISIBLE_GOALS: &str = "[...document.querySelectorAll('.goals .goal')]\
    .filter(row => row.checkVisibility() && getComputedStyle(row).display !== 'none')\
    .map(row => row.querySelector('.title').textContent)";

const ALL_GOALS: [&str; 7] = [
    "Learn SQL for marketing analytics",
    "Attend two industry events a quarter",
    "Become an engineering manager",
    "Complete a management course",
    "Monthly mentor check-ins",
    "Present at the quarterly all-hands",
    "Write a technical blog series",
];

#[test]
fn index_filters_hide_and_show_goals_without_a_script() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let url = format!(
        "file://{}",
        dir.path().join("_reports/index.html").display()
    );
    let mut browser = Browser::open(&program, &url);
    browser.wait_for_page("Goals as of");
    let visible = |browser: &mut Browser| browser.evaluate(VISIBLE_GOALS);
    assert_eq!(visible(&mut browser), json!(ALL_GOALS));

    // From the keyboard: Tab past the skip link, the header's links and those of "What
    // needs me now" to the area choices and on to the status choices, then the arrow key
    // picks the next status.
    browser.press("Tab", 9);
    assert_eq!(
        browser.evaluate("document.activeElement.className"),
        json!("skip-link")
    );
    let mut links_before = 0;
    loop {
        browser.press("Tab", 9);
        if browser.evaluate("document.activeElement.id") == json!("filter-area-all") {
            break;
        }
        assert_eq!(
            browser.evaluate("document.activeElement.tagName"),
            json!("A")
        );
        links_before += 1;
        assert!(links_before < 30, "Tab never reaches the area choices");
    }
    browser.press("Tab", 9);
    assert_eq!(
        browser.evaluate("document.activeElement.id"),
        json!("filter-status-all")
    );
    browser.press("ArrowRight", 39);
    assert_eq!(
        browser.evaluate("document.activeElement.id"),
        json!("filter-status-overdue")
    );
    assert_eq!(
        visible(&mut browser),
        json!(["Learn SQL for marketing analytics"])
    );
    // The focused choice shows it.
    assert_eq!(
        browser.evaluate(
            "getComputedStyle(document.querySelector('label[for=filter-status-overdue]')).outlineStyle"
        ),
        json!("solid")
    );

    browser.press("ArrowLeft", 37);
    assert_eq!(visible(&mut browser), json!(ALL_GOALS));

    // The label of a choice, clicked.
    let leadership = "label[for=filter-area-1]";
    assert_eq!(
        browser.evaluate(&format!(
            "document.querySelector('{leadership}').textContent"
        )),
        json!("leadership 3")
    );
    browser.click(leadership);
    assert_eq!(
        visible(&mut browser),
        json!([
            "Become an engineering manager",
            "Complete a management course",
            "Monthly mentor check-ins"
        ])
    );
    // Area and status together: the goals that match both.
    browser.click("label[for=filter-status-on-track]");
    assert_eq!(
        visible(&mut browser),
        json!(["Become an engineering manager", "Monthly mentor check-ins"])
    );
    // Every area: the cadence goal of industry events (area network) is on track too.
    browser.click("label[for=filter-area-all]");
    assert_eq!(
        visible(&mut browser),
        json!([
            "Attend two industry events a quarter",
            "Become an engineering manager",
            "Monthly mentor check-ins"
        ])
    );
    browser.click("label[for=filter-status-all]");
    assert_eq!(visible(&mut browser), json!(ALL_GOALS));

    // A printout shows every goal and no filters, whatever is chosen on screen.
    browser.click("label[for=filter-status-overdue]");
    browser.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    assert_eq!(visible(&mut browser), json!(ALL_GOALS));
    assert_eq!(
        browser.evaluate("getComputedStyle(document.querySelector('.filters')).display"),
        json!("none")
    );
    browser.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    assert_eq!(
        visible(&mut browser),
        json!(["Learn SQL for marketing analytics"])
    );
}

/// What assistive technology needs of a page, as a list of what is missing.
const ACCESSIBILITY_PROBLEMS: &str = r#"(() => {
    const problems = [];
    const mains = document.querySelectorAll('main');
    if (mains.length !== 1) problems.push(`${mains.length} main landmarks`);
    if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
    const skip = document.querySelector('body > :first-child');
    if (!skip || skip.getAttribute('href') !== '#main') problems.push('no skip link first');
    let level = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
        const next = Number(h.tagName[1]);
        if (next > level + 1) problems.push(`${h.tagName} after h${level}: ${h.textContent}`);
        level = next;
    }
    for (const nav of document.querySelectorAll('nav')) {
        if (!nav.closest('header')) problems.push('nav outside the header');
    }
    for (const svg of document.querySelectorAll('svg')) {
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        const named = ids.map(id => document.getElementById(id)).filter(e => e && e.textContent.trim());
        if (svg.getAttribute('role') !== 'img' || named.length !== 2) problems.push(`chart without title and description: ${svg.outerHTML.slice(0, 80)}`);
    }
    const bars = document.querySelectorAll('.bar');
    for (const bar of bars) {
        const now = Number(bar.getAttribute('aria-valuenow'));
        const width = parseFloat(bar.firstElementChild.style.width);
        if (bar.getAttribute('role') !== 'progressbar') problems.push('a bar without role');
        if (bar.getAttribute('aria-valuemin') !== '0' || bar.getAttribute('aria-valuemax') !== '100') problems.push('a bar without range');
        if (!(now >= 0 && now <= 100) || Math.abs(now - width) > 0.5) problems.push(`aria-valuenow ${now} for a bar ${width}% wide`);
        if (!(bar.getAttribute('aria-label') ?? '').startsWith('Progress of ')) problems.push('a bar without label');
        if (!(bar.getAttribute('aria-valuetext') ?? '').startsWith(`${now}%`)) problems.push(`aria-valuetext ${bar.getAttribute('aria-valuetext')} for ${now}`);
    }
    for (const input of document.querySelectorAll('input')) {
        if (input.labels.length !== 1 || !input.labels[0].textContent.trim()) problems.push(`input ${input.id} without label`);
        if (!input.closest('fieldset')?.querySelector('legend')) problems.push(`input ${input.id} outside a fieldset with a legend`);
    }
    return {problems, bars: bars.length};
})()"#;

#[test]
fn index_progress_bars_share_one_track_width() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let url = format!(
        "file://{}",
        dir.path().join("_reports/index.html").display()
    );
    let mut browser = Browser::open(&program, &url);
    browser.wait_for_page("Goals as of");
    // Goals at every depth, with numbers of every width beside their bars ("75%",
    // "100% · 5/5"): one track width, on a phone and on a desktop.
    for width in [390, 1280] {
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
        );
        let widths = browser.evaluate(
            "[...new Set([...document.querySelectorAll('.goals .bar')]\
             .map(bar => bar.getBoundingClientRect().width))]",
        );
        assert_eq!(
            widths.as_array().map(Vec::len),
            Some(1),
            "{width} px: {widths}"
        );
    }
}

#[test]
fn dates_beside_milestones_stay_on_one_line_on_a_phone() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let url = format!(
        "file://{}",
        dir.path()
            .join("_reports/goals/management-course.html")
            .display()
    );
    let mut browser = Browser::open(&program, &url);
    browser.wait_for_page("Complete a management course");
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    );
    // Each piece of a milestone's details ("done 2026-06-28") is one box on one line.
    let broken = browser.evaluate(
        "[...document.querySelectorAll('.milestones .meta > *')]\
         .filter(piece => new Set([...piece.getClientRects()].map(r => Math.round(r.top))).size > 1)\
         .map(piece => piece.textContent)",
    );
    assert_eq!(broken, json!([]));
}

#[test]
fn every_report_tells_assistive_technology_what_it_shows() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let out = dir.path().join("_reports");
    let pages: Vec<PathBuf> = files_in(&out)
        .into_keys()
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut browser = Browser::open(&program, "about:blank");
    browser.call("Page.enable", json!({}));
    let mut bars = Vec::new();
    for page in &pages {
        browser.events.clear();
        browser.call(
            "Page.navigate",
            json!({"url": format!("file://{}", out.join(page).display())}),
        );
        browser.wait_for_event("Page.loadEventFired");
        let found = browser.evaluate(ACCESSIBILITY_PROBLEMS);
        assert_eq!(found["problems"], json!([]), "in {}", page.display());
        bars.push((page.display().to_string(), found["bars"].as_u64().unwrap()));
    }
    let bars_on = |name: &str| bars.iter().find(|(page, _)| page == name).unwrap().1;
    assert_eq!(bars_on("index.html"), 7);
    assert_eq!(bars_on("goals/learn-sql.html"), 1);

    // What a screen reader is given for the bars, from the browser's accessibility tree
    // (which has the attributes' values, aria-valuetext aside, checked above).
    browser.events.clear();
    browser.call(
        "Page.navigate",
        json!({"url": format!("file://{}", out.join("goals/learn-sql.html").display())}),
    );
    browser.wait_for_event("Page.loadEventFired");
    let tree = browser.call("Accessibility.getFullAXTree", json!({}));
    let bars: Vec<Value> = tree["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|node| node["role"]["value"] == "progressbar")
        .map(|node| {
            let property = |name: &str| {
                node["properties"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| p["name"] == name)
                    .map(|p| p["value"]["value"].clone())
            };
            json!([
                node["name"]["value"],
                node["value"]["value"],
                property("valuemin"),
                property("valuemax")
            ])
        })
        .collect();
    assert_eq!(
        bars,
        [json!([
            "Progress of Learn SQL for marketing analytics",
            62,
            0,
            100
        ])]
    );
}

/// What breaks a page on a narrow screen, as a list of problems naming the element:
/// anything wider than the viewport outside a box meant to scroll; a table cell under
/// 48 px wide holding more than 4 characters (a column squeezed to a letter a line); a
/// `YYYY-MM-DD` date or a file path broken across lines. Closed `<details>` are opened
/// first, so that the tables in them are measured too.
const NARROW_SCREEN_PROBLEMS: &str = r#"(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const problems = [];
    const width = document.documentElement.clientWidth;
    const name = e => {
        const tag = e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
        const text = e.textContent.trim().replace(/\s+/g, ' ');
        return `${tag} "${text.length > 50 ? text.slice(0, 50) + '…' : text}"`;
    };
    // Inside a box that scrolls (or clips) sideways, something wide is that box's business.
    const contained = e => { for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
    const reach = rects => Math.max(-Infinity, ...[...rects].filter(r => r.width > 0).map(r => r.right));
    const sticksOut = e => reach([e.getBoundingClientRect()]) > width + 0.5;
    for (const e of document.body.querySelectorAll('*')) {
        // The outermost element that sticks out names the problem; what is in it follows.
        if (sticksOut(e) && !contained(e) && !sticksOut(e.parentElement)) {
            problems.push(`${name(e)} reaches ${Math.round(reach([e.getBoundingClientRect()]))} px`);
        }
    }
    // Text that does not wrap (a long word, a date, a path) sticks out of its box.
    const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = text.nextNode(); node; node = text.nextNode()) {
        const box = node.parentElement;
        if (!node.data.trim() || sticksOut(box) || contained(node)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const right = reach(range.getClientRects());
        if (right > width + 0.5) problems.push(`the text "${node.data.trim().slice(0, 50)}" in ${name(box)} reaches ${Math.round(right)} px`);
    }
    if (document.documentElement.scrollWidth > width && !problems.length) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    // Visually hidden (clipped) cells, such as the column headers of a table shown as cards.
    const clipped = e => { for (let a = e; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return true; return false; };
    for (const cell of document.querySelectorAll('td, th')) {
        if (clipped(cell)) continue;
        const r = cell.getBoundingClientRect();
        const characters = [...cell.textContent.trim()].length;
        if (r.width > 0 && r.width < 48 && characters > 4) problems.push(`${name(cell)} is ${Math.round(r.width)} px wide`);
    }
    const tokens = /\d{4}-\d{2}-\d{2}|(?:[\w.-]+\/)*[\w.-]+\.md(?::\d+)?/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(tokens)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
            if (lines.size > 1) problems.push(`"${match[0]}" broken across ${lines.size} lines in ${name(node.parentElement)}`);
        }
    }
    return problems;
})()"#;

/// The widths of phones (360 and 390 px) and of a small tablet (768 px).
const NARROW_WIDTHS: [u32; 3] = [360, 390, 768];

/// The problems of each page at each width in [`NARROW_WIDTHS`], one browser going from
/// page to page, as lines naming the page, the width and the element.
fn narrow_screen_problems(program: &Path, out: &Path, pages: &[PathBuf]) -> Vec<String> {
    let mut browser = Browser::open(program, "about:blank");
    browser.call("Page.enable", json!({}));
    let mut problems = Vec::new();
    for page in pages {
        browser.events.clear();
        browser.call(
            "Page.navigate",
            json!({"url": format!("file://{}", out.join(page).display())}),
        );
        browser.wait_for_event("Page.loadEventFired");
        for width in NARROW_WIDTHS {
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": true}),
            );
            let found = browser.evaluate(NARROW_SCREEN_PROBLEMS);
            for problem in found.as_array().unwrap() {
                problems.push(format!(
                    "{} at {width} px: {}",
                    page.display(),
                    problem.as_str().unwrap()
                ));
            }
        }
    }
    problems
}

/// The HTML reports in `out`, relative to it.
fn html_reports(out: &Path) -> Vec<PathBuf> {
    files_in(out)
        .into_keys()
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn every_report_of_the_example_journal_fits_a_phone() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let out = dir.path().join("_reports");
    let pages = html_reports(&out);
    assert!(pages.len() >= 40, "{pages:?}");
    let problems = narrow_screen_problems(&program, &out, &pages);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A generated journal of 1,000 files (80 goals, entries over ten years) has nearly 800 HTML
/// reports; measuring every one at three widths would take minutes. So the test checks
/// every kind of page (the index, the reviews index, goal pages, week, month, quarter and
/// year reviews) and, of each kind, the three largest files: the most goals, milestones
/// and notes, so the likeliest to stick out.
#[test]
fn reports_of_a_generated_journal_of_1000_files_fit_a_phone() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = Journal::new();
    crate::gen_journal::write_journal(dir.path(), 1000, 1);
    dir.run(&["build", "--today", "2026-11-20"]).success();
    let out = dir.path().join("_reports");
    let mut by_kind: std::collections::BTreeMap<&str, Vec<(u64, PathBuf)>> = Default::default();
    for page in html_reports(&out) {
        let name = page.to_string_lossy();
        let kind = match name.as_ref() {
            "index.html" | "reviews/index.html" => "index",
            _ if name.starts_with("goals/") => "goal",
            _ if name.contains("-W") => "week",
            _ if name.contains("-Q") => "quarter",
            _ if name.len() == "reviews/2026.html".len() => "year",
            _ => "month",
        };
        let size = std::fs::metadata(out.join(&page)).unwrap().len();
        by_kind.entry(kind).or_default().push((size, page));
    }
    assert_eq!(
        by_kind.keys().copied().collect::<Vec<_>>(),
        ["goal", "index", "month", "quarter", "week", "year"]
    );
    let pages: Vec<PathBuf> = by_kind
        .into_values()
        .flat_map(|mut pages| {
            pages.sort();
            pages.into_iter().rev().take(3).map(|(_, page)| page)
        })
        .collect();
    let problems = narrow_screen_problems(&program, &out, &pages);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The chart text and heat-map squares of the page as drawn: each text's font size in
/// CSS pixels (its computed size times the SVG's scale on the screen), each square's
/// width and height from its bounding box, and any chart wider than the window.
const CHART_SIZES: &str = r#"(() => {
    const texts = [...document.querySelectorAll('svg.chart text')].map(t => [
        t.textContent,
        parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
        t.getBoundingClientRect().height,
    ]);
    const squares = [...document.querySelectorAll('svg.activity rect')].map(r => {
        const box = r.getBoundingClientRect();
        return Math.min(box.width, box.height);
    });
    const wide = [...document.querySelectorAll('svg.chart')]
        .filter(svg => svg.getBoundingClientRect().right > window.innerWidth)
        .map(svg => svg.getAttribute('class'));
    return {texts, squares, wide};
})()"#;

#[test]
fn charts_on_a_phone_have_text_of_11_px_and_squares_of_10() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let dir = example_reports();
    let out = dir.path().join("_reports");
    let pages = [
        "index.html",
        "goals/learn-sql.html",
        "goals/engineering-manager.html",
        "goals/industry-events.html",
    ];
    let mut browser = Browser::open(&program, "about:blank");
    browser.call("Page.enable", json!({}));
    for width in [360, 390] {
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        );
        for page in pages {
            browser.events.clear();
            browser.call(
                "Page.navigate",
                json!({"url": format!("file://{}", out.join(page).display())}),
            );
            browser.wait_for_event("Page.loadEventFired");
            let sizes = browser.evaluate(CHART_SIZES);
            let texts = sizes["texts"].as_array().unwrap();
            assert!(!texts.is_empty(), "no chart text in {page}");
            for text in texts {
                let (font, height) = (text[1].as_f64().unwrap(), text[2].as_f64().unwrap());
                assert!(
                    font >= 11.0 && height >= 11.0,
                    "at {width} px, {page}: {} drawn at {font:.1} px ({height:.1} px high)",
                    text[0]
                );
            }
            let squares = sizes["squares"].as_array().unwrap();
            if page == "index.html" {
                // A square a week and the legend's five.
                assert_eq!(squares.len(), 53 + 5);
            }
            for square in squares {
                let side = square.as_f64().unwrap();
                assert!(
                    side >= 10.0,
                    "at {width} px, {page}: a square of {side:.1} px"
                );
            }
            assert_eq!(sizes["wide"], json!([]), "at {width} px, {page}");
        }
    }
}

/// The pages of `build --share` (docs/SHARING.md) fit phones and a small tablet as the
/// reports do.
#[test]
fn shared_pages_fit_a_phone() {
    let Some(program) = browser_or_skip() else {
        return;
    };
    let journal = Journal::fixture("share");
    let out = journal.path().with_file_name("for-mentor");
    journal
        .run(&[
            "build",
            "--share",
            "mentor",
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-03-12",
        ])
        .success();
    let pages = html_reports(&out);
    assert_eq!(pages.len(), 2, "{pages:?}");
    let problems = narrow_screen_problems(&program, &out, &pages);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
