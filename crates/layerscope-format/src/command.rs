//! How a layer's build command is shown. The history records `created_by` as the builder wrote
//! it: `/bin/sh -c apt-get …` for a classic `RUN`, `/bin/sh -c #(nop) COPY …` for the other
//! instructions, `RUN /bin/sh -c …` or `|2 A=1 B=2 /bin/sh -c …` from `BuildKit`.

use std::borrow::Cow;

use crate::text;

/// The shell wrapper a classic builder puts in front of every step.
const SHELL: &str = "/bin/sh -c ";

/// The marker of an instruction that ran no shell.
const NOP: &str = "#(nop)";

/// The command as dive lists it: the leading `/bin/sh -c ` dropped, everything else kept.
pub fn display(created_by: &str) -> &str {
    created_by.strip_prefix(SHELL).unwrap_or(created_by)
}

/// The instruction itself, for a one-line summary: the build arguments a builder records in
/// front of a `RUN` (`|2 A=1 B=2`), the shell wrapper and the `#(nop)` marker dropped and the
/// ends trimmed (`COPY file:… in /app`, `apt-get install -y curl`).
pub fn instruction(created_by: &str) -> &str {
    let command = display(without_build_args(created_by.trim()));
    command.strip_prefix(NOP).unwrap_or(command).trim()
}

/// `created_by` without the `|N K=V …` prefix (`BuildKit` writes it after `RUN `).
fn without_build_args(created_by: &str) -> &str {
    let line = created_by.strip_prefix("RUN ").unwrap_or(created_by);
    let Some(rest) = line.strip_prefix('|') else {
        return created_by;
    };
    let Some((count, mut rest)) = rest.split_once(' ') else {
        return created_by;
    };
    let Ok(count) = count.parse::<usize>() else {
        return created_by;
    };
    for _ in 0..count {
        match rest.split_once(' ') {
            Some((arg, after)) if arg.contains('=') => rest = after,
            _ => return created_by,
        }
    }
    rest
}

/// A summary fit for one line of a report: the instruction, printable, line breaks shown as
/// `↵`, cut to `max` characters.
pub fn short(created_by: &str, max: usize) -> String {
    let line = text::one_line(instruction(created_by));
    match text::truncate(&line, max) {
        Cow::Borrowed(_) => line,
        Cow::Owned(cut) => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_the_wrapper_dive_drops() {
        assert_eq!(display("/bin/sh -c apt-get update"), "apt-get update");
        assert_eq!(
            display("/bin/sh -c #(nop)  CMD [\"sh\"]"),
            "#(nop)  CMD [\"sh\"]"
        );
        assert_eq!(display("RUN /bin/sh -c make"), "RUN /bin/sh -c make");
    }

    #[test]
    fn instruction_drops_the_nop_marker() {
        assert_eq!(
            instruction(" /bin/sh -c #(nop) COPY file:ab in /app "),
            "COPY file:ab in /app"
        );
        assert_eq!(instruction("/bin/sh -c make"), "make");
    }

    #[test]
    fn instruction_drops_the_build_arguments() {
        assert_eq!(instruction("|1 NPM_TOKEN=npm_x /bin/sh -c rm /a"), "rm /a");
        assert_eq!(instruction("RUN |2 A=1 B=2 /bin/sh -c make"), "make");
        assert_eq!(instruction("|x not args"), "|x not args");
        assert_eq!(instruction("|2 A=1 /bin/sh -c x"), "|2 A=1 /bin/sh -c x");
    }

    #[test]
    fn short_is_one_printable_line() {
        assert_eq!(short("/bin/sh -c a &&\n  b", 60), "a &&↵  b");
        assert_eq!(short("/bin/sh -c abcdefgh", 5), "abcd…");
        assert_eq!(short("x\u{1b}[2J", 60), "x\\u{1b}[2J");
    }
}
