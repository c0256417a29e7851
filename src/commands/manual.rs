//! `completions SHELL` and `man`: a shell completion script and the manual page, on stdout.
//! Both are generated from the clap definitions, so they always match the binary.

use clap_complete::Shell;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "cavra-tui", &mut out);
    out
}

/// The manual page (roff, section 1): synopsis, global options, then every subcommand with
/// its own options (one self-contained page, so `man -l -` shows it all), filter syntax and
/// exit codes.
pub fn man() -> std::io::Result<Vec<u8>> {
    let cmd = crate::cli::command();
    let page = clap_mangen::Man::new(cmd.clone()).manual("cavra-tui manual");
    let mut out = Vec::new();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    commands(&cmd, "cavra-tui", &mut out)?;
    page.render_extra_section(&mut out)?;
    page.render_version_section(&mut out)?;
    Ok(tidy(&String::from_utf8_lossy(&out)).into_bytes())
}

/// The page starting with its `.TH` line, the apostrophe string defined once after it (each
/// rendered section repeats the definition), and the after-help section named for what it is.
fn tidy(text: &str) -> String {
    const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
    let mut lines: Vec<&str> = text.lines().filter(|l| !PREAMBLE.contains(l)).collect();
    let th = lines
        .iter()
        .position(|l| l.starts_with(".TH "))
        .unwrap_or(0);
    lines.splice(th + 1..th + 1, PREAMBLE);
    let mut page = lines
        .join("\n")
        .replace(".SH EXTRA", ".SH \"FILTERS AND EXIT STATUS\"");
    page.push('\n');
    page
}

/// A `.SS` subsection for each subcommand under `cmd` (depth first): its about text and options.
fn commands(cmd: &clap::Command, prefix: &str, out: &mut Vec<u8>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix} {}", sub.get_name());
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        out.extend_from_slice(format!(".SS \"{}\"\n{}\n", roff(&name), roff(&about)).as_bytes());
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            let mut options = Vec::new();
            clap_mangen::Man::new(sub.clone().disable_help_flag(true))
                .render_options_section(&mut options)?;
            let text = String::from_utf8_lossy(&options);
            // Its options, under this subsection rather than a new OPTIONS section.
            out.extend(text.replacen(".SH OPTIONS\n", "", 1).bytes());
        }
        commands(sub, &name, out)?;
    }
    Ok(())
}

/// Plain text as roff: backslashes and hyphens escaped, no line read as a request.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e")
        .replace('-', "\\-")
        .lines()
        .map(|l| {
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `completions` / `man`; `None` for any other command.
pub fn run(cmd: &crate::cli::Command) -> Option<u8> {
    use std::io::Write;
    let text = match cmd {
        crate::cli::Command::Completions { shell } => completions(*shell),
        crate::cli::Command::Man => match man() {
            Ok(t) => t,
            Err(e) => {
                crate::errln!("error: cannot render the manual page: {e}");
                return Some(1);
            }
        },
        _ => return None,
    };
    // `print!` so a closed pipe ends quietly through the panic hook (exit 141).
    crate::out!("{}", String::from_utf8_lossy(&text));
    let _ = std::io::stdout().flush();
    Some(0)
}
