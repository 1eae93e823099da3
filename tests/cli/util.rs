//! A hermetic command builder: the built binary, run from a temporary directory, with the
//! environment variables that change output (colour, width, pager, CI) removed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The catalog version the tests run against unless they choose one: pinned, so that a new
/// release table (a new default) changes no expected output. `Cmd::default_version` unpins.
pub const PINNED: &str = "0.8.3";

pub struct TestDir {
    dir: tempfile::TempDir,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
    pub raw_stderr: Vec<u8>,
}

/// The repository's `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

impl TestDir {
    pub fn new() -> Self {
        TestDir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies `tests/fixtures/<fixture>` (file or directory) to `<dir>/<name>`.
    pub fn copy(&self, fixture_name: &str, name: &str) -> &Self {
        copy_tree(&fixture(fixture_name), &self.path().join(name));
        self
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn command(&self, args: &[&str]) -> Cmd {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cyoda"));
        command.args(args).current_dir(self.path());
        for var in [
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
            "LINES",
            "TERM",
            "PAGER",
            "CI",
            "CYODA_SERVER_VERSION",
        ] {
            command.env_remove(var);
        }
        command.env("CYODA_SERVER_VERSION", PINNED);
        Cmd {
            command,
            stdin: Vec::new(),
        }
    }

    /// `cyoda check ARGS…`.
    pub fn check(&self, args: &[&str]) -> Output {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        self.command(&all).run()
    }
}

pub struct Cmd {
    pub command: Command,
    stdin: Vec<u8>,
}

impl Cmd {
    /// Runs without the pinned catalog version: the tool's own default applies.
    pub fn default_version(mut self) -> Self {
        self.command.env_remove("CYODA_SERVER_VERSION");
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.stdin = bytes.as_ref().to_vec();
        self
    }

    pub fn run(mut self) -> Output {
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = std::mem::take(&mut self.stdin);
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Output::from_process(output)
    }
}

impl Output {
    /// What a finished `cyoda` left behind; a signal death or a panic (exit 101) fails the test.
    fn from_process(output: std::process::Output) -> Output {
        let code = output.status.code().expect("cyoda exited with a status");
        assert_ne!(
            code,
            101,
            "cyoda panicked: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Output {
            code,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            raw_stdout: output.stdout,
            raw_stderr: output.stderr,
        }
    }

    /// The rule ids reported, in output order (`error[rule]` / `warning[rule]`).
    pub fn rules(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|line| {
                let start = line.find(": error[").or_else(|| line.find(": warning["))?;
                let rest = &line[start..];
                let open = rest.find('[')?;
                let close = rest.find(']')?;
                Some(rest[open + 1..close].to_string())
            })
            .collect()
    }

    /// The summary line of a human report (the per-rule tally follows it).
    pub fn summary(&self) -> &str {
        self.stdout
            .lines()
            .rfind(|line| line.starts_with("checked "))
            .unwrap_or_default()
    }
}

/// The name the shell and export tests use for a [`TestDir`].
pub type Sandbox = TestDir;

impl Default for TestDir {
    fn default() -> Self {
        Self::new()
    }
}

impl TestDir {
    /// `cyoda ARGS…` as a plain [`Command`], for tests that set it up further themselves.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.command(args).command
    }
}

/// Runs `command` to completion; a signal death or a panic fails the test.
pub fn run(command: &mut Command) -> Output {
    Output::from_process(command.output().expect("run cyoda"))
}

/// `cyoda ARGS…` in a fresh temporary directory.
pub fn cyoda(args: &[&str]) -> Output {
    TestDir::new().command(args).run()
}

impl TestDir {
    /// Runs `cyoda ARGS…`, reads `limit` bytes of its stdout (none: closes it at once), then
    /// closes the pipe; returns the exit code and stderr.
    pub fn close_stdout_after(&self, args: &[&str], limit: usize) -> (Option<i32>, String) {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = vec![0; limit];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}
