//! The `WWW-Authenticate` header: which scheme a registry wants and, for Bearer, where its token
//! server is.

/// One challenge a registry offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// The Bearer and Basic challenges in a header, in the order given; other schemes are skipped.
pub(crate) fn parse(header: &str) -> Vec<Challenge> {
    let mut cursor = Cursor { s: header, at: 0 };
    let mut found = Vec::new();
    loop {
        cursor.skip(|c| c == ',' || c.is_whitespace());
        let scheme = cursor.token();
        if scheme.is_empty() {
            break;
        }
        let mut params: Vec<(String, String)> = Vec::new();
        loop {
            cursor.skip(|c| c == ',' || c.is_whitespace());
            let mark = cursor.at;
            let name = cursor.token();
            cursor.skip(char::is_whitespace);
            if name.is_empty() || !cursor.eat('=') {
                // A bare token starts the next challenge (or is a token68, which no registry uses).
                cursor.at = mark;
                break;
            }
            cursor.skip(char::is_whitespace);
            let value = if cursor.eat('"') {
                cursor.quoted()
            } else {
                cursor.token().to_owned()
            };
            params.push((name.to_ascii_lowercase(), value));
        }
        let param = |key: &str| {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        if scheme.eq_ignore_ascii_case("basic") {
            found.push(Challenge::Basic);
        } else if scheme.eq_ignore_ascii_case("bearer")
            && let Some(realm) = param("realm")
        {
            found.push(Challenge::Bearer {
                realm,
                service: param("service"),
                scope: param("scope"),
            });
        }
    }
    found
}

struct Cursor<'s> {
    s: &'s str,
    at: usize,
}

impl<'s> Cursor<'s> {
    fn rest(&self) -> &'s str {
        &self.s[self.at..]
    }

    fn skip(&mut self, what: impl Fn(char) -> bool) {
        let rest = self.rest();
        let kept = rest.trim_start_matches(what);
        self.at += rest.len() - kept.len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// An RFC 9110 token: letters, digits and ``!#$%&'*+-.^_`|~``, plus `/` and `:` which
    /// unquoted realms and scopes carry in the wild.
    fn token(&mut self) -> &'s str {
        let rest = self.rest();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~/:".contains(c)))
            .unwrap_or(rest.len());
        self.at += end;
        &rest[..end]
    }

    /// The rest of a quoted string whose opening quote was eaten; `\x` stands for `x`.
    fn quoted(&mut self) -> String {
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return out;
                }
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        out.push(next);
                    }
                }
                c => out.push(c),
            }
        }
        self.at = self.s.len();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_and_basic() {
        let got = parse(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
        );
        assert_eq!(
            got,
            vec![Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/nginx:pull".into()),
            }]
        );
        assert_eq!(
            parse(r#"Basic realm="Registry Realm""#),
            vec![Challenge::Basic]
        );
        assert_eq!(parse("basic"), vec![Challenge::Basic]);
    }

    #[test]
    fn several_challenges_escapes_and_junk() {
        let got =
            parse(r#"Negotiate, Basic realm="a \"b\"", Bearer realm=http://t:1/x , service=s"#);
        assert_eq!(
            got,
            vec![
                Challenge::Basic,
                Challenge::Bearer {
                    realm: "http://t:1/x".into(),
                    service: Some("s".into()),
                    scope: None
                }
            ]
        );
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("Bearer service=x"), vec![]);
        assert_eq!(parse(r#"Bearer realm="unterminated"#).len(), 1);
        assert_eq!(parse("=,=;;\"\u{1b}"), vec![]);
    }
}
