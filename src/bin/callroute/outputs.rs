//! Output paths, checked before any simulation runs.

use std::path::{Path, PathBuf};

/// The files a run will write, each known to be writable.
pub struct Outputs {
    json: Option<PathBuf>,
}

impl Outputs {
    /// Checks that directory `dir` (created if missing) and file `json`
    /// can be written, before anything is simulated: a run of minutes
    /// must not end on a path it could not write.
    pub fn check(dir: Option<&Path>, json: Option<&Path>) -> Result<Self, String> {
        if let Some(dir) = dir {
            writable_dir(dir)?;
        }
        if let Some(file) = json {
            writable_file(file)?;
        }
        Ok(Outputs {
            json: json.map(Path::to_path_buf),
        })
    }

    /// Writes `value` as JSON to the `--json` file, if one was given.
    pub fn write_json(&self, value: &impl serde::Serialize) -> Result<(), String> {
        let Some(path) = &self.json else {
            return Ok(());
        };
        let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
        write_whole(path, |aside| {
            std::fs::write(aside, text).map_err(|e| format!("{}: {e}", aside.display()))
        })?;
        say!("Wrote {}", path.display());
        Ok(())
    }
}

/// Creates `dir` if missing and checks that a file can be made in it.
fn writable_dir(dir: &Path) -> Result<(), String> {
    let name = dir.display();
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{name}: cannot create the directory: {e}"))?;
    // Named by the process: tasks of one job may check one directory at
    // once.
    let probe = dir.join(format!(".callroute-write-check.{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("{name}: cannot write there: {e}"))?;
    std::fs::remove_file(&probe).map_err(|e| format!("{name}: {e}"))
}

/// Checks that `file` can be written, leaving an existing file as it is
/// and no new file behind.
pub fn writable_file(file: &Path) -> Result<(), String> {
    let name = file.display();
    if file.is_dir() {
        return Err(format!("{name}: is a directory, not a file"));
    }
    let existed = file.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(file)
        .map_err(|e| format!("{name}: cannot write there: {e}"))?;
    if !existed {
        std::fs::remove_file(file).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Writes `path` whole: `write` writes a file beside it, which then takes
/// its place, so that tasks writing the same file at once (the tasks of
/// a shared study) leave one of their files, never a mix.
pub fn write_whole(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.part", std::process::id()));
    let aside = path.with_file_name(name);
    let written = write(&aside);
    if written.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    written?;
    std::fs::rename(&aside, path).map_err(|e| format!("{}: {e}", path.display()))
}
