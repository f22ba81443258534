"""``--changed-since REF``: keep only the targeted pages that changed since a git ref.

When a changed file under a target's root is a stylesheet, script or template, every page
under that root may look different, so all of them are kept.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..pipeline.targets import Target

SHARED_SUFFIXES = {".css", ".scss", ".sass", ".less", ".js", ".mjs", ".cjs", ".ts", ".json",
                   ".njk", ".twig", ".hbs", ".handlebars", ".j2", ".jinja", ".jinja2", ".liquid", ".mustache",
                   ".tmpl", ".tpl", ".erb", ".ejs", ".pug", ".vue", ".svelte", ".astro"}


class ChangedError(RuntimeError):
    """git could not answer (not a repository, unknown ref)."""


def _git(args: list[str], cwd: Path) -> list[str]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangedError(f"git failed ({exc})") from None
    if done.returncode != 0:
        cause = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise ChangedError(f"git {' '.join(args[:2])}: {cause}")
    return [line for line in done.stdout.splitlines() if line.strip()]


def changed_files(ref: str, cwd: Path | None = None) -> set[Path]:
    """Files changed between ``ref`` and the working tree, untracked ones included (absolute)."""
    folder = cwd or Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], folder)[0])
    names = _git(["diff", "--name-only", "--no-renames", ref, "--"], folder)
    names += _git(["ls-files", "--others", "--exclude-standard"], top)
    return {(top / name).resolve() for name in names}


def filter_changed(targets: list[Target], changed: set[Path]) -> list[Target]:
    """The targets to audit: changed pages, or all pages of a root whose shared files changed."""
    kept = []
    for target in targets:
        if target.path is None or target.root is None:
            kept.append(target)  # URLs and bad targets: git cannot tell, so keep them
            continue
        root = target.root.resolve()
        shared_change = any(p.suffix.lower() in SHARED_SUFFIXES and root in p.parents for p in changed)
        if shared_change or target.path.resolve() in changed:
            kept.append(target)
    return kept
