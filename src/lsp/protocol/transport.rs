//! The connection to the editor over stdin and stdout, as `lsp_server`'s own
//! (`Connection::stdio`) but for what is written: every message after the handshake is
//! its JSON text already ([`Outgoing`]), made on the thread that answers straight from the
//! answer's values. `lsp_server`'s `Response` holds its result as a tree of
//! `serde_json::Value`s, which its writer thread serialized and another thread then
//! freed: a tree of 200 completion items was about 0.7 MB at 10,000 files, and the
//! last one was still being freed while the next was made, the language server's peak
//! heap (1.7 MB of answers' trees at the 200 completions of the benchmark's session).

use std::io::{self, BufWriter, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message, RequestId};
use serde::Serialize;

/// A message to the editor, as the JSON text it is sent as (without its header).
pub(crate) struct Outgoing(Vec<u8>);

/// A message as JSON-RPC 2.0 sends it: `lsp_server`'s messages, or a response made here.
#[derive(Serialize)]
struct JsonRpc<M> {
    jsonrpc: &'static str,
    #[serde(flatten)]
    message: M,
}

/// The response to the request `id` whose result is `result`, as `lsp_server`'s
/// `Response` writes one.
#[derive(Serialize)]
struct Answered<'a, R> {
    id: &'a RequestId,
    result: R,
}

impl Outgoing {
    fn of(message: impl Serialize) -> Outgoing {
        let json = JsonRpc {
            jsonrpc: "2.0",
            message,
        };
        Outgoing(serde_json::to_vec(&json).expect("protocol values serialize"))
    }

    /// The response to the request `id` whose result is `result`, written from it.
    pub(crate) fn answer(id: &RequestId, result: impl Serialize) -> Outgoing {
        Outgoing::of(Answered { id, result })
    }

    /// The message this is the text of.
    #[cfg(test)]
    pub(crate) fn message(&self) -> Message {
        serde_json::from_slice(&self.0).expect("a message's text")
    }
}

impl From<Message> for Outgoing {
    fn from(message: Message) -> Outgoing {
        Outgoing::of(&message)
    }
}

/// The threads that read stdin and write stdout.
pub(crate) struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both, once the server has dropped its ends of the channels.
    pub(crate) fn join(self) -> io::Result<()> {
        for thread in [self.reader, self.writer] {
            thread
                .join()
                .map_err(|_| io::Error::other("a thread of the connection panicked"))??;
        }
        Ok(())
    }
}

/// The connection over stdin and stdout: for the handshake, `lsp_server`'s
/// [`Connection`] (its messages written in order until it is dropped), then the
/// [`Outgoing`] sender for every message after it.
pub(crate) fn stdio() -> (Connection, Sender<Outgoing>, IoThreads) {
    let (read, incoming) = bounded::<Message>(0);
    let reader = std::thread::Builder::new()
        .name("trailmark-lsp-reader".to_string())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            while let Some(message) = Message::read(&mut stdin)? {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if read.send(message).is_err() || exit {
                    break;
                }
            }
            Ok(())
        })
        .expect("the reader thread starts");
    let (handshake, handshake_messages) = bounded::<Message>(0);
    let (outgoing, outgoing_messages) = bounded::<Outgoing>(0);
    let writer = std::thread::Builder::new()
        .name("trailmark-lsp-writer".to_string())
        .spawn(move || {
            let stdout = BufWriter::new(io::stdout().lock());
            write_all(stdout, &handshake_messages, &outgoing_messages)
        })
        .expect("the writer thread starts");
    let connection = Connection {
        sender: handshake,
        receiver: incoming,
    };
    (connection, outgoing, IoThreads { reader, writer })
}

/// Writes to `out` the handshake's messages until its sender is dropped, then the
/// others, each after its header.
fn write_all(
    mut out: impl Write,
    handshake: &Receiver<Message>,
    outgoing: &Receiver<Outgoing>,
) -> io::Result<()> {
    let texts = (handshake.iter().map(Outgoing::from)).chain(outgoing.iter());
    for Outgoing(text) in texts {
        write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
        out.write_all(&text)?;
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_server::{Notification, Response};
    use serde_json::Value;

    /// The JSON `lsp_server` writes for `message`, read back.
    fn as_lsp_server_writes(message: &Message) -> Value {
        let mut framed = Vec::new();
        message.write(&mut framed).unwrap();
        let framed = String::from_utf8(framed).unwrap();
        let (_, json) = framed.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_answer_written_from_its_values_is_the_response_lsp_server_writes() {
        let list = lsp_types::CompletionList {
            is_incomplete: true,
            items: vec![lsp_types::CompletionItem {
                label: "ship".to_string(),
                detail: Some("Ship it, 40%".to_string()),
                sort_text: Some("0001".to_string()),
                ..Default::default()
            }],
        };
        for id in [
            RequestId::from(7),
            RequestId::from("trailmark-7".to_string()),
        ] {
            for result in [serde_json::to_value(&list).unwrap(), Value::Null] {
                let written = Outgoing::answer(&id, &result);
                let read: Value = serde_json::from_slice(&written.0).unwrap();
                let response = Message::Response(Response::new_ok(id.clone(), &result));
                assert_eq!(read, as_lsp_server_writes(&response));
            }
        }
    }

    #[test]
    fn the_handshakes_messages_are_written_first_each_read_back_as_sent() {
        let (handshake, handshake_messages) = crossbeam_channel::unbounded();
        let (outgoing, outgoing_messages) = crossbeam_channel::unbounded();
        let note = |method: &str| Message::Notification(Notification::new(method.into(), ()));
        outgoing.send(Outgoing::from(note("second"))).unwrap();
        outgoing
            .send(Outgoing::answer(&RequestId::from(1), "third"))
            .unwrap();
        handshake
            .send(Message::Response(Response::new_ok(1.into(), "first")))
            .unwrap();
        drop((handshake, outgoing));
        let mut written = Vec::new();
        write_all(&mut written, &handshake_messages, &outgoing_messages).unwrap();
        let mut reading = &written[..];
        let mut read = Vec::new();
        while let Some(message) = Message::read(&mut reading).unwrap() {
            read.push(as_lsp_server_writes(&message));
        }
        let expected = [
            Message::Response(Response::new_ok(1.into(), "first")),
            note("second"),
            Message::Response(Response::new_ok(1.into(), "third")),
        ];
        assert_eq!(
            read,
            expected
                .iter()
                .map(as_lsp_server_writes)
                .collect::<Vec<_>>()
        );
    }
}
