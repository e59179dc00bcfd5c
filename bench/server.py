"""gunicorn on a free loopback port, checked to be the server it started.

The socket is bound here, to ``127.0.0.1:0``, and handed to gunicorn as an
open file descriptor (``--bind fd://N``): the kernel picks a port no one else
holds, and no other process can take it between the pick and gunicorn's
start. Before it is used, the server must answer a signed-in request with
the fresh database's token, which no other server knows, with 200.

    python -m bench.server --database-url URL --token TOKEN [--workers 2]
        [--port-file FILE] [--setting NAME=VALUE ...]

serves until it is stopped (tests/fuzz/run.sh uses it so); the benchmarks
call ``serve``. The port is printed (and written to ``--port-file``) once the
server has proved to be its own.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Any signed-in list answers 200 to a known token; DRF refuses an unknown one
# with 401, whatever the view's own permissions.
PROBE_PATH = "/api/documents/?page_size=1"


class Server:
    """A running gunicorn: its process, port and base URL."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _answers_as_ours(port: int, token: str, headers: dict) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{PROBE_PATH}",
        headers={"Authorization": f"Token {token}", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        raise SystemExit(
            f"the server on port {port} refused the fresh database's token "
            f"({error.code}): it is not the one started here"
        ) from error


def serve(
    env: dict,
    token: str,
    workers: int = 2,
    headers: dict | None = None,
    startup_seconds: float = 60,
) -> Server:
    """Start gunicorn with ``env`` on a free port; return it once it is ours.

    ``headers`` go with the identity probe (``X-Forwarded-Proto: https``
    where the settings redirect plain HTTP).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    fd = listener.fileno()
    os.set_inheritable(fd, True)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--workers", str(workers),
            "--bind", f"fd://{fd}",
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env, pass_fds=(fd,),
    )  # fmt: skip
    listener.close()  # gunicorn holds its own copy
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            if _answers_as_ours(port, token, headers or {}):
                return Server(process, port)
        except SystemExit:
            process.terminate()
            raise
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port} in {startup_seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port-file", type=Path)
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    env = os.environ | {"DATABASE_URL": args.database_url}
    env |= dict(setting.split("=", 1) for setting in args.setting)
    server = serve(env, args.token, workers=args.workers)
    # Stopped with SIGTERM: stop gunicorn too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if args.port_file:
            args.port_file.write_text(f"{server.port}\n")
        print(server.port, flush=True)
        server.process.wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
