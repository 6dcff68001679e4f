"""The project's own files, as git sees them: what it tracks plus what it would add (untracked, not ignored),
never a virtual environment (a folder holding pyvenv.cfg, whatever its name, ignored or not)."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_files(listed: list[str]) -> list[str]:
    """`listed` (paths relative to the root) without the files of any virtual environment among them."""
    venvs = [f[: -len("pyvenv.cfg")] for f in listed if f == "pyvenv.cfg" or f.endswith("/pyvenv.cfg")]
    return sorted(f for f in set(listed) if f and not any(f.startswith(v) for v in venvs))


def listed_files() -> list[str]:
    """Tracked files and untracked files git would add, less virtual environments; only those that exist."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [f for f in project_files(out.splitlines()) if (ROOT / f).is_file()]
