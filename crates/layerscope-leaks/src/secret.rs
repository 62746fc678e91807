//! The secret scanner: the rule table compiled once, run on each file as its layer streams past.

use std::ops::Range;

use layerscope_tree::Inspector;
use regex::bytes::{
    Captures, Regex as BytesRegex, RegexBuilder as BytesRegexBuilder, RegexSet as BytesRegexSet,
    RegexSetBuilder as BytesRegexSetBuilder,
};
use regex::{Regex, RegexSet};
use schemars::JsonSchema;
use serde::Serialize;
use twox_hash::XxHash3_64;

use crate::error::LeakError;
use crate::rule::{RULES, Rule, Severity};
use crate::settings::ScanSettings;

/// Files larger than this are not read for secrets unless the config says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Text files do not hold NUL bytes early on; git decides "binary" from the same 8 KiB.
const BINARY_PROBE: usize = 8 * 1024;

/// A fixture or a dump can hold thousands of hits of one rule; a handful locate the problem.
const MAX_MATCHES_PER_RULE: usize = 20;

/// How far past an anchor hit a match may reach; a longer value is cut there.
const ANCHOR_WINDOW: usize = 512;

/// How much text before a value a masked excerpt keeps (the key name, as a rule).
const MAX_CONTEXT_CHARS: usize = 40;

/// One hit in one file. The path and layer come from the entry the scan attaches it to.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Index into [`SecretScanner::rules`].
    pub rule: u32,
    /// 1-based line of the match; 0 when the file is flagged by its name alone.
    pub line: u32,
    /// What may be shown: a masked value with the key before it, or a harmless label such as a
    /// PEM header followed by `…`. Empty for a file flagged by name.
    pub masked: String,
    /// The secret itself, so a report can mask it wherever else it appears (a build command
    /// that wrote it, say). Never printed; empty for a label or a file flagged by name.
    pub value: Box<[u8]>,
    /// Tells one secret from another: the same value found again (in a copy of the file, in
    /// a later layer) has the same identity, so a report lists it once with every place.
    pub identity: u64,
}

// The derived Debug would print the secret.
impl std::fmt::Debug for SecretMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretMatch")
            .field("rule", &self.rule)
            .field("line", &self.line)
            .field("masked", &self.masked)
            .finish_non_exhaustive()
    }
}

/// What a report needs to know about a rule, built-in or from the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleInfo {
    pub id: String,
    pub description: String,
    pub severity: Severity,
}

#[derive(Debug)]
struct Compiled {
    info: RuleInfo,
    content: Option<BytesRegex>,
    path: Option<Regex>,
    also: Option<BytesRegex>,
    /// With an anchor, `content` is compiled anchored (`^`) and tried at each anchor hit.
    anchor: Option<BytesRegex>,
    min_entropy: Option<f32>,
}

/// Looks for secrets in file contents and names. Built once per run; shared by every layer scan.
#[derive(Debug)]
pub struct SecretScanner {
    rules: Vec<Compiled>,
    /// Content regexes of the rules with no path condition: one pass tells which rules to run.
    anywhere: BytesRegexSet,
    anywhere_rules: Vec<usize>,
    /// Rules found through their anchors, each on its own.
    anchored_rules: Vec<usize>,
    by_path: RegexSet,
    by_path_rules: Vec<usize>,
    allow_paths: RegexSet,
    allow_fingerprints: Vec<String>,
    max_file_size: u64,
}

impl SecretScanner {
    /// The built-in rules, the default size cap and no allow-list.
    pub fn new() -> Result<SecretScanner, LeakError> {
        SecretScanner::with_settings(&ScanSettings::default())
    }

