"""`recoupe serve`: bind the port first (a taken port is a coded error, R601), then run uvicorn on it.

The app is created before the server starts, so a knowledge base that cannot be opened stops the
command with its own code (R402, R405-R407) instead of a server that starts and then exits.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable
from pathlib import Path

from recoupe.errors import E, ServeError


def bind(host: str, port: int, *, reuse_port: bool = False, listen: bool = True) -> socket.socket:
    """A (listening) TCP socket on ``host:port`` (port 0: any free port).

    Raises:
        ServeError: R601 when the port is taken or not allowed.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(2048)
    except OSError as err:
        sock.close()
        reason = "the address is already in use" if err.errno == errno.EADDRINUSE else err.strerror or str(err)
        raise ServeError(E.R601.format(host=host, port=port, error=reason)) from err
    return sock


def _url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(kb_path: str | Path, host: str, port: int, *, token: str | None = None, workers: int = 1,
          started: Callable[[str], None] | None = None) -> None:
    """Serve the app over ``kb_path`` on ``host:port`` until interrupted; ``started`` gets the URL
    once the port is bound.

    With several ``workers``, each process listens on its own SO_REUSEPORT socket, so the kernel
    spreads connections over them by address hash (uvicorn's shared socket let whichever process
    accepted first take most keep-alive connections: half the throughput in some runs).

    Raises:
        ServeError: R601 (the port). StoreError: the knowledge base cannot be opened.
    """
    import uvicorn

    from recoupe.web.app import create_app

    kb = str(Path(kb_path).resolve())
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        app = create_app(kb, token)  # opens the knowledge base: its errors stop us here
        sock = bind(host, port)
        if started:
            started(_url(host, sock))
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()
            app.state.store.kb.close()
        return
    create_app(kb, None).state.store.kb.close()  # check it opens before starting the workers
    probe = bind(host, port, reuse_port=True, listen=False)  # fails if another program listens
    chosen = probe.getsockname()[1]
    if started:
        started(_url(host, probe))
    _run_workers(kb, host, chosen, workers, probe)


def _serve_one(kb: str, host: str, port: int) -> None:
    """One server process on its own SO_REUSEPORT socket."""
    import uvicorn

    os.environ["RECOUPE_KB"] = kb
    sock = bind(host, port, reuse_port=True)
    config = uvicorn.Config("recoupe.web.server:from_environment", factory=True, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


def _run_workers(kb: str, host: str, port: int, workers: int, probe: socket.socket) -> None:
    import multiprocessing
    import signal

    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_serve_one, args=(kb, host, port), daemon=True) for _ in range(workers)]
    for child in children:
        child.start()
    probe.close()  # the children hold the port now (each its own socket)

    def stop(*_: object) -> None:
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.join()


def from_environment() -> object:
    """The app factory each worker process hands to uvicorn (read-only)."""
    from recoupe.web.app import create_app

    return create_app(os.environ["RECOUPE_KB"], None)
