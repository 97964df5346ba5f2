"""A pool of worker processes on one read-only Oxigraph store; a query over time kills its worker.

Why processes: a query cannot be stopped from the outside while it runs inside Oxigraph or
Python's regex engine, and a thread that runs it keeps the interpreter busy for every other
client. A process can be killed (SIGKILL) at the deadline, whatever it is doing, and another
takes its place. The pool has one worker per core by default. A query that finds every worker
busy waits in a first-come queue for at most the query timeout. It is admitted by its expected
wait, not by a count: the wait is estimated from how long recent queries took (their median)
and how many wait ahead of it, and only when that estimate exceeds the timeout (or the queue
holds ``Settings.queue`` queries, a hard bound) does it get 503 with Retry-After. So a burst of
two hundred fast queries on two workers is served in turn, while runaways, which fill the
workers for the whole timeout, get later queries turned away rather than piling up.

Workers are forked from a fork server that has already imported pyoxigraph and rdflib's
SPARQL parser, and each opens the pool's on-disk store read-only (store.py): the graph is on
disk once, shared through the page cache, and a replacement is ready in tens of milliseconds
whatever the graph's size. Before opening it, a worker drops its network (unless SERVICE
endpoints are allowed) and caps its memory (sandbox.py). A pool serves one store for its
life; a rebuilt graph gets a new pool (swap.py), and the old one drains and closes.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import math
import os
import multiprocessing
import shutil
import signal
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .engine import Engine, Reply, Request
from .policy import analyse
from .sandbox import isolate_network, limit_memory
from .settings import Settings
from .spool import spill
from .store import open_read_only

log = logging.getLogger("dossier.serve")

START_TIMEOUT = 60.0  # seconds a new worker may take to open the store
INITIAL_DURATION = 0.05  # seconds a query is assumed to take before any has been measured


def worker_main(
    conn, store: str, max_rows: int, allow_services: tuple[str, ...], memory_mb: int,
    max_bytes: int | None = None, spool: str | None = None,
) -> None:
    """A worker process: sandbox itself, open the store read-only, then answer requests until its pipe closes.

    A large result is written to a file in ``spool`` and only its path sent back (spool.py).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which ends its workers
    os.nice(5)  # under load the server process (and /health) gets the CPU first
    network = "allowed (SERVICE endpoints are allowed)" if allow_services else isolate_network()
    limit_memory(memory_mb)
    engine = Engine(open_read_only(Path(store)), max_rows, allow_services, max_bytes)
    try:
        analyse("ASK {}", allow_services)  # warm the parsers, so the first real query is not slower
    except Exception:  # pragma: no cover
        pass
    # Queries run on a thread of their own, apart from the pipe: measured at 5.8 M quads with an
    # in-memory store, Oxigraph answered 1.3 to 1.6 times slower on the thread that loaded it.
    runner = ThreadPoolExecutor(1, thread_name_prefix="dossier-query")
    conn.send(("ready", network))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(spill(runner.submit(engine.execute, request).result(), spool))


