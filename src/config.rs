//! The TOML config file: operator name, theme, key overrides, store and export paths.
//!
//! Unknown keys, at any depth (`contexts.lab.readonyl`), are found by `serde_ignored` while the
//! file is read and warned about, not fatal; a broken file is an error that names the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The built-in sample context's name.
pub const SAMPLE: &str = "sample";

/// The settings, with defaults filled in.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    /// Recorded as `acknowledged_by` / `generated_by`. Default: the OS user.
    pub operator: Option<String>,
    /// `dark`, `light`, `mono`, or a path to a theme TOML. `NO_COLOR` forces `mono`.
    pub theme: String,
    /// The sample store. Default: the data dir's `sample.db`.
    pub db_path: Option<PathBuf>,
    /// Where audit exports are written. Default: the data dir's `exports/`.
    pub export_dir: Option<PathBuf>,
    /// Seconds between automatic refreshes of the routes pane (0 = never).
    pub refresh_seconds: u64,
    /// Key overrides: action name to one key or a list of keys (see `--print-default-config`).
    pub keys: BTreeMap<String, KeyList>,
    /// The context used when none is named (`sample` when absent).
    pub default_context: Option<String>,
    /// Remote CAVRA servers by name.
    pub contexts: BTreeMap<String, ContextConfig>,
    /// The largest server response read, in MiB; a larger one is abandoned with an error.
    pub max_response_mib: u64,
    /// Draw with ASCII only (also on when the locale is not UTF-8).
    pub ascii: bool,
    /// Mouse: click selects, the wheel scrolls, a click on a tab switches pane (off by default
    /// so the terminal's own text selection works).
    pub mouse: bool,
    /// Colours the terminal takes (`truecolor`, `256`, `16`); absent: detected from
    /// `COLORTERM` and `TERM`. `--colour-depth` overrides it.
    pub colour_depth: Option<crate::theme::ColourDepth>,
    /// How times are shown: `utc` (`…Z`) or `local` (with the local offset).
    pub time_zone: crate::domain::time::Zone,
}

/// One remote context: `[contexts.NAME]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ContextConfig {
    /// The server's base URL, e.g. `https://cavra.example.com`.
    pub api_url: String,
    /// Recorded as `acknowledged_by` on this server (overrides the top-level `operator`).
    pub operator: Option<String>,
    /// Hide every mutation for this context (`[contexts.sample]` takes only this key).
    pub readonly: bool,
    /// A PEM file of extra CA certificates for a private CA.
    pub ca_file: Option<PathBuf>,
}

/// One key or several, as written in `[keys]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            operator: None,
            theme: "dark".into(),
            db_path: None,
            export_dir: None,
            refresh_seconds: 60,
            keys: BTreeMap::new(),
            default_context: None,
            contexts: BTreeMap::new(),
            max_response_mib: 64,
            ascii: false,
            mouse: false,
            colour_depth: None,
            time_zone: crate::domain::time::Zone::Utc,
        }
    }
}

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path} is broken: {source}")]
    Parse { path: PathBuf, source: ConfigSyntax },
}

/// What is wrong in config text, on one line naming the line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigSyntax(pub String);

/// A loaded config plus what was odd about it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
    /// The file it came from, when one existed.
    pub path: Option<PathBuf>,
}

impl Config {
    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.into(),
                    source,
                });
            }
        };
        let mut loaded = Config::parse(&text).map_err(|source| ConfigError::Parse {
            path: path.into(),
            source,
        })?;
        loaded.path = Some(path.into());
        Ok(loaded)
    }

    /// Parses config text; the error message names the line and column.
    pub fn parse(text: &str) -> Result<Loaded, ConfigSyntax> {
        let de = toml::Deserializer::parse(text).map_err(|e| one_line(&e.to_string()))?;
        let mut warnings = Vec::new();
        let config: Config = serde_ignored::deserialize(de, |path| {
            warnings.push(format!("unknown config key '{path}' ignored"));
        })
        .map_err(|e| one_line(&e.to_string()))?;
        if let Some(sample) = config.contexts.get(SAMPLE) {
            if !sample.api_url.is_empty() || sample.ca_file.is_some() || sample.operator.is_some() {
                warnings.push(
                    "[contexts.sample] takes only `readonly`; its other keys are ignored".into(),
                );
            }
        }
        Ok(Loaded {
            config,
            warnings,
            path: None,
        })
    }

    /// The operator name: the config's, else the OS user, else `operator`.
    pub fn operator_name(&self) -> String {
        self.operator
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
            .or_else(|| std::env::var("USERNAME").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "operator".into())
    }
}

