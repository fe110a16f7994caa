//! `serve`: the output folder over HTTP, with pages that reload themselves when a build
//! changes them.
//!
//! Served HTML pages get one `<script src>` tag, added on the way out and never written
//! to disk. The script listens to server-sent events: after each build the server sends
//! the paths of the reports that changed, and a page reloads when its own path is among
//! them.

use std::io::{Cursor, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::error::Error;
use crate::fsread;

/// URLs the server answers itself; no report path starts with `/__` (report names are
/// slugs, dates and fixed names).
const LIVE_SCRIPT_URL: &str = "/__trailmark/live-reload.js";
const EVENTS_URL: &str = "/__trailmark/events";

const LIVE_SCRIPT: &str = r#"// Added by `trailmark serve`; the reports on disk do not have it.
(() => {
  const here = decodeURI(location.pathname.endsWith("/") ? location.pathname + "index.html" : location.pathname);
  const events = new EventSource("/__trailmark/events");
  // Shows that live reload is on (and lets tests wait until it is).
  events.onopen = () => { document.documentElement.dataset.liveReload = "connected"; };
  events.onmessage = (event) => {
    const changed = JSON.parse(event.data);
    if (changed.length === 0 || changed.includes(here)) location.reload();
  };
})();
"#;

/// How long an idle event stream waits before a comment line, which also finds out
/// whether the page is still there.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How many builds' changes are kept for pages that are between two requests.
const CHANGES_KEPT: usize = 32;

/// A running server; it stops with the process.
pub struct Server {
    address: SocketAddr,
    live: Arc<Live>,
}

/// The changes of the last builds, for the event streams to send.
#[derive(Default)]
struct Live {
    changes: Mutex<Changes>,
    changed: Condvar,
}

#[derive(Default)]
struct Changes {
    /// How many builds have been published.
    generation: u64,
    /// The URL paths each of the last builds changed, oldest first, with its generation.
    recent: Vec<(u64, Vec<String>)>,
}

impl Server {
    /// Serves the folder `out` on `bind`:`port` (port 0 picks a free one).
    pub fn start(out: &Path, bind: IpAddr, port: u16) -> Result<Server, Error> {
        let server = tiny_http::Server::http(SocketAddr::new(bind, port)).map_err(|error| {
            Error::Serve(format!(
                "cannot listen on {}: {error}",
                SocketAddr::new(bind, port)
            ))
        })?;
        let address = server
            .server_addr()
            .to_ip()
            .expect("a server started with an IP address listens on one");
        let live = Arc::new(Live::default());
        let root = out.to_path_buf();
        let shared = Arc::clone(&live);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (root, live) = (root.clone(), Arc::clone(&shared));
                // A thread per request: event streams stay open for as long as a page is.
                std::thread::spawn(move || respond(request, &root, &live));
            }
        });
        Ok(Server { address, live })
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Tells open pages which reports (relative to the output folder) a build changed.
    pub fn publish<'a>(&self, reports: impl IntoIterator<Item = &'a str>) {
        let paths: Vec<String> = reports.into_iter().map(|p| format!("/{p}")).collect();
        if paths.is_empty() {
            return;
        }
        let mut changes = lock(&self.live.changes);
        changes.generation += 1;
        let generation = changes.generation;
        changes.recent.push((generation, paths));
        if changes.recent.len() > CHANGES_KEPT {
            changes.recent.remove(0);
        }
        drop(changes);
        self.live.changed.notify_all();
    }
}

fn lock(changes: &Mutex<Changes>) -> std::sync::MutexGuard<'_, Changes> {
    // A thread that panicked while holding the lock left whole data behind (every update
    // is a push or a remove), so the lock is still usable.
    changes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn respond(request: Request, root: &Path, live: &Live) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "only GET and HEAD are served\n"));
        return;
    }
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == EVENTS_URL {
        stream_events(request, live);
        return;
    }
    if url == LIVE_SCRIPT_URL {
        let response = Response::from_string(LIVE_SCRIPT)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let Some(path) = file_for(root, &url) else {
        let _ = request.respond(text(404, "not found\n"));
        return;
    };
    if path.is_dir() {
        if !url.ends_with('/') {
            // Reports link relatively: `reviews` must become `reviews/` first.
            let response = Response::empty(StatusCode(301))
                .with_header(header("Location", &format!("{url}/")));
            let _ = request.respond(response);
            return;
        }
        serve_file(request, &path.join("index.html"));
        return;
    }
    serve_file(request, &path);
}

fn serve_file(request: Request, path: &Path) {
    let Ok(mut content) = fsread::read(path, fsread::MAX_OWN_FILE_BYTES) else {
        let _ = request.respond(text(404, "not found\n"));
        return;
    };
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        content = with_live_script(content);
    }
    let response = Response::from_data(content)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// The page with the live-reload script tag before `</body>` (or at the end), and its
/// Content-Security-Policy, if it has one, opened just enough for that script.
fn with_live_script(page: Vec<u8>) -> Vec<u8> {
    let mut page = allow_live_script(page);
    let tag = format!("<script src=\"{LIVE_SCRIPT_URL}\"></script>\n");
    let at = page
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    page.splice(at..at, tag.into_bytes());
    page
}

