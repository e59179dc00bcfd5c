"""What the interop runs against the real tools share: a tool's own virtual
environment (outside the repository), a free loopback port, this project's
commands on a fresh SQLite database, and the comparison of two exports.

Not part of the suite: the runs install the tools from the registry and take
minutes (docs/interop.md).
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The seed article annotated by hand, and the two interop articles.
ARTICLES = [
    ROOT / "fixtures" / "seed_article.jsonl",
    ROOT / "tests" / "data" / "interop_articles.jsonl",
]


def cache_dir() -> Path:
    """Where the tools' environments live: never inside the repository."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claims-peers"


def venv(name: str, packages: list[str]) -> Path:
    """A virtual environment with ``packages``, made once and reused."""
    folder = cache_dir() / name
    done = folder / ".installed"
    if not done.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run(
            [str(folder / "bin" / "pip"), "install", "-q", *packages], check=True
        )
        done.write_text(" ".join(packages))
    return folder


def free_port() -> int:
    """A loopback port free a moment ago (the tools bind it themselves; the
    caller checks that what answers there is the server it started)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def request(
    method: str,
    url: str,
    *,
    token: str | None = None,
    scheme: str = "Token",
    body: Any = None,
    raw: bytes | None = None,
    content_type: str = "application/json",
) -> tuple[int, bytes, str]:
    """One HTTP request: status, body, content type."""
    data = (
        raw
        if raw is not None
        else (None if body is None else json.dumps(body).encode())
    )
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", f"{scheme} {token}")
    try:
        with urllib.request.urlopen(req, timeout=120) as answer:
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def multipart(field: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "claims-peers-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class Project:
    """This project's commands on a fresh SQLite database of its own."""

    def __init__(self, folder: Path, name: str):
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{folder / name}.sqlite3",
        }
        self.manage("migrate", "-v0")

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )


def provenance(jsonl: str) -> dict[str, Any]:
    """What must travel, by document text: statements, kinds, sources,
    source spans, cues, contents, statuses, origins and claims."""

    def source(value: Any) -> Any:
        if isinstance(value, dict):
            return (
                value["name"],
                value.get("kind"),
                tuple(sorted(value.get("aliases") or [])),
            )
        return value

    documents = {}
    for line in jsonl.splitlines():
        record = json.loads(line)
        documents[record["text"]] = sorted(
            (
                s["start"],
                s["end"],
                sorted(
                    json.dumps(
                        [
                            a["kind"],
                            source(a.get("source")),
                            a.get("source_span"),
                            a.get("cue"),
                            a.get("content"),
                            a.get("status"),
                            a.get("origin"),
                            source(a.get("via")),
                            a.get("confidence"),
                        ],
                        ensure_ascii=False,
                    )
                    for a in s["attributions"]
                    if a.get("status") != "rejected"
                ),
                sorted(
                    c if isinstance(c, str) else c.get("text")
                    for c in s.get("claims") or []
                ),
            )
            for s in record["statements"]
        )
    return documents


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Each statement that differs, as a line."""
    found = []
    for text, statements in before.items():
        back = after.get(text)
        if back is None:
            found.append(f"document {text[:30]!r}: missing")
            continue
        for one, other in zip(statements, back, strict=False):
            if one != other:
                found.append(f"statement {one[:2]}: {one[2:]} != {other[2:]}")
        if len(statements) != len(back):
            found.append(
                f"document {text[:30]!r}: {len(statements)} != {len(back)} statements"
            )
    return found


def import_back_and_compare(
    folder: Path, format: str, back: Path, before: dict[str, Any], counts
) -> int:
    """Import the tool's export into a fresh database, print what the import
    reported and what came back unlike what was sent; 0 when nothing did."""
    fresh = Project(folder, "fresh")
    done = fresh.manage("import_documents", "--format", format, str(back))
    print(f"import back: exit {done.returncode}: {done.stdout.strip()}")
    for line in done.stderr.splitlines():
        if line.strip() and "Loading weights" not in line:
            print(f"  reported: {line}")
    after = provenance(fresh.manage("export_documents", "--format", "jsonl").stdout)
    found = differences(before, after)
    for key, value in counts.items():
        print(f"{key}: {value}")
    print(f"statements compared: {sum(len(s) for s in before.values())}")
    print(f"statements differing: {len(found)}")
    for line in found:
        print(f"  {line}")
    return 0 if not found else 1


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
