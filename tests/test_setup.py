"""The Makefile's set-up: it takes any Python >= 3.11 it finds, and `make run` serves on PORT=."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

MAKE = shutil.which("make")


def fake_python(folder: Path, name: str, minor: int) -> Path:
    """A stand-in interpreter that answers the Makefile's version check as Python 3.<minor> would."""
    path = folder / name
    path.write_text(f"#!/bin/sh\nexit {0 if minor >= 11 else 1}\n")
    path.chmod(0o755)
    return path


def chosen_python(path_dirs: list[Path]) -> str:
    """The interpreter the Makefile picks with only ``path_dirs`` on PATH."""
    env = {**os.environ, "PATH": os.pathsep.join(str(d) for d in path_dirs)}
    env.pop("PY", None)
    out = subprocess.run(
        [MAKE, "-s", "-C", str(ROOT), "--eval", "print-py: ; $(info PY=$(PY))", "print-py"],
        env=env, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip().removeprefix("PY=")


def tools_only(tmp: Path) -> Path:
    """A folder with the shell and make only, so no real python of this machine is on PATH."""
    tools = tmp / "tools"
    tools.mkdir()
    for name in ("sh", "make"):
        (tools / name).symlink_to(shutil.which(name))
    return tools


def test_a_newer_python_is_taken_when_python3_is_too_old(tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", 10)
    wanted = fake_python(bin_, "python3.13", 13)
    assert chosen_python([bin_, tools_only(tmp_path)]) == str(wanted)


def test_python3_is_taken_when_new_enough(tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    wanted = fake_python(bin_, "python3", 12)
    fake_python(bin_, "python3.11", 11)
    assert chosen_python([bin_, tools_only(tmp_path)]) == str(wanted)


def test_no_python_new_enough_is_reported(tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", 10)
    tools = tools_only(tmp_path)
    assert chosen_python([bin_, tools]) == ""
    env = {**os.environ, "PATH": os.pathsep.join([str(bin_), str(tools)])}
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, copy / name)
    proc = subprocess.run([MAKE, "-C", str(copy), "setup"], env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Python >= 3.11 is needed" in proc.stdout + proc.stderr


def test_make_run_serves_on_the_port_given():
    out = subprocess.run([MAKE, "-n", "-C", str(ROOT), "run", "PORT=8123"], capture_output=True, text=True, check=True).stdout
    assert "serve.py --host 127.0.0.1 --port 8123" in out
