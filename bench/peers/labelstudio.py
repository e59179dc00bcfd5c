"""project -> Label Studio -> project, against a running Label Studio.

    python -m bench.peers.labelstudio [--keep]

Installs the registry's current ``label-studio`` in its own virtual
environment under the user's cache (``bench.peers.common.cache_dir``), starts
it on a free loopback port with its own SQLite data folder and a fresh user
token, makes a project with ``claims.formats.labelstudio.LABEL_CONFIG``,
imports ``export_documents --format labelstudio`` of the seed and the two
interop articles, checks every region and relation Label Studio stored
against our export and our text slices, exports the project as JSON, imports
that into a fresh database and compares what went out with what came back.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.peers.common import (
    ARTICLES,
    Project,
    free_port,
    import_back_and_compare,
    provenance,
    request,
    venv,
    wait_for,
    workdir,
)
from claims.formats.labelstudio import LABEL_CONFIG


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tool = venv("label-studio", ["label-studio"])
    folder = workdir("claims-labelstudio-")
    token = secrets.token_hex(20)
    env = {
        **os.environ,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    }
    # Ours, not its: Label Studio reads HOST as its public URL.
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "HOST"):
        env.pop(name, None)
    port = free_port()
    # Open while the server runs; closed with it below.
    log = open(folder / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(tool / "bin" / "label-studio"), "start", "--no-browser",
         "--data-dir", str(folder / "data"), "--host", "127.0.0.1",
         "--internal-host", "127.0.0.1", "--port", str(port),
         "--username", "claims@example.org",
         "--password", secrets.token_urlsafe(12), "--user-token", token],
        env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        return run(f"http://127.0.0.1:{port}", token, folder)
    finally:
        server.terminate()
        server.wait(60)
        log.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


def run(base: str, token: str, folder: Path) -> int:
    # Its first start migrates a new database: minutes on a busy machine.
    wait_for(f"{base}/health", 1500)
    # Our server: only the Label Studio we started knows this fresh token.
    for _ in range(60):
        status, body, _ = request("GET", f"{base}/api/current-user/whoami", token=token)
        if status == 200:
            break
        time.sleep(2)
    assert status == 200, (status, body[:300])

    ours = Project(folder, "ours")
    for path in ARTICLES:
        done = ours.manage("import_documents", str(path))
        assert done.returncode == 0, done.stderr
    before = provenance(ours.manage("export_documents", "--format", "jsonl").stdout)
    out = folder / "out.json"
    done = ours.manage("export_documents", "--format", "labelstudio", "-o", str(out))
    assert done.returncode == 0, done.stderr
    sent = json.loads(out.read_text("utf-8"))

    status, body, _ = request(
        "POST", f"{base}/api/projects", token=token,
        body={"title": "claims", "label_config": LABEL_CONFIG},
    )  # fmt: skip
    assert status == 201, (status, body[:500])
    project = json.loads(body)["id"]
    status, body, _ = request(
        "POST", f"{base}/api/projects/{project}/import", token=token, body=sent
    )
    assert status == 201, (status, body[:500])
    print(f"Label Studio import: {body.decode()[:300]}")
    status, body, _ = request(
        "GET", f"{base}/api/projects/{project}/export?exportType=JSON", token=token
    )
    assert status == 200, (status, body[:300])
    back_tasks = json.loads(body)
    back = folder / "back.json"
    back.write_bytes(body)

    counts = Counter()
    by_text = {t["data"]["text"]: t for t in sent}
    for task in back_tasks:
        text = task["data"]["text"]
        mine = by_text[text]
        for key in ("annotations", "predictions"):
            ours_regions = Counter(_regions(mine.get(key) or []))
            stored = Counter(_regions(task.get(key) or []))
            counts[f"{key} regions sent"] += sum(ours_regions.values())
            counts[f"{key} regions stored"] += sum(stored.values())
            counts[f"{key} regions exact"] += sum((ours_regions & stored).values())
            counts[f"{key} regions reading our slice"] += sum(
                n for (s, e, quoted, _), n in stored.items() if text[s:e] == quoted
            )
            ours_rel = Counter(_relations(mine.get(key) or []))
            stored_rel = Counter(_relations(task.get(key) or []))
            counts[f"{key} relations sent"] += sum(ours_rel.values())
            counts[f"{key} relations exact"] += sum((ours_rel & stored_rel).values())
    counts["tasks sent"], counts["tasks stored"] = len(sent), len(back_tasks)

    return import_back_and_compare(folder, "labelstudio", back, before, counts)


def _results(entries):
    # Label Studio's JSON export writes predictions as ids.
    objects = [e for e in entries if isinstance(e, dict)]
    return [r for entry in objects[:1] for r in entry.get("result") or []]


def _regions(entries):
    for r in _results(entries):
        if r.get("type") == "labels":
            v = r["value"]
            yield (v["start"], v["end"], v.get("text"), v["labels"][0])


def _relations(entries):
    results = _results(entries)
    spans = {
        r["id"]: (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
        for r in results
        if r.get("type") == "labels"
    }
    for r in results:
        if r.get("type") == "relation":
            yield (
                spans.get(r["from_id"]),
                spans.get(r["to_id"]),
                tuple(r.get("labels") or []),
            )


if __name__ == "__main__":
    sys.exit(main())