    /// The built-in rules followed by the user's own, with the size cap and allowed paths.
    pub fn with_settings(config: &ScanSettings) -> Result<SecretScanner, LeakError> {
        let mut rules = Vec::with_capacity(RULES.len() + config.custom_rules.len());
        for rule in RULES {
            rules.push(compile_builtin(rule)?);
        }
        for custom in &config.custom_rules {
            let regex =
                |source: &str| content_regex(source).map_err(|e| LeakError::regex(&custom.id, &e));
            rules.push(Compiled {
                info: RuleInfo {
                    id: custom.id.clone(),
                    description: custom.description.clone(),
                    severity: custom.severity,
                },
                content: Some(regex(&custom.regex)?),
                path: custom
                    .path
                    .as_deref()
                    .map(|p| Regex::new(p).map_err(|e| LeakError::regex(&custom.id, &e)))
                    .transpose()?,
                also: None,
                anchor: None,
                min_entropy: None,
            });
        }
        let (mut anywhere_rules, mut anchored_rules, mut by_path_rules) =
            (Vec::new(), Vec::new(), Vec::new());
        for (index, rule) in rules.iter().enumerate() {
            if rule.path.is_some() {
                by_path_rules.push(index);
            } else if rule.anchor.is_some() {
                anchored_rules.push(index);
            } else if rule.content.is_some() {
                anywhere_rules.push(index);
            }
        }
        let anywhere = BytesRegexSetBuilder::new(
            anywhere_rules
                .iter()
                .filter_map(|&i| rules[i].content.as_ref().map(BytesRegex::as_str)),
        )
        .unicode(false)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| LeakError::regex("(rule set)", &e))?;
        let by_path = RegexSet::new(
            by_path_rules
                .iter()
                .filter_map(|&i| rules[i].path.as_ref().map(Regex::as_str)),
        )
        .map_err(|e| LeakError::regex("(path set)", &e))?;
        let allow_paths =
            RegexSet::new(&config.allow_paths).map_err(|e| LeakError::regex("allowPaths", &e))?;
        Ok(SecretScanner {
            rules,
            anywhere,
            anywhere_rules,
            anchored_rules,
            by_path,
            by_path_rules,
            allow_paths,
            allow_fingerprints: config.allow_fingerprints.clone(),
            max_file_size: config.max_file_size,
        })
    }

    /// Every rule, in the order [`SecretMatch::rule`] counts them.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| &r.info)
    }

    /// The rule a match names.
    pub fn rule(&self, index: u32) -> Option<&RuleInfo> {
        self.rules.get(index as usize).map(|r| &r.info)
    }

    /// Files larger than this are not read.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// Whether the config allow-lists this absolute path (`/usr/share/doc/x`).
    pub fn is_allowed(&self, absolute: &str) -> bool {
        !self.allow_paths.is_empty() && self.allow_paths.is_match(absolute)
    }

    /// Whether the config allow-lists a finding by its fingerprint (`rule:path:line`).
    pub fn allows_fingerprint(&self, fingerprint: &str) -> bool {
        self.allow_fingerprints.iter().any(|f| f == fingerprint)
    }

    /// Every finding in `content`, as if it were the file at `path` (relative or absolute).
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretMatch> {
        let mut out = Vec::new();
        self.inspect(path, content, &mut out);
        out
    }

    fn collect(&self, index: usize, content: &[u8], found: &mut Vec<Candidate>) {
        let rule = &self.rules[index];
        let Some(regex) = &rule.content else {
            return;
        };
        if rule
            .also
            .as_ref()
            .is_some_and(|also| !also.is_match(content))
        {
            return;
        }
        let mut lines = LineCounter::default();
        let mut taken = 0;
        let mut take = |caps: &Captures, offset: usize| {
            let Some(candidate) = candidate(rule, index, content, caps, offset, &mut lines) else {
                return false;
            };
            // A label says "this file holds one"; the second PEM block in a bundle adds nothing.
            let enough = candidate.span.is_none() || taken + 1 == MAX_MATCHES_PER_RULE;
            found.push(candidate);
            taken += 1;
            enough
        };
        if let Some(anchor) = &rule.anchor {
            let mut resume = 0;
            for start in anchor.find_iter(content).map(|m| m.start()) {
                if start < resume {
                    continue;
                }
                let window = &content[start..content.len().min(start + ANCHOR_WINDOW)];
                // Most hits are ordinary words; telling so is far cheaper than capturing.
                if !regex.is_match(window) {
                    continue;
                }
                if let Some(caps) = regex.captures(window) {
                    resume = start + caps.get(0).map_or(1, |m| m.end().max(1));
                    if take(&caps, start) {
                        break;
                    }
                }
            }
        } else {
            for caps in regex.captures_iter(content) {
                if take(&caps, 0) {
                    break;
                }
            }
        }
    }
}

