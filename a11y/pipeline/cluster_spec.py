"""Where a distributed run goes (``--cluster local[:N]``, ``--scheduler``, ``--shared-root``), parsed
without importing Dask: the CLI reads these options on every run, Dask loads only when one is set."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..settings import available_cpus

SCHEDULER_ENV = "A11Y_SCHEDULER"


class ClusterSpecError(ValueError):
    """An option of the distributed run that cannot be used; the message names it and why."""


@dataclass(frozen=True)
class SharedRoot:
    """Local pages the workers read themselves: ``client`` on this machine is ``worker`` on theirs."""

    client: Path
    worker: Path

    @classmethod
    def parse(cls, text: str) -> SharedRoot:
        client, sep, worker = text.partition("=")
        if not client.strip() or (sep and not worker.strip()):
            raise ClusterSpecError(f"--shared-root {text!r}: expected DIR or DIR=WORKER_DIR")
        client_path = Path(client).expanduser().resolve()
        if not client_path.is_dir():
            raise ClusterSpecError(f"--shared-root {text!r}: {client_path} is not a folder")
        return cls(client_path, Path(worker) if sep else client_path)

    def worker_path(self, path: Path) -> Path:
        """Where a worker finds ``path`` (a folder or file under ``client``)."""
        try:
            relative = path.resolve().relative_to(self.client)
        except ValueError:
            raise ClusterSpecError(f"--shared-root {self.client}: {path} is not inside it") from None
        return self.worker / relative


@dataclass(frozen=True)
class ClusterSpec:
    """A local cluster of ``workers`` processes, or the existing cluster at ``scheduler``."""

    workers: int = 0  # a LocalCluster of this many worker processes (0: use ``scheduler``)
    scheduler: str | None = None
    shared_root: SharedRoot | None = None

    @property
    def local(self) -> bool:
        return self.scheduler is None


def default_local_workers() -> int:
    """Half the CPUs: each worker's browser renders and runs axe on about two CPUs' worth of pages."""
    return max(1, available_cpus() // 2)


def parse_cluster(cluster: str | None, scheduler: str | None, shared_root: str | None = None) -> ClusterSpec | None:
    """The distributed run the options ask for, or None for the single-process engine."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if cluster and scheduler:
        raise ClusterSpecError(f"--cluster {cluster} and --scheduler {scheduler}: choose one (A11Y_SCHEDULER sets --scheduler)")
    root = SharedRoot.parse(shared_root) if shared_root else None
    if scheduler:
        if "://" not in scheduler:
            raise ClusterSpecError(f"--scheduler {scheduler!r}: expected an address such as tcp://HOST:8786")
        return ClusterSpec(scheduler=scheduler, shared_root=root)
    if not cluster:
        if root:
            raise ClusterSpecError("--shared-root needs --cluster or --scheduler")
        return None
    kind, _, count = cluster.partition(":")
    if kind != "local":
        raise ClusterSpecError(f"--cluster {cluster!r}: expected local or local:N (use --scheduler for an existing cluster)")
    if not count:
        return ClusterSpec(workers=default_local_workers(), shared_root=root)
    if not count.isdigit() or not 1 <= int(count) <= 256:
        raise ClusterSpecError(f"--cluster {cluster!r}: N must be a whole number from 1 to 256")
    return ClusterSpec(workers=int(count), shared_root=root)