class Busy(Exception):
    """Every worker is running a query; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"all query workers are busy; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
    ready: bool = False
    busy: bool = False
    deadline: float = 0.0
    started_query: float = 0.0
    network: str = ""
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """``size`` worker processes on ``store``; ``await run(request, timeout)`` runs one query on an idle one."""

    def __init__(self, settings: Settings, store: Path):
        self.settings = settings
        self.store = Path(store)
        self.size = max(1, settings.workers)
        self.workers: list[Worker] = []
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["dossier.serve.workers", "rdflib.plugins.sparql.parser", "pyoxigraph"])
        self._tasks: set[asyncio.Task] = set()
        self._waiting: collections.deque[asyncio.Future] = collections.deque()  # queries waiting for a worker
        self.stopped: list[float] = []  # seconds from deadline to worker gone, one per killed worker
        self.durations: collections.deque[float] = collections.deque([INITIAL_DURATION], maxlen=32)  # recent answered queries
        self.spool = tempfile.mkdtemp(prefix="dossier-results-")  # large results, on their way to clients

    # -- life cycle -------------------------------------------------------------------------
    def _spawn(self) -> Worker:
        s = self.settings
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main,
            args=(child, str(self.store), s.max_rows, tuple(s.allow_services), s.memory_mb, s.max_result_bytes, self.spool),
            name="dossier-query-worker",
            daemon=True,
        )
        process.start()
        child.close()  # the worker holds its end; when it dies, reads here see EOF
        worker = Worker(process, parent)
        self.workers.append(worker)
        return worker

    async def _await_ready(self, worker: Worker) -> None:
        try:
            message = await asyncio.wait_for(asyncio.to_thread(worker.conn.recv), START_TIMEOUT)
        except (asyncio.TimeoutError, EOFError, OSError) as exc:
            self._discard(worker)
            raise RuntimeError(f"a query worker did not start ({type(exc).__name__}); see the messages above") from exc
        worker.ready, worker.network = True, message[1]
        self._release(worker)

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the store."""
        await asyncio.gather(*(self._await_ready(self._spawn()) for _ in range(self.size)))

    def _discard(self, worker: Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        try:
            worker.conn.close()
        except OSError:
            pass
        if worker in self.workers:
            self.workers.remove(worker)

    def _replace(self, worker: Worker) -> None:
        """Drop a worker and start another in the background."""
        self._discard(worker)
        new = self._spawn()

        async def ready() -> None:
            try:
                await self._await_ready(new)
            except RuntimeError as exc:
                log.error("%s", exc)

        task = asyncio.get_running_loop().create_task(ready())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, poll: float = 0.05) -> None:
        """Until no query runs or waits here: a retired pool lets its last queries finish (each ends by its timeout)."""
        while any(w.busy for w in self.workers) or self._queued():
            await asyncio.sleep(poll)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self.workers):
            self._discard(worker)
        shutil.rmtree(self.spool, ignore_errors=True)

    # -- queries ------------------------------------------------------------------------------
    def status(self) -> dict[str, int]:
        return {
            "idle": sum(w.ready and not w.busy for w in self.workers),
            "busy": sum(w.busy for w in self.workers),
            "starting": sum(not w.ready for w in self.workers),
            "queued": self._queued(),
        }

    def _retry_after(self) -> int:
        now = time.monotonic()
        waits = [w.deadline - now for w in self.workers if w.busy] or [1.0]
        return max(1, math.ceil(min(waits)))

    def expected_wait(self, ahead: int) -> float:
        """Seconds a query with ``ahead`` queries waiting before it can expect to wait for a worker.

        Each busy worker is expected to free up when it has run for the median recent duration
        (at once if it is past that, at its deadline at the latest); the queue then drains
        ``size`` queries per median duration. Runaways (killed at the deadline) are left out
        of the median, or one of them would close the door on every fast query after it.
        """
        now = time.monotonic()
        typical = statistics.median(self.durations)
        frees = sorted(
            min(max(0.0, w.deadline - now), max(0.0, typical - (now - w.started_query))) if w.busy else 0.0
            for w in self.workers
        ) or [typical]
        return frees[ahead % len(frees)] + (ahead // len(frees)) * typical

    def _queued(self) -> int:
        """Queries waiting for a worker (those that gave up are dropped from the queue here)."""
        self._waiting = collections.deque(f for f in self._waiting if not f.done())
        return len(self._waiting)

    def _release(self, worker: Worker) -> None:
        """Hand a worker that became free to the longest-waiting query, else mark it idle."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                worker.busy = True
                waiter.set_result(worker)
                return
        worker.busy = False

    async def _acquire(self, timeout: float) -> Worker:
        """An idle worker, waiting in the queue for at most ``timeout`` seconds; raises Busy."""
        # a worker that frees up goes straight to a waiting query, so an idle one means nobody waits
        worker = next((w for w in self.workers if w.ready and not w.busy), None)
        if worker is not None:
            worker.busy = True
            return worker
        ahead = self._queued()
        if ahead >= self.settings.queue:
            raise Busy(self._retry_after())
        wait = self.expected_wait(ahead)
        if wait > timeout:
            raise Busy(max(1, math.ceil(wait - timeout)))
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except asyncio.TimeoutError:
            pass
        except asyncio.CancelledError:  # the client went away while waiting
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())
            waiter.cancel()
            raise
        if waiter.done() and not waiter.cancelled():  # handed a worker, if only at the last moment
            return waiter.result()
        waiter.cancel()
        raise Busy(self._retry_after())

    async def run(self, request: Request, timeout: float) -> Reply:
        """Run ``request`` on a worker within ``timeout`` seconds once it has one; raises Busy when none frees up."""
        worker = await self._acquire(timeout)
        worker.started_query = time.monotonic()
        worker.deadline = worker.started_query + timeout
        receiving = None
        try:
            worker.conn.send(request)
            receiving = asyncio.ensure_future(asyncio.to_thread(worker.conn.recv))
            reply = await asyncio.wait_for(asyncio.shield(receiving), timeout)
        except asyncio.TimeoutError:
            await self._stop(worker, receiving)
            return Reply.error(
                503, "timeout", f"the query ran longer than {timeout:g} s, the limit here, and was stopped", timeout=timeout
            )
        except (EOFError, OSError, BrokenPipeError):
            await self._stop(worker, receiving)
            return Reply.error(
                503, "worker-died", "the query stopped its worker (most often by needing more memory than allowed here)"
            )
        self.durations.append(time.monotonic() - worker.started_query)
        self._release(worker)
        return reply

    async def _stop(self, worker: Worker, receiving: asyncio.Future | None) -> None:
        """Kill a worker at its deadline (or after it died), let the reading thread see EOF, then replace it."""
        if worker.process.is_alive():
            worker.process.kill()
        if receiving is not None:
            try:
                await asyncio.wait_for(receiving, 5)
            except BaseException:  # EOF or the like: the worker is gone, which is the point
                pass
        await asyncio.to_thread(worker.process.join, 5)
        self.stopped.append(max(0.0, time.monotonic() - worker.deadline))
        self._replace(worker)