/// Turns one regex match into a finding, or `None` when its value does not look random enough.
/// `offset` is where the searched window starts in `content`.
fn candidate(
    rule: &Compiled,
    index: usize,
    content: &[u8],
    caps: &Captures,
    offset: usize,
    lines: &mut LineCounter,
) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let whole = offset + whole.start()..offset + whole.end();
    let (span, masked) = if let Some(secret) = caps.name("secret") {
        let secret = offset + secret.start()..offset + secret.end();
        let value = &content[secret.clone()];
        if let Some(bits) = rule.min_entropy
            && (!looks_random(value, bits) || looks_like_code(value, content.get(secret.end)))
        {
            return None;
        }
        if let Some(quote) = caps.name("quote")
            && !value_ends(quote.as_bytes().first().copied(), &content[secret.end..])
        {
            return None;
        }
        if documented_example(value) {
            return None;
        }
        let start = if secret.start > whole.start {
            key_start(content, whole.start)
        } else {
            whole.start
        };
        let key = excerpt(&content[start..secret.start]);
        (Some(secret), format!("{key}{}", mask(value)))
    } else if let Some(label) = caps.name("label") {
        (None, format!("{} …", excerpt(label.as_bytes())))
    } else {
        let masked = mask(&content[whole.clone()]);
        (Some(whole.clone()), masked)
    };
    Some(Candidate {
        rule: index,
        line: lines.line_at(content, whole.start),
        identity: XxHash3_64::oneshot(&content[span.clone().unwrap_or(whole)]),
        span,
        masked,
    })
}

impl Inspector for SecretScanner {
    type Finding = SecretMatch;

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= self.max_file_size
            && (self.allow_paths.is_empty() || !self.is_allowed(&absolute(path)))
    }

    fn inspect(&self, path: &str, content: &[u8], findings: &mut Vec<SecretMatch>) {
        let mut found = Vec::new();
        let path_hits = if self.by_path.is_empty() {
            Vec::new()
        } else {
            self.by_path.matches(&absolute(path)).into_iter().collect()
        };
        for &hit in &path_hits {
            let index = self.by_path_rules[hit];
            if self.rules[index].content.is_none() {
                findings.push(SecretMatch {
                    rule: index as u32,
                    line: 0,
                    masked: String::new(),
                    value: Box::default(),
                    identity: XxHash3_64::oneshot(content),
                });
            }
        }
        if content[..content.len().min(BINARY_PROBE)].contains(&0) {
            return;
        }
        for hit in &self.anywhere.matches(content) {
            self.collect(self.anywhere_rules[hit], content, &mut found);
        }
        for &index in &self.anchored_rules {
            self.collect(index, content, &mut found);
        }
        for hit in path_hits {
            self.collect(self.by_path_rules[hit], content, &mut found);
        }
        // Rules come in priority order: a value a specific rule already claimed is not reported
        // again by a generic one.
        found.sort_by_key(|c| (c.rule, c.line));
        let mut claimed: Vec<Range<usize>> = Vec::new();
        for candidate in found {
            if let Some(span) = &candidate.span {
                if claimed
                    .iter()
                    .any(|c| c.start < span.end && span.start < c.end)
                {
                    continue;
                }
                claimed.push(span.clone());
            }
            findings.push(SecretMatch {
                rule: candidate.rule as u32,
                line: candidate.line,
                masked: candidate.masked,
                value: candidate
                    .span
                    .map(|span| content[span].into())
                    .unwrap_or_default(),
                identity: candidate.identity,
            });
        }
    }
}

struct Candidate {
    rule: usize,
    /// The secret's bytes in the content; `None` for a label, which shows what it found.
    span: Option<Range<usize>>,
    line: u32,
    masked: String,
    identity: u64,
}

/// Counts lines forward from the last match, so a file costs one pass however many matches.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u32,
}

impl LineCounter {
    // Counting runs only between matches; memchr's speed is not worth a dependency here.
    #[allow(clippy::naive_bytecount)]
    fn line_at(&mut self, content: &[u8], offset: usize) -> u32 {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        let seen = content[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.newlines = self.newlines.saturating_add(seen as u32);
        self.offset = offset;
        self.newlines.saturating_add(1)
    }
}

fn compile_builtin(rule: &Rule) -> Result<Compiled, LeakError> {
    let bytes = |source: &str| content_regex(source).map_err(|e| LeakError::regex(rule.id, &e));
    Ok(Compiled {
        info: RuleInfo {
            id: rule.id.to_owned(),
            description: rule.description.to_owned(),
            severity: rule.severity,
        },
        content: match (rule.content, rule.anchor) {
            (Some(content), Some(_)) => Some(bytes(&format!("^(?:{content})"))?),
            (content, None) => content.map(bytes).transpose()?,
            (None, Some(_)) => None,
        },
        anchor: rule.anchor.map(bytes).transpose()?,
        path: rule
            .path
            .map(|p| Regex::new(p).map_err(|e| LeakError::regex(rule.id, &e)))
            .transpose()?,
        also: rule.also.map(bytes).transpose()?,
        min_entropy: rule.min_entropy,
    })
}

/// Content regexes run with Unicode off: `\b`, `\s` and classes are ASCII. A Unicode word
/// boundary makes the fast DFA give up on the first non-ASCII byte, and a changelog with one
/// accented name would then crawl through the slowest engine.
pub fn content_regex(source: &str) -> Result<BytesRegex, regex::Error> {
    BytesRegexBuilder::new(source).unicode(false).build()
}

fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Shannon entropy of `value` in bits per byte.
pub fn entropy(value: &[u8]) -> f32 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[b as usize] += 1;
    }
    let n = value.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

