//! The real `safemap serve` under a starvation attack on loopback, with short limits so each
//! test takes seconds: slow request heads and idle sockets beyond the connection cap (and
//! beyond the process's open-file limit) lock no client out and are closed after the
//! header-read timeout; idle keep-alive connections are closed after the idle timeout; chunked
//! bodies meet the body limit on `/admin/reload` with or without a token, and a stalled body
//! meets the request timeout.
#![cfg(unix)] // the open-file limit is set with `ulimit`
#![allow(clippy::unwrap_used)]

mod serving;

use serving::{demo_dir, Server};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_string()
}

fn connect(s: &Server) -> TcpStream {
    let stream = TcpStream::connect(addr(s)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    stream
}

/// Reads what has arrived into `buf`: the error that ended the connection
/// (`UnexpectedEof` when it was closed), or `TimedOut` once `until` has passed.
fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>, until: Instant) -> std::io::Result<()> {
    let mut chunk = [0_u8; 4096];
    match stream.read(&mut chunk) {
        Ok(0) => Err(ErrorKind::UnexpectedEof.into()),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            if Instant::now() > until {
                Err(ErrorKind::TimedOut.into())
            } else {
                Ok(())
            }
        }
        Err(e) => Err(e),
    }
}

/// Reads one response's head and its `Content-Length` body; its status, or the error that
/// ended the connection first (`UnexpectedEof` when it was closed) or `TimedOut` after
/// `within`.
fn read_response(stream: &mut TcpStream, within: Duration) -> std::io::Result<u16> {
    let until = Instant::now() + within;
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        read_more(stream, &mut buf, until)?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while buf.len() < head_end + length {
        read_more(stream, &mut buf, until)?;
    }
    Ok(status)
}

/// A keep-alive GET on `stream`; its status.
fn get(stream: &mut TcpStream, path: &str, within: Duration) -> std::io::Result<u16> {
    write!(stream, "GET {path} HTTP/1.1\r\nHost: safemap\r\n\r\n")?;
    read_response(stream, within)
}

/// A new connection's GET of `/api/session`, timed.
fn fresh_get(s: &Server) -> (std::io::Result<u16>, Duration) {
    let started = Instant::now();
    let mut stream = connect(s);
    let status = get(&mut stream, "/api/session", Duration::from_secs(5));
    (status, started.elapsed())
}

/// Waits until the server closes `stream` (end of file or reset); how long after `since`, or
/// `None` if it is still open at `since + limit`. Any bytes the server sends are skipped.
fn closed_after(stream: &mut TcpStream, since: Instant, limit: Duration) -> Option<Duration> {
    let mut chunk = [0_u8; 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return Some(since.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if since.elapsed() > limit {
                    return None;
                }
            }
            Err(_) => return Some(since.elapsed()),
        }
    }
}

/// A connection that has sent part of a request line and stalls.
fn slow_head(s: &Server) -> TcpStream {
    let mut stream = connect(s);
    stream.write_all(b"GET /api/sess").unwrap();
    stream
}

#[test]
fn slow_heads_and_idle_sockets_beyond_the_cap_lock_no_client_out() {
    let dir = demo_dir();
    // 48 connections at most, in a process that may open 96 files: without the cap the 120
    // sockets below exhaust its file descriptors and it accepts nobody.
    let s = Server::start_with_open_files(
        &dir.join("results"),
        &dir.join("analyst.token"),
        &[
            "--max-connections",
            "48",
            "--header-read-timeout",
            "2",
            "--idle-timeout",
            "30",
        ],
        96,
    );
    let header_timeout = Duration::from_secs(2);
    // Timers may fire a little early as the client measures them.
    let header_timeout_less_slack = Duration::from_millis(1700);

    // Below the cap: slow heads are closed by the header-read timeout, not before, and a
    // client is served meanwhile.
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..30).map(|_| slow_head(&s)).collect();
    let (status, took) = fresh_get(&s);
    assert_eq!(status.unwrap(), 200);
    assert!(took < Duration::from_secs(1), "served after {took:?}");
    for (i, stream) in slow.iter_mut().enumerate() {
        let after = closed_after(stream, started, header_timeout + Duration::from_secs(3))
            .unwrap_or_else(|| panic!("slow head {i} still open 5 s after it stalled"));
        assert!(
            after >= header_timeout_less_slack,
            "slow head {i} closed after {after:?}, before the header-read timeout"
        );
    }

    // Beyond the cap and the open-file limit: 40 slow heads, then 80 sockets that send
    // nothing. A new client is still served at once (it takes the place of the connection
    // that has waited longest), long before any timeout could free a place.
    let started = Instant::now();
    let mut attack: Vec<TcpStream> = (0..40).map(|_| slow_head(&s)).collect();
    attack.extend((0..80).map(|_| connect(&s)));
    for round in 0..3 {
        let (status, took) = fresh_get(&s);
        assert_eq!(status.ok(), Some(200), "round {round}");
        assert!(
            took < Duration::from_secs(1),
            "round {round}: served after {took:?}"
        );
    }
    assert!(started.elapsed() < header_timeout);
    // Every attacking socket is closed by the server, made room for or timed out.
    for (i, stream) in attack.iter_mut().enumerate() {
        assert!(
            closed_after(stream, started, header_timeout + Duration::from_secs(3)).is_some(),
            "attacking socket {i} still open 5 s later"
        );
    }
    let (status, _) = fresh_get(&s);
    assert_eq!(status.unwrap(), 200);
}

