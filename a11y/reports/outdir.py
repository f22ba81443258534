"""The report folder (``--out DIR``): a11y replaces only what it wrote there, and a run's whole set at once.

``DIR/.a11y-manifest.json`` lists the names a11y wrote in DIR: report files and the ``a11y-assets/``
folder. Only names a11y can write are ever read from it, so an edited manifest cannot make a11y
touch anything else. Anything in DIR the manifest does not list is never written, moved or removed;
a name this run would write that exists but is not listed (a user's own ``report.html``) stops the
run before the audit (:func:`check_out_dir`) rather than being overwritten.

:func:`publish` writes the whole set into a staging folder inside DIR (``DIR/.a11y-staging-*``:
always the same filesystem as DIR, and no write access to DIR's parent is needed, as ``--out .``
would otherwise), then swaps it in:

1. the manifest is rewritten to list the old names and the new ones, so a swap cut short (a crash,
   SIGKILL) leaves nothing a later run would take for a user's file;
2. each new name is renamed into DIR with ``os.replace`` (an old ``a11y-assets/`` is first moved
   aside into the staging folder);
3. names of the old set that this run did not write are removed;
4. the manifest is rewritten with this run's names, and the staging folder removed.

What is atomic: each name (a reader sees the old or the new ``report.json``, never half of one),
and the writing as a whole: every byte is written before any old file is touched, so a full disk
or a permission error while writing leaves the old set whole. The swap is a few renames, not one:
a reader during those milliseconds may find new files beside old ones.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from . import ASSETS_DIR, REPORT_NAMES, write_atomic

MANIFEST = ".a11y-manifest.json"
MANIFEST_SCHEMA = "a11y-manifest/1"
STAGING_PREFIX = ".a11y-staging-"
# Every name a11y may write in DIR, and so the only ones a manifest can hand over to it.
OWNED_NAMES = (*REPORT_NAMES, ASSETS_DIR)


class OutDirError(Exception):
    """The report folder cannot be used as asked; the message names it and the cause."""


def read_manifest(out_dir: Path) -> set[str]:
    """The names an earlier run wrote in ``out_dir`` (empty when it has no manifest)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as exc:
        raise OutDirError(f"--out {out_dir}: {MANIFEST} is unreadable ({exc}); remove it if a11y's reports there can go") from None
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA or not isinstance(data.get("files"), list):
        raise OutDirError(f"--out {out_dir}: {MANIFEST} is not a11y's manifest (expected schema {MANIFEST_SCHEMA})")
    return {name for name in data["files"] if name in OWNED_NAMES}


def write_manifest(out_dir: Path, names: Iterable[str]) -> None:
    data = {"schema": MANIFEST_SCHEMA, "files": sorted(set(names))}
    write_atomic(out_dir / MANIFEST, json.dumps(data, indent=2) + "\n")


def check_out_dir(out_dir: Path, names: Iterable[str]) -> None:
    """Before the audit: ``out_dir`` is (or can be made) a writable folder, and none of ``names``
    there is a file a11y did not write. Creates the folder; raises :class:`OutDirError`."""
    where = f"--out {out_dir}"
    if out_dir.exists() and not out_dir.is_dir():
        raise OutDirError(f"{where}: is a file, not a folder")
    for parent in out_dir.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutDirError(f"{where}: {parent} is a file, not a folder")
            break
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutDirError(f"{where}: cannot create the folder: {exc.strerror or exc}") from None
    try:
        Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir)).rmdir()  # a real write, as root on a read-only disk fails too
    except OSError as exc:
        raise OutDirError(f"{where}: cannot write in the folder: {exc.strerror or exc}") from None
    _refuse_foreign(out_dir, names, read_manifest(out_dir))


def _refuse_foreign(out_dir: Path, names: Iterable[str], owned: set[str]) -> None:
    for name in names:
        if name not in owned and os.path.lexists(out_dir / name):
            raise OutDirError(f"--out {out_dir}: {name} is there and a11y did not write it ({MANIFEST} does not list it); "
                              "move it away or choose another --out")


def publish(out_dir: Path, write: Callable[[Path], object], replace_set: bool = True) -> list[str]:
    """Call ``write(folder)`` on a staging folder, then swap what it wrote into ``out_dir``.

    ``replace_set``: names of the earlier run that this one did not write are removed (an audit's
    set of reports); else they are kept (``a11y acr`` adds its file beside an audit's). Returns the
    names written. If ``write`` fails, nothing in ``out_dir`` has changed.
    """
    staging: Path | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        write(staging)
        new = sorted(p.name for p in staging.iterdir())
    except OSError as exc:
        raise OutDirError(f"--out {out_dir}: could not write the reports ({exc.strerror or exc}); "
                          "the reports there are unchanged") from None
    finally:
        if staging is not None and sys.exc_info()[0] is not None:
            shutil.rmtree(staging, ignore_errors=True)
    try:
        _swap(out_dir, staging, new, replace_set)
    except OSError as exc:
        raise OutDirError(f"--out {out_dir}: could not swap in the new reports ({exc.strerror or exc}); "
                          "the folder may hold new reports beside old ones") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return new


def _swap(out_dir: Path, staging: Path, new: list[str], replace_set: bool) -> None:
    stray = [name for name in new if name not in OWNED_NAMES]
    if stray:
        raise OutDirError(f"--out {out_dir}: a reporter wrote {stray[0]!r}, which is not one of a11y's names")
    old = read_manifest(out_dir)
    _refuse_foreign(out_dir, new, old)  # a file may have appeared there during the audit
    write_manifest(out_dir, old | set(new))
    aside = staging / ".old"
    aside.mkdir()
    for name in new:
        target = out_dir / name
        if (staging / name).is_dir() and os.path.lexists(target):
            os.replace(target, aside / name)  # a folder cannot be renamed over a non-empty one
        os.replace(staging / name, target)
    kept = set(new) if replace_set else old | set(new)
    for name in sorted(old - kept):
        _remove(out_dir / name)
    write_manifest(out_dir, kept)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
