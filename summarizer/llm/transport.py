"""An HTTP transport whose in-flight requests can be aborted from another thread.

Closing an httpx client does not stop a request blocked on a server that never answers, and
a thread blocked in ``recv`` cannot be interrupted. So the connection pool gets a network
backend that remembers the sockets it opens; :meth:`CancellableBackend.abort` shuts them all
down, which wakes every blocked read at once (the call fails with a connection error), and
refuses new connections from then on. Ctrl-C and SIGTERM use it to stop a batch within a
second whatever the endpoint does.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Iterable
from typing import Any

import httpcore2
import httpx2

__all__ = ["CancellableBackend", "cancellable_transport"]


class CancellableBackend(httpcore2.NetworkBackend):
    """httpcore's synchronous network backend, remembering every stream it opens so that
    :meth:`abort` can shut them down from any thread. ``aborted`` is true once it has."""

    def __init__(self) -> None:
        """A backend that opens connections until :meth:`abort` is called."""
        self._inner = httpcore2.SyncBackend()
        self._streams: weakref.WeakSet[httpcore2.NetworkStream] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.aborted = False

    def _track(self, stream: httpcore2.NetworkStream) -> httpcore2.NetworkStream:
        with self._lock:
            if self.aborted:
                stream.close()
                raise httpcore2.ConnectError("the run was interrupted")
            self._streams.add(stream)
        return stream

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        """Open a TCP connection as httpcore's own backend does, and remember it.

        Returns:
            The connected stream.

        Raises:
            ConnectError: The backend was aborted (httpcore's error; the new stream is closed).
        """
        return self._track(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        """Open a Unix socket connection as httpcore's own backend does, and remember it.

        Returns:
            The connected stream.

        Raises:
            ConnectError: The backend was aborted (httpcore's error; the new stream is closed).
        """
        return self._track(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` (httpcore's own backend does it)."""
        self._inner.sleep(seconds)

    def abort(self) -> None:
        """Shut down every open connection; refuse new ones."""
        with self._lock:
            self.aborted = True
            streams = list(self._streams)
        for stream in streams:
            sock = stream.get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def cancellable_transport(backend: CancellableBackend) -> httpx2.HTTPTransport:
    """httpx's own transport with its pool built on ``backend``.

    The pool keeps httpx's default limits: 100 connections, 20 kept alive for 5 seconds.

    Returns:
        The transport, for ``httpx2.Client(transport=...)``.

    Raises:
        RuntimeError: This httpx2 version's transport holds no httpcore2 pool to replace.
    """
    transport = httpx2.HTTPTransport()
    if not isinstance(getattr(transport, "_pool", None), httpcore2.ConnectionPool):
        raise RuntimeError(
            "httpx2.HTTPTransport no longer holds an httpcore2 pool: update "
            "summarizer.llm.transport for this httpx2 version"
        )
    transport._pool = httpcore2.ConnectionPool(
        network_backend=backend, max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0
    )
    return transport
