"""Serving a rebuilt graph without a restart: notice the rebuild, build its store, switch worker pools.

The server watches graph/'s manifest, which a build writes last (its size, time and inode, once
a second by default). When it changes and then holds still for one interval, it builds the new store beside the old one
(store.py) and starts a second worker pool on it; once that pool is ready, one assignment on the
event loop sends every new query to it. Queries already running or waiting on the old pool
finish there; then the old pool's workers end and its store is removed. No request fails and
none sees a mix of the two graphs.
"""

from __future__ import annotations

import asyncio
import logging

from .settings import Settings
from .store import StoreHandle, ensure_store, remove_unused, signature
from .workers import WorkerPool

log = logging.getLogger("dossier.serve")


class StoreSwitch:
    """The worker pool on the current store (``pool``), and the switch to the next one."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.graph_dir = settings.graph_dir
        self.cache = settings.store_cache
        self.pool: WorkerPool | None = None
        self.handle: StoreHandle | None = None
        self.signature: tuple = ()
        self._failed: tuple | None = None  # a graph/ whose store could not be built: not tried again until it changes
        self._tasks: set[asyncio.Task] = set()
        self._retiring: set[WorkerPool] = set()

    async def start(self) -> None:
        """Open (or build) the store of graph/ as it is, start its workers, then watch graph/."""
        self.signature = await asyncio.to_thread(signature, self.graph_dir)
        self.handle = await asyncio.to_thread(ensure_store, self.graph_dir, self.cache)
        self.pool = WorkerPool(self.settings, self.handle.path)
        await self.pool.start()
        await asyncio.to_thread(remove_unused, self.cache, self.handle.key)
        if self.settings.watch > 0:
            self._background(self._watch())

    def _background(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self) -> None:
        seen = self.signature
        while True:
            await asyncio.sleep(self.settings.watch)
            try:
                now = await asyncio.to_thread(signature, self.graph_dir)
            except OSError:  # a file is missing for a moment: graph/ is being rewritten
                continue
            if now != seen:  # still changing, or just changed: wait until it holds still for one interval
                seen = now
                continue
            if now == self.signature or now == self._failed:
                continue
            try:
                await self.switch(now)
            except Exception as exc:
                self._failed = now
                log.error("graph/ changed but its store could not be opened; still serving the previous one: %s", exc)

    async def switch(self, now: tuple) -> None:
        """Build and open the store of graph/ as it is now, move new queries to it, and retire the old pool."""
        handle = await asyncio.to_thread(ensure_store, self.graph_dir, self.cache)
        if handle.key == self.handle.key:  # rewritten with the same content
            handle.release()
            self.signature = now
            return
        pool = WorkerPool(self.settings, handle.path)
        try:
            await pool.start()
        except BaseException:
            await pool.close()
            handle.release()
            raise
        old_pool, old_handle = self.pool, self.handle
        self.pool, self.handle, self.signature = pool, handle, now  # from here on, every new query runs on the new store
        log.info("graph/ changed: now serving store %s; the previous one retires when its queries are done", handle.key)
        self._retiring.add(old_pool)
        self._background(self._retire(old_pool, old_handle))

    async def _retire(self, pool: WorkerPool, handle: StoreHandle) -> None:
        try:
            await pool.drain()
        finally:
            await pool.close()
            self._retiring.discard(pool)
            handle.release()
        await asyncio.to_thread(remove_unused, self.cache, self.handle.key)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for pool in [self.pool, *self._retiring]:
            if pool is not None:
                await pool.close()
        if self.handle is not None:
            self.handle.release()
