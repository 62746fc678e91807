//! One HTTP agent per host, and requests sent with retries and backoff.
//!
//! ureq's agents are blocking, pool their connections, and are shared freely between threads;
//! each host gets its own because its certs.d folder may add roots or a client certificate.
//! ureq never follows redirects here (the client does, to decide where credentials go), never
//! turns a status into an error, and never decompresses (no `Accept-Encoding` is sent, so blob
//! bytes arrive exactly as their digest covers them).

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use ureq::http::Response;
use ureq::tls::Certificate;
use ureq::{Agent, Body};

use crate::options::Options;
use crate::tls;

/// How a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
    /// A form-encoded POST (the `OAuth2` refresh-token grant).
    PostForm,
}

/// One request, as the retry loop resends it.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub form: Vec<(&'static str, String)>,
    /// Whether a connection failure is worth another attempt (not for a probe that expects one).
    pub retry_transport: bool,
}

impl<'a> Request<'a> {
    pub(crate) fn new(method: Method, url: &'a str) -> Self {
        Request {
            method,
            url,
            headers: Vec::new(),
            form: Vec::new(),
            retry_transport: true,
        }
    }
}

/// A response and how many attempts it took.
pub(crate) struct Sent {
    pub response: Response<Body>,
    pub attempts: u32,
}

/// A request that got no response at all.
#[derive(Debug)]
pub(crate) struct Failed {
    pub error: ureq::Error,
    pub attempts: u32,
}

pub(crate) struct Transport {
    options: Options,
    roots: Vec<Certificate<'static>>,
    agents: Mutex<HashMap<String, Agent>>,
}

impl Transport {
    pub(crate) fn new(options: Options) -> Self {
        Transport {
            options,
            roots: tls::system_roots(),
            agents: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    /// Whether `authority` may be spoken to in plain HTTP: loopback, as Docker allows, or named
    /// insecure.
    pub(crate) fn plain_allowed(&self, authority: &str) -> bool {
        is_loopback(authority) || self.is_insecure(authority)
    }

    fn is_insecure(&self, authority: &str) -> bool {
        let host = host_of(authority);
        self.options
            .insecure
            .iter()
            .any(|entry| entry == authority || (entry == host && !entry.contains(':')))
    }

    /// The agent for `authority`, made on first use.
    pub(crate) fn agent(&self, authority: &str) -> Result<Agent, String> {
        let mut agents = self.agents.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(agent) = agents.get(authority) {
            return Ok(agent.clone());
        }
        let tls = tls::config_for(
            authority,
            &self.roots,
            &self.options.certs_dirs,
            self.is_insecure(authority),
        )?;
        let mut config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("layerscope/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(self.options.connect_timeout))
            .timeout_recv_response(Some(self.options.response_timeout))
            .timeout_per_read(Some(self.options.stall_timeout))
            .tls_config(tls);
        if is_loopback(authority) {
            // A proxy from the environment cannot reach this machine's own loopback.
            config = config.proxy(None);
        }
        let agent = config.build().new_agent();
        agents.insert(authority.to_owned(), agent.clone());
        Ok(agent)
    }

    /// Sends `request`, again after a backoff for 429, 5xx (not 501 and 505) and connections that
    /// failed before a response, at most `retries` more times. The last response is returned
    /// whatever its status; the caller names it.
    pub(crate) fn send(&self, agent: &Agent, request: &Request<'_>) -> Result<Sent, Failed> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let last = attempts > self.options.retries;
            match once(agent, request) {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let again = status == 429 || (status >= 500 && status != 501 && status != 505);
                    if !again || last {
                        return Ok(Sent { response, attempts });
                    }
                    let wait = retry_after(&response).unwrap_or_else(|| self.backoff(attempts));
                    thread::sleep(wait.min(self.options.max_backoff));
                }
                Err(error) if request.retry_transport && !last && transient(&error) => {
                    thread::sleep(self.backoff(attempts));
                }
                Err(error) => return Err(Failed { error, attempts }),
            }
        }
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32 << attempts.saturating_sub(1).min(16);
        self.options
            .backoff
            .saturating_mul(factor)
            .min(self.options.max_backoff)
    }
}

fn once(agent: &Agent, request: &Request<'_>) -> Result<Response<Body>, ureq::Error> {
    match request.method {
        Method::Get => {
            let mut builder = agent.get(request.url);
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            builder.call()
        }
        Method::Head => {
            let mut builder = agent.head(request.url);
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            builder.call()
        }
        Method::PostForm => {
            let mut builder = agent.post(request.url);
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            builder.send_form(request.form.iter().map(|(k, v)| (*k, v.as_str())))
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare from registries and falls back to backoff).
fn retry_after(response: &Response<Body>) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Failures before any response that another attempt may cure.
fn transient(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Io(e) if rustls_error(error).is_none() => matches!(
            e.kind(),
            io::ErrorKind::ConnectionRefused
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::NotConnected
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
                | io::ErrorKind::TimedOut
                | io::ErrorKind::Interrupted
        ),
        ureq::Error::Timeout(ureq::Timeout::Connect) | ureq::Error::ConnectionFailed => true,
        _ => false,
    }
}

/// The rustls error behind a failure: ureq passes some through as they are and others (from the
/// handshake) inside an `io::Error`.
fn rustls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e.get_ref()?.downcast_ref::<rustls::Error>(),
        _ => None,
    }
}

/// Whether the failure is the server's certificate (not a server that does not speak TLS).
pub(crate) fn is_certificate_error(error: &ureq::Error) -> bool {
    matches!(
        rustls_error(error),
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::InvalidCertRevocationList(_))
    )
}

pub(crate) fn is_tls_error(error: &ureq::Error) -> bool {
    rustls_error(error).is_some() || matches!(error, ureq::Error::Tls(_) | ureq::Error::Pem(_))
}

/// A failure in a few words for an error line.
pub(crate) fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Io(e) => match e.kind() {
            io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
            io::ErrorKind::UnexpectedEof => "the connection closed before an answer".to_owned(),
            _ => e.to_string(),
        },
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        other => other.to_string(),
    }
}

/// The host part of `host[:port]` or `[v6]:port`.
pub(crate) fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

/// `localhost`, 127.0.0.0/8 and `::1`.
pub(crate) fn is_loopback(authority: &str) -> bool {
    let host = host_of(authority);
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_insecure() {
        assert!(is_loopback("127.0.0.1:5000"));
        assert!(is_loopback("127.9.9.9"));
        assert!(is_loopback("localhost:1"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("10.0.0.1:5000"));
        assert!(!is_loopback("localhost.example.com"));
        let t = Transport::new(Options {
            insecure: vec!["reg.lan".into(), "other.lan:5000".into()],
            ..Options::default()
        });
        assert!(t.plain_allowed("reg.lan:443"));
        assert!(t.plain_allowed("reg.lan"));
        assert!(t.plain_allowed("other.lan:5000"));
        assert!(!t.plain_allowed("other.lan:5001"));
        assert!(!t.plain_allowed("docker.io"));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let t = Transport::new(Options {
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..Options::default()
        });
        assert_eq!(t.backoff(1), Duration::from_millis(100));
        assert_eq!(t.backoff(2), Duration::from_millis(200));
        assert_eq!(t.backoff(3), Duration::from_millis(350));
        assert_eq!(t.backoff(40), Duration::from_millis(350));
    }
}
