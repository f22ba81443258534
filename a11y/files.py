"""Reading the JSON files users hand us (baselines, review decisions) with one-line errors."""

from __future__ import annotations

import json
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
