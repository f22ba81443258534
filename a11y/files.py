"""Files: reading the JSON files users hand us (baselines, review decisions) with one-line errors,
and writing ours atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def read_schema_json(path: Path, schema: str, key: str, kind: type, what: str, error: type[Exception]) -> dict[str, Any]:
    """The JSON object at ``path`` carrying ``"schema": schema`` and a ``key`` of type ``kind``.

    Anything else raises ``error`` with one line naming the file and the cause.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        cause = f"{exc.msg} at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
        raise error(f"{path}: not JSON ({cause})") from None
    if not isinstance(data, dict) or data.get("schema") != schema or not isinstance(data.get(key), kind):
        raise error(f"{path}: not an a11y {what} (expected schema {schema!r} with '{key}')")
    return data


def _read_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: done once, at import, then put back
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def write_atomic(path: Path, data: str | bytes | Iterable[str | bytes]) -> Path:
    """Write to a temp file in the same folder, then rename over the target. ``data`` may come in
    pieces (a big report, written without ever being one string or one bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes it owner-only; a report gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            # errors="replace": a lone surrogate from a hostile page must not cost the report
            for piece in [data] if isinstance(data, (str, bytes)) else data:
                handle.write(piece.encode("utf-8", errors="replace") if isinstance(piece, str) else piece)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