fn looks_random(value: &[u8], min_bits: f32) -> bool {
    value.iter().any(u8::is_ascii_digit)
        && value.iter().any(u8::is_ascii_alphabetic)
        && entropy(value) >= min_bits
}

/// `ed25519.Ed25519PrivateKey.from_bytes`, `exports.TOKEN_CHARS`, `b64encode(`, `SOME_CONSTANT`:
/// an expression on the right of `token =` in source code, not a literal.
fn looks_like_code(value: &[u8], next: Option<&u8>) -> bool {
    if matches!(next, Some(b'(' | b'[')) {
        return true;
    }
    let identifier = |part: &[u8]| {
        part.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && part.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    if value.contains(&b'.') && value.split(|&b| b == b'.').all(identifier) {
        return true;
    }
    // `MSV1_0_CREDENTIAL_KEY`, `x25519_private_key_bytes`: each word in one case. A random value
    // with an underscore almost never keeps one case on both sides of it.
    let one_case = |word: &[u8]| {
        !word.iter().any(u8::is_ascii_lowercase) || !word.iter().any(u8::is_ascii_uppercase)
    };
    value.contains(&b'_')
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        && value.split(|&b| b == b'_').all(one_case)
}

/// Whether a value stops where a literal does: at its closing quote, or unquoted at the end of
/// the line, a comment, `&`, `\\`, or a next `--flag`. `name: Type = …;` and prose do not.
fn value_ends(quote: Option<u8>, rest: &[u8]) -> bool {
    if let Some(quote) = quote {
        return rest.first() == Some(&quote);
    }
    let blanks = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    match rest.get(blanks) {
        None | Some(b'\n' | b'\r' | b'#' | b'&' | b'\\') => true,
        Some(b'-') => blanks > 0,
        Some(_) => false,
    }
}

/// Values the vendors' own documentation prints (`AKIAIOSFODNN7EXAMPLE`, the AWS examples):
/// a README or a test fixture quoting one holds no secret. Vendors mark them with the word.
fn documented_example(value: &[u8]) -> bool {
    value
        .windows(EXAMPLE.len())
        .any(|w| w.eq_ignore_ascii_case(EXAMPLE))
}

const EXAMPLE: &[u8] = b"example";

/// Shows at most 4 characters at each end, and only of long values; the stars are capped so a
/// masked value does not give away its exact length either.
pub fn mask(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let shown = match n {
        20.. => 4,
        12..20 => 2,
        _ => 0,
    };
    let stars = (n - 2 * shown).clamp(1, 16);
    let mut out: String = printable_chars(&chars[..shown]);
    out.extend(std::iter::repeat_n('*', stars));
    out.push_str(&printable_chars(&chars[n - shown..]));
    out
}

fn printable_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|&c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The key in front of a value: identifier characters before the match start, so a rule that
/// matched from `PASSWORD` in `DB_PASSWORD=` still shows the whole key.
fn key_start(content: &[u8], start: usize) -> usize {
    let floor = start.saturating_sub(MAX_CONTEXT_CHARS);
    let mut i = start;
    while i > floor
        && matches!(content[i - 1], b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.')
    {
        i -= 1;
    }
    i
}

/// Text fit for one line of a report: whitespace runs collapsed, control characters gone, the
/// head cut when long (the end, next to the value, is what names it).
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if text.ends_with(|c: char| c.is_whitespace()) && !out.is_empty() {
        out.push(' ');
    }
    let count = out.chars().count();
    if count > MAX_CONTEXT_CHARS {
        let tail: String = out.chars().skip(count - MAX_CONTEXT_CHARS).collect();
        out = format!("…{tail}");
    }
    out
}
