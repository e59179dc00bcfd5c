"""What the fault tests break: a Redis server of their own, which they stop
and start again, and a TCP proxy in front of PostgreSQL that cuts its
connections and refuses new ones for a moment. Neither touches the shared
servers: the Redis runs on a free port, the proxy only relays."""

import contextlib
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

STARTUP = 30  # seconds a Redis server may take to answer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """``redis-server`` on a free port, without persistence: stopped, it
    comes back empty, as a broker that lost its queue."""

    def __init__(self, folder: Path):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        import redis

        # A name of its own, asked back, shows the server answering is ours.
        self.token = uuid.uuid4().hex
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + STARTUP
        client = redis.Redis(port=self.port, socket_timeout=1)
        while True:
            try:
                client.client_setname(self.token)
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {self.port}")
                time.sleep(0.1)
        info = client.info("server")
        assert info["process_id"] == self.process.pid, "another server answered"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class FlakyProxy:
    """A TCP relay on a free port to ``host:port``; ``outage(n)`` cuts every
    open connection and refuses the next ``n`` (accepted, then closed), after
    which it relays again. ``refused`` is set once all ``n`` were."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.to_refuse = 0
        self.refused = threading.Event()
        self.refusals = 0
        self.closing = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def outage(self, refusals: int) -> None:
        with self.lock:
            self.refused.clear()
            self.to_refuse = refusals
            for connection in self.open:
                _shut(connection)
            self.open.clear()

    def close(self) -> None:
        self.closing = True
        self.server.close()
        with self.lock:
            for connection in self.open:
                _shut(connection)

    def _accept(self) -> None:
        while not self.closing:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with self.lock:
                if self.to_refuse:
                    self.to_refuse -= 1
                    self.refusals += 1
                    _shut(client)
                    if not self.to_refuse:
                        self.refused.set()
                    continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _shut(sink)
        _shut(source)


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
