//! `serve`: the output folder over HTTP, with pages that reload themselves when a build
//! changes them.
//!
//! Served HTML pages get one `<script src>` tag, added on the way out and never written
//! to disk. The script listens to server-sent events: after each build the server sends
//! the paths of the reports that changed, and a page reloads when its own path is among
//! them.
//!
//! Here: what is served (which files, the live-reload script, the event stream's
//! messages). The HTTP/1.1 server that serves it, with its limits, is in `http`.

mod http;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::fsread;
use http::{Answer, Live, Reply};

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

/// A running server; it stops with the process.
pub(crate) struct Server {
    address: SocketAddr,
    live: Arc<Live>,
}

impl Server {
    /// Serves the folder `out` on `bind`:`port` (port 0 picks a free one). If the server
    /// cannot go on (accepting has failed for a long time), `on_failure` is called once
    /// with the reason.
    pub(crate) fn start(
        out: &Path,
        bind: IpAddr,
        port: u16,
        on_failure: impl FnOnce(Error) + Send + 'static,
    ) -> Result<Server, Error> {
        let wanted = SocketAddr::new(bind, port);
        let listener = TcpListener::bind(wanted)
            .map_err(|error| Error::Serve(format!("cannot listen on {wanted}: {error}")))?;
        let address = listener
            .local_addr()
            .map_err(|error| Error::Serve(format!("cannot listen on {wanted}: {error}")))?;
        let live = http::serve(listener, address, out, on_failure)?;
        Ok(Server { address, live })
    }

    /// The address to open in a browser.
    pub(crate) fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Tells open pages which reports (relative to the output folder) a build changed.
    /// Sent at once to the streams open now, so a page that connects later never hears
    /// of a build it already shows (queued for a thread to send later, the changes of the
    /// first build reloaded a page that connected just after it once for every report).
    pub(crate) fn publish<'a>(&self, reports: impl IntoIterator<Item = &'a str>) {
        // No path comes twice: a build writes each report once, and removes only reports
        // it no longer writes.
        let paths: Vec<String> = reports
            .into_iter()
            .map(|report| format!("/{report}"))
            .collect();
        // An empty list would reload every page.
        if !paths.is_empty() {
            self.live
                .send(&format!("data: {}\n\n", json_strings(&paths)));
        }
    }
}

/// What a local `GET` (or, `head_only`, `HEAD`) of `url` (a path) gets.
fn reply(root: &Path, url: &str, head_only: bool) -> Reply {
    if url == EVENTS_URL && !head_only {
        Reply::Events
    } else {
        Reply::Answer(answer_for(root, url))
    }
}

/// The answer to a `GET` or `HEAD` of `url` (a path), other than the event stream.
fn answer_for(root: &Path, url: &str) -> Answer {
    if url == LIVE_SCRIPT_URL {
        return Answer::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_SCRIPT.as_bytes().to_vec(),
        );
    }
    if url == EVENTS_URL {
        // A `HEAD` of the stream: its headers, and no stream.
        return Answer::new(200, "text/event-stream", Vec::new()).with("Cache-Control", "no-cache");
    }
    let Some(path) = file_for(root, url) else {
        return Answer::text(404, "not found\n");
    };
    let path = if path.is_dir() {
        if !url.ends_with('/') {
            // Reports link relatively: `reviews` must become `reviews/` first. The
            // location is relative too: `//reviews/` would send the browser to the host
            // `reviews`. The last segment has no `/` and, being a folder's name, no `:`.
            let folder = url.rsplit('/').next().unwrap_or_default();
            return Answer::text(301, "").with("Location", &format!("{folder}/"));
        }
        path.join("index.html")
    } else {
        path
    };
    let Ok(mut content) = fsread::read(&path, fsread::MAX_OWN_FILE_BYTES) else {
        return Answer::text(404, "not found\n");
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        content = with_live_script(content);
    }
    Answer::new(200, kind, content)
        .with("Cache-Control", "no-cache")
        .with("X-Content-Type-Options", "nosniff")
}

/// A JSON array of `strings`.
fn json_strings(strings: &[String]) -> String {
    // Serializing strings cannot fail; an empty list would reload every page.
    serde_json::to_string(strings).unwrap_or_else(|_| "[]".to_string())
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

/// Opens `url` in the default browser, without waiting for it.
pub(crate) fn open_in_browser(url: &str) -> std::io::Result<()> {
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
    fn a_folder_redirects_relatively_so_the_browser_stays_on_this_server() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("goals")).unwrap();
        std::fs::write(dir.path().join("goals/index.html"), "g").unwrap();
        // `Location: //goals/` would send the browser to the host `goals`.
        for (url, location) in [
            ("/goals", "goals/"),
            ("//goals", "goals/"),
            ("///goals", "goals/"),
        ] {
            let answer = answer_for(dir.path(), url);
            assert_eq!(answer.status, 301, "{url}");
            let header = answer.headers.iter().find(|(name, _)| *name == "Location");
            assert_eq!(
                header.map(|(_, value)| value.as_str()),
                Some(location),
                "{url}"
            );
        }
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