fn one_line(msg: &str) -> ConfigSyntax {
    ConfigSyntax(
        msg.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "|")
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The documented default config, printed by `--print-default-config`.
pub fn default_config_text(keymap_section: &str) -> String {
    format!(
        "# cavra-tui configuration ({})\n\
         # Every setting is optional; the values below are the defaults.\n\n\
         # Recorded as acknowledged_by / generated_by. Default: your OS user name.\n\
         # operator = \"alice\"\n\n\
         # dark | light | mono | a path to a theme TOML. NO_COLOR=1 always selects mono.\n\
         theme = \"dark\"\n\n\
         # The sample-mode SQLite store. Default: {}\n\
         # db_path = \"/path/to/sample.db\"\n\n\
         # Where `x` / export-audit write packages. Default: {}\n\
         # export_dir = \"/path/to/exports\"\n\n\
         # Seconds between automatic refreshes (0 = only on ctrl-r).\n\
         refresh_seconds = 60\n\n\
         # The largest response read from a server, in MiB; a larger one is abandoned with an error.\n\
         max_response_mib = 64\n\n\
         # Draw with ASCII only (automatic when the locale is not UTF-8, e.g. LANG=C).\n\
         # ascii = true\n\n\
         # Mouse: click selects, the wheel scrolls, a click on a tab switches pane.\n\
         # mouse = true\n\n\
         # Times: \"utc\" (2026-11-29 16:19:35Z) or \"local\" (2026-11-29 17:19:35+01:00).\n\
         time_zone = \"utc\"\n\n\
         # Colours: \"truecolor\", \"256\" or \"16\". Default: detected (24-bit only where\n\
         # COLORTERM is truecolor/24bit; 256 where TERM names 256color; else 16).\n\
         # colour_depth = \"256\"\n\n\
         # Remote CAVRA servers. With none named (here, --context, --api or CAVRA_API_URL) the\n\
         # console stays in sample mode. Tokens live in the OS keyring: cavra-tui login --context prod\n\
         # default_context = \"prod\"\n\
         # [contexts.prod]\n\
         # api_url = \"https://cavra.example.com\"\n\
         # operator = \"alice\"\n\
         # readonly = true\n\
         # ca_file = \"/etc/ssl/private-ca.pem\"\n\
         # [contexts.sample]\n\
         # readonly = true          # the local sample store, read-only (also: --readonly)\n\n\
         # Key overrides: action = \"key\" or [\"key\", \"key\"]. Keys: a, A, ctrl-r, enter, esc, tab,\n\
         # space, up, down, pgup, pgdn, home, end, f1 ...\n\
         [keys]\n{}",
        crate::paths::config_file().display(),
        crate::paths::sample_db().display(),
        crate::paths::export_dir().display(),
        keymap_section
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_gives_defaults() {
        let l = Config::parse("").unwrap();
        assert_eq!(l.config, Config::default());
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn unknown_keys_are_warned_not_fatal() {
        let l = Config::parse("operator = \"bob\"\ncolour = \"red\"\n").unwrap();
        assert_eq!(l.config.operator.as_deref(), Some("bob"));
        assert_eq!(l.warnings, ["unknown config key 'colour' ignored"]);
        assert_eq!(l.config.operator_name(), "bob");
    }

    #[test]
    fn documented_keys_are_not_flagged() {
        let text = "default_context = \"prod\"\ntime_zone = \"local\"\ncolour_depth = \"256\"\n\
            [contexts.prod]\napi_url = \"https://cavra.example.com\"\noperator = \"alice\"\n\
            readonly = true\nca_file = \"/etc/ssl/ca.pem\"\n[contexts.sample]\nreadonly = true\n\
            [keys]\nquit = [\"q\", \"ctrl-q\"]\n";
        let l = Config::parse(text).unwrap();
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(l.config.default_context.as_deref(), Some("prod"));
        assert!(l.config.contexts["prod"].readonly);
        assert_eq!(l.config.time_zone, crate::domain::time::Zone::Local);
        assert_eq!(
            l.config.colour_depth,
            Some(crate::theme::ColourDepth::Ansi256)
        );
        let l = Config::parse(&default_config_text("")).unwrap();
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    }

    #[test]
    fn a_misspelt_key_inside_a_context_is_flagged_with_its_path() {
        let text = "[contexts.lab]\napi_url = \"https://lab\"\nreadonyl = true\n";
        let l = Config::parse(text).unwrap();
        assert_eq!(
            l.warnings,
            ["unknown config key 'contexts.lab.readonyl' ignored"]
        );
        assert!(!l.config.contexts["lab"].readonly);
        let l = Config::parse("[contexts.sample]\napi_url = \"https://x\"\n").unwrap();
        assert!(
            l.warnings[0].contains("takes only `readonly`"),
            "{:?}",
            l.warnings
        );
    }

    #[test]
    fn bad_values_of_the_new_keys_name_the_line() {
        let err = Config::parse("time_zone = \"mars\"\n").unwrap_err().0;
        assert!(err.contains("line 1"), "{err}");
        let err = Config::parse("\ncolour_depth = \"64\"\n").unwrap_err().0;
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_broken_file_names_the_line() {
        let err = Config::parse("theme = \"dark\"\noperator = \n")
            .unwrap_err()
            .0;
        assert!(err.contains("line 2"), "{err}");
        let err = Config::parse("theme = 5\n").unwrap_err().0;
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn keys_take_one_or_many() {
        let l = Config::parse("[keys]\nacknowledge = \"K\"\nquit = [\"q\", \"ctrl-q\"]\n").unwrap();
        assert_eq!(l.config.keys["acknowledge"].keys(), ["K"]);
        assert_eq!(l.config.keys["quit"].keys(), ["q", "ctrl-q"]);
    }

    #[test]
    fn the_response_cap_is_configurable() {
        let l = Config::parse("max_response_mib = 8\n").unwrap();
        assert_eq!(l.config.max_response_mib, 8);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(Config::default().max_response_mib, 64);
    }

    #[test]
    fn default_text_parses_back_to_defaults() {
        let text = default_config_text("");
        assert_eq!(Config::parse(&text).unwrap().config, Config::default());
    }
}