#[test]
fn idle_keep_alive_connections_are_closed_after_the_idle_timeout() {
    let dir = demo_dir();
    let s = Server::start(
        &dir.join("results"),
        &dir.join("analyst.token"),
        &["--idle-timeout", "1", "--header-read-timeout", "30"],
    );
    let idle = Duration::from_secs(1);
    let idle_less_slack = Duration::from_millis(800);
    let silent_since = Instant::now();
    let mut silent = connect(&s);
    // A connection in use stays open past the idle timeout: it is idle time that counts.
    let mut busy = connect(&s);
    let mut last_answer = Instant::now();
    while silent_since.elapsed() < Duration::from_millis(2500) {
        assert_eq!(
            get(&mut busy, "/api/session", Duration::from_secs(5)).unwrap(),
            200
        );
        last_answer = Instant::now();
        std::thread::sleep(Duration::from_millis(300));
    }
    // A connection that never sent a byte was closed after the idle timeout.
    let after = closed_after(&mut silent, silent_since, Duration::from_secs(4))
        .expect("a silent connection is closed");
    assert!(after >= idle_less_slack, "closed after {after:?}");
    // Once left idle, the keep-alive connection is closed after the idle timeout too.
    let after = closed_after(&mut busy, last_answer, Duration::from_secs(4))
        .expect("an idle keep-alive connection is closed");
    assert!(
        after >= idle_less_slack && after < idle + Duration::from_secs(2),
        "closed {after:?} after its last answer"
    );
}

/// Sends the head of a chunked `POST /admin/reload` (with the analyst token if given) and
/// `chunks` chunks of 8 KiB, without the last chunk.
fn chunked_reload(
    stream: &mut TcpStream,
    token: Option<&str>,
    chunks: usize,
) -> std::io::Result<()> {
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "POST /admin/reload HTTP/1.1\r\nHost: safemap\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
    )?;
    let chunk = [b'x'; 8192];
    for _ in 0..chunks {
        stream.write_all(b"2000\r\n")?;
        stream.write_all(&chunk)?;
        stream.write_all(b"\r\n")?;
    }
    Ok(())
}

/// `413` read, or the connection closed: anything but an answer to the request.
fn refused(answer: &std::io::Result<u16>) -> bool {
    match answer {
        Ok(status) => *status == 413,
        Err(e) => e.kind() != ErrorKind::TimedOut,
    }
}

#[test]
fn chunked_bodies_meet_the_body_limit_and_stalled_bodies_the_request_timeout() {
    let dir = demo_dir();
    let s = Server::start(
        &dir.join("results"),
        &dir.join("analyst.token"),
        &["--request-timeout", "2", "--idle-timeout", "30"],
    );
    for token in [Some(s.token.as_str()), None] {
        // 128 KiB of a body that never ends: refused once past 64 KiB, without waiting for
        // (or reading) the rest.
        let mut stream = connect(&s);
        if let Err(e) = chunked_reload(&mut stream, token, 16) {
            // The server closed the connection before the whole body was sent: refused.
            assert!(
                matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset),
                "{e}"
            );
        }
        let answer = read_response(&mut stream, Duration::from_secs(1));
        assert!(refused(&answer), "token {}: {answer:?}", token.is_some());
        // 8 MiB sent as fast as the server takes it.
        let mut stream = connect(&s);
        let mut writer = stream.try_clone().unwrap();
        let token_owned = token.map(str::to_string);
        let sender = std::thread::spawn(move || {
            let sent = chunked_reload(&mut writer, token_owned.as_deref(), 1024);
            sent.and_then(|()| writer.write_all(b"0\r\n\r\n"))
        });
        let answer = read_response(&mut stream, Duration::from_secs(5));
        assert!(refused(&answer), "token {}: {answer:?}", token.is_some());
        let _ = stream.shutdown(Shutdown::Both);
        let _ = sender.join().unwrap();
    }
    // A body that stalls within the limit meets the request timeout.
    let started = Instant::now();
    let mut stream = connect(&s);
    chunked_reload(&mut stream, Some(&s.token), 1).unwrap();
    let answer = read_response(&mut stream, Duration::from_secs(5));
    let took = started.elapsed();
    assert_eq!(answer.unwrap(), 408);
    assert!(
        took >= Duration::from_millis(1800),
        "timed out after {took:?}"
    );
    // The server is still healthy, and a small chunked reload still works.
    let mut stream = connect(&s);
    assert_eq!(
        get(&mut stream, "/api/session", Duration::from_secs(5)).unwrap(),
        200
    );
    write!(
        stream,
        "POST /admin/reload HTTP/1.1\r\nHost: safemap\r\nAuthorization: Bearer {}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n",
        s.token
    )
    .unwrap();
    assert_eq!(
        read_response(&mut stream, Duration::from_secs(10)).unwrap(),
        200
    );
    assert_eq!(s.reload()["changed"], false);
}
