"""Where a bulk job's parts run: `local` (a multiprocessing Pool on this machine) or `dask` (a
dask.distributed LocalCluster of n worker processes, or a running scheduler at `tcp://…`).

A `Job` is picklable: module-level `setup` and `task` functions and the setup's `payload` (bytes,
e.g. pickled policy packs). Each worker process runs `setup(payload)` once per job (`_state`) and then
`task(state, part)` for every part it is given; results come back in the parts' order. An engine
knows nothing of what the job does: the same job gives the same results on every engine
(tests/batch/test_engine_contract.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Protocol

from shopwarden.errors import InvalidInput

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Job:
    token: str  # names the job's set-up in a worker (one set-up per token per worker process)
    setup: Callable[[bytes], Any]
    payload: bytes
    task: Callable[[Any, Any], Any]


_STATES: dict[str, Any] = {}


def _state(token: str, setup: Callable[[bytes], Any], payload: bytes) -> Any:
    """The job's set-up in this process, made on its first part."""
    state = _STATES.get(token)
    if state is None:
        if len(_STATES) >= 8:  # a long-lived Dask worker serves many jobs: keep the latest few
            _STATES.clear()
        state = _STATES[token] = setup(payload)
    return state


def run_part(job: Job, part: Any) -> Any:
    return job.task(_state(job.token, job.setup, job.payload), part)


class Engine(Protocol):
    name: str
    slots: int  # parts that run at once: how many parts a job's input is worth cutting into

    def map(self, job: Job, parts: Sequence[Any]) -> list[Any]: ...

    def close(self) -> None: ...


class LocalEngine:
    """`processes` worker processes of this machine (one: the parts run in this process)."""

    name = "local"

    def __init__(self, processes: int):
        self.slots = processes

    def map(self, job: Job, parts: Sequence[Any]) -> list[Any]:
        if self.slots == 1 or len(parts) <= 1:
            return [run_part(job, p) for p in parts]
        # fork: the workers start with the modules loaded (the CLI's process has no threads of its own here)
        with get_context("fork").Pool(min(self.slots, len(parts)), initializer=_state, initargs=(job.token, job.setup, job.payload)) as pool:
            return pool.starmap(run_part, [(job, p) for p in parts], chunksize=1)

    def close(self) -> None:
        pass


class DaskEngine:
    """A dask.distributed client: a LocalCluster of `workers` processes (one thread each), or the
    scheduler at `scheduler` (whose workers must have shopwarden installed and see the export's folder)."""

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None):
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            self._client = Client(scheduler)
        self.slots = max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values()))

    def map(self, job: Job, parts: Sequence[Any]) -> list[Any]:
        if not parts:
            return []
        # the payload travels once to each worker; under a key of its own (hash=False): the same job mapped again
        # must not share a key whose release by the previous map can race this one ("lost dependencies")
        shared = self._client.scatter(job, broadcast=True, hash=False)
        futures = self._client.map(run_part, [shared] * len(parts), list(parts), pure=False)
        return self._client.gather(futures)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine `name` (`--engine`), with `workers` processes (default: the machine's cores)."""
    if name not in ENGINES:
        raise InvalidInput.one("engine", f"{name!r}; one of {', '.join(ENGINES)}")
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise InvalidInput.one("workers", f"{n}; at least 1 process runs the parts")
    if scheduler is not None and name != "dask":
        raise InvalidInput.one("scheduler", "a scheduler address is for --engine dask")
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://")):
        raise InvalidInput.one("scheduler", f"{scheduler!r}; a Dask scheduler address such as tcp://host:8786")
    return DaskEngine(n, scheduler) if name == "dask" else LocalEngine(n)