/// Reports forbid every script in their Content-Security-Policy `<meta>` tag. A served
/// page allows scripts and connections from the server itself (`'self'`), so that the
/// live-reload script can load and listen; everything else stays as the page says.
fn allow_live_script(page: Vec<u8>) -> Vec<u8> {
    let mut text = match String::from_utf8(page) {
        Ok(text) => text,
        Err(not_text) => return not_text.into_bytes(),
    };
    let lower = text.to_ascii_lowercase();
    let Some(meta) = lower.find("http-equiv=\"content-security-policy\"") else {
        return text.into_bytes();
    };
    let Some(start) = lower[meta..]
        .find("content=\"")
        .map(|at| meta + at + "content=\"".len())
    else {
        return text.into_bytes();
    };
    let Some(end) = lower[start..].find('"').map(|at| start + at) else {
        return text.into_bytes();
    };
    let mut directives: Vec<String> = text[start..end]
        .split(';')
        .map(str::trim)
        .filter(|directive| {
            let name = directive.split_whitespace().next().unwrap_or_default();
            !directive.is_empty()
                && !name.eq_ignore_ascii_case("script-src")
                && !name.eq_ignore_ascii_case("connect-src")
        })
        .map(str::to_string)
        .collect();
    directives.push("script-src 'self'".to_string());
    directives.push("connect-src 'self'".to_string());
    text.replace_range(start..end, &directives.join("; "));
    text.into_bytes()
}

/// Holds the connection open and sends, after each build, the URL paths it changed.
fn stream_events(request: Request, live: &Live) {
    let mut seen = lock(&live.changes).generation;
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                Connection: keep-alive\r\n\r\nretry: 500\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let changes = lock(&live.changes);
        let (changes, _) = live
            .changed
            .wait_timeout_while(changes, KEEP_ALIVE, |changes| changes.generation == seen)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let message = if changes.generation == seen {
            ": keep-alive\n\n".to_string()
        } else {
            // Changes too old to be kept mean "reload whatever you show" (an empty list).
            let missed = changes.recent.first().is_none_or(|(g, _)| *g > seen + 1);
            let paths: Vec<&String> = if missed {
                Vec::new()
            } else {
                changes
                    .recent
                    .iter()
                    .filter(|(g, _)| *g > seen)
                    .flat_map(|(_, paths)| paths)
                    .collect()
            };
            seen = changes.generation;
            format!(
                "data: {}\n\n",
                serde_json::to_string(&paths).expect("a list of strings is valid JSON")
            )
        };
        drop(changes);
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The file or folder under `root` that a request path names, or `None` when it names
/// nothing there. Paths are percent-decoded first, and any path that could leave the
/// folder (`..`, encoded or not, backslashes, drive letters) or reach a hidden file
/// (trailmark's manifest and cache) is refused; a symlink out of the folder is refused
/// after resolving it.
fn file_for(root: &Path, url: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url.strip_prefix('/')?)?;
    let mut path = root.to_path_buf();
    for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
        let safe = !segment.starts_with('.') && !segment.contains(['\\', ':', '\0']);
        if !safe {
            return None;
        }
        path.push(segment);
    }
    let resolved = path.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    resolved.starts_with(&root).then_some(resolved)
}

/// `%XX` escapes decoded; `None` for a malformed escape or text that is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn text(status: u16, body: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are plain ASCII")
}

/// Opens `url` in the default browser, without waiting for it.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("goals")).unwrap();
        std::fs::write(out.join("index.html"), "i").unwrap();
        std::fs::write(out.join("goals/a b.html"), "g").unwrap();
        std::fs::write(out.join(".trailmark-manifest"), "m").unwrap();
        std::fs::write(dir.path().join("secret.md"), "s").unwrap();
        let out_resolved = out.canonicalize().unwrap();

        assert_eq!(file_for(&out, "/"), Some(out_resolved.clone()));
        assert_eq!(
            file_for(&out, "/goals/a%20b.html"),
            Some(out_resolved.join("goals/a b.html"))
        );
        for hostile in [
            "/../secret.md",
            "/goals/../../secret.md",
            "/%2e%2e/secret.md",
            "/%2E%2E%2Fsecret.md",
            "/goals%2f..%2f..%2fsecret.md",
            "/..%5csecret.md",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/.trailmark-manifest",
            "/%00",
            "/%zz",
            "/%c3%28",
            "/missing.html",
        ] {
            assert_eq!(file_for(&out, hostile), None, "{hostile}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_output_folder_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.path().join("secret.md"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), out.join("link.md")).unwrap();
        assert_eq!(file_for(&out, "/link.md"), None);
    }

    #[test]
    fn a_served_page_allows_only_its_own_scripts_and_connections() {
        let page = br#"<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src https://evil.example; img-src data:"></head><body></body>"#;
        let served = String::from_utf8(with_live_script(page.to_vec())).unwrap();
        assert!(served.contains(
            r#"content="default-src 'none'; img-src data:; script-src 'self'; connect-src 'self'">"#
        ));
        assert!(!served.contains("evil"));
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_the_body() {
        let page = with_live_script(b"<html><body><p>x</p></BODY></html>".to_vec());
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__trailmark/live-reload.js\"></script>\n</BODY></html>"
        );
        let fragment = with_live_script(b"<p>x</p>".to_vec());
        assert!(
            String::from_utf8(fragment)
                .unwrap()
                .ends_with("</script>\n")
        );
    }
}
