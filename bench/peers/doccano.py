"""project -> doccano 1.8.4 -> project, against a running doccano.

    python -m bench.peers.doccano [--keep]

Installs doccano 1.8.4 in its own virtual environment under the user's cache
(``bench.peers.common.cache_dir``, not the repository), starts its web server
and its task worker on a free loopback port with a SQLite database in a
temporary folder, makes a sequence-labelling project with overlapping spans,
relations and grapheme mode on, loads ``export_documents --format doccano``
of the seed and the two interop articles as "JSONL(Relation)", checks every
span and relation doccano stored against our export (offsets, labels, the
text each reads), exports the project from doccano, imports that into a
fresh database and compares statements, kinds, sources, spans, statuses,
origins and claims with what went out. Prints the figures (docs/interop.md).
"""

import argparse
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

from bench.peers.common import (
    ARTICLES,
    Project,
    free_port,
    import_back_and_compare,
    multipart,
    provenance,
    request,
    venv,
    wait_for,
    workdir,
)

PACKAGES = ["doccano==1.8.4", "marshmallow<4", "numpy<2"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tool = venv("doccano-1.8.4", PACKAGES)
    folder = workdir("claims-doccano-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'doccano.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    doccano = str(tool / "bin" / "doccano")
    password = secrets.token_urlsafe(16)
    # Run in the temporary folder: from the repository, our own ``config``
    # package would shadow doccano's.
    subprocess.run([doccano, "init"], env=env, cwd=folder, check=True)
    subprocess.run(
        [doccano, "createuser", "--username", "admin", "--password", password],
        env=env, cwd=folder, check=True,
    )  # fmt: skip
    port = free_port()
    # Open while the servers run; closed with them below.
    logs = [open(folder / f"{n}.log", "w") for n in ("web", "task")]  # noqa: SIM115
    servers = [
        subprocess.Popen(
            [doccano, "webserver", "--port", str(port), "--workers", "1"],
            env=env, cwd=folder, stdout=logs[0], stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [doccano, "task", "--concurrency", "1"],
            env=env, cwd=folder, stdout=logs[1], stderr=subprocess.STDOUT,
        ),
    ]  # fmt: skip
    try:
        return run(f"http://127.0.0.1:{port}", password, folder)
    finally:
        for server, log in zip(servers, logs, strict=True):
            server.terminate()
            server.wait(30)
            log.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


def run(base: str, password: str, folder: Path) -> int:
    wait_for(f"{base}/v1/health/")
    # Our server: only the doccano we started knows this fresh password.
    status, body, _ = request(
        "POST", f"{base}/v1/auth/login/",
        body={"username": "admin", "password": password},
    )  # fmt: skip
    assert status == 200, (status, body[:300])
    token = json.loads(body)["key"]

    ours = Project(folder, "ours")
    for path in ARTICLES:
        done = ours.manage("import_documents", str(path))
        assert done.returncode == 0, done.stderr
    before = provenance(ours.manage("export_documents", "--format", "jsonl").stdout)
    out = folder / "out.jsonl"
    done = ours.manage("export_documents", "--format", "doccano", "-o", str(out))
    assert done.returncode == 0, done.stderr
    sent = [json.loads(line) for line in out.read_text("utf-8").splitlines()]

    status, body, _ = request(
        "POST", f"{base}/v1/projects", token=token,
        body={"name": "claims", "description": "interop", "guideline": "",
              "project_type": "SequenceLabeling",
              "resourcetype": "SequenceLabelingProject",
              "allow_overlapping": True, "use_relation": True,
              "grapheme_mode": True},
    )  # fmt: skip
    assert status == 201, (status, body[:500])
    project = json.loads(body)["id"]
    content, kind = multipart("filepond", "out.jsonl", out.read_bytes())
    status, body, _ = request(
        "POST", f"{base}/v1/fp/process/", token=token, raw=content, content_type=kind
    )
    assert status == 200, (status, body[:300])
    status, body, _ = request(
        "POST", f"{base}/v1/projects/{project}/upload", token=token,
        body={"format": "JSONL", "task": "RelationExtraction",
              "uploadIds": [body.decode()]},
    )  # fmt: skip
    assert status == 200, (status, body[:300])
    result = _task(base, token, json.loads(body)["task_id"])
    print(f"doccano import: {json.dumps(result)[:300]}")

    # What doccano stored, against what we sent.
    span_types = _names(base, token, f"/v1/projects/{project}/span-types")
    relation_types = _names(base, token, f"/v1/projects/{project}/relation-types")
    examples = _all(base, token, f"/v1/projects/{project}/examples")
    by_text = {line["text"]: line for line in sent}
    counts = Counter()
    for example in examples:
        line = by_text[example["text"]]
        eid = example["id"]
        spans = _list(base, token, f"/v1/projects/{project}/examples/{eid}/spans")
        relations = _list(
            base, token, f"/v1/projects/{project}/examples/{eid}/relations"
        )
        stored = {
            s["id"]: (s["start_offset"], s["end_offset"], span_types[s["label"]])
            for s in spans
        }
        ours_spans = {
            e["id"]: (e["start_offset"], e["end_offset"], e["label"])
            for e in line["entities"]
        }
        counts["spans sent"] += len(ours_spans)
        counts["spans stored"] += len(stored)
        counts["spans exact"] += sum(
            (Counter(stored.values()) & Counter(ours_spans.values())).values()
        )
        counts["spans reading our slice"] += sum(
            1
            for s, e, _ in stored.values()
            if example["text"][s:e] == line["text"][s:e]
        )
        ours_rel = Counter(
            (ours_spans[r["from_id"]], ours_spans[r["to_id"]], r["type"])
            for r in line["relations"]
        )
        stored_rel = Counter(
            (stored[r["from_id"]], stored[r["to_id"]], relation_types[r["type"]])
            for r in relations
        )
        counts["relations sent"] += sum(ours_rel.values())
        counts["relations stored"] += sum(stored_rel.values())
        counts["relations exact"] += sum((ours_rel & stored_rel).values())
    counts["documents sent"] = len(sent)
    counts["documents stored"] = len(examples)

    status, body, _ = request(
        "POST", f"{base}/v1/projects/{project}/download", token=token,
        body={"format": "JSONL", "exportApproved": False},
    )  # fmt: skip
    assert status == 200, (status, body[:300])
    task_id = json.loads(body)["task_id"]
    for _ in range(120):
        status, body, kind = request(
            "GET", f"{base}/v1/projects/{project}/download?taskId={task_id}",
            token=token,
        )  # fmt: skip
        if "json" not in kind:
            break
        time.sleep(1)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        back = folder / "back.jsonl"
        back.write_bytes(b"".join(archive.read(n) for n in names))
    print(f"doccano export: {names}")

    return import_back_and_compare(folder, "doccano", back, before, counts)


def _task(base, token, task_id):
    for _ in range(300):
        _, body, _ = request("GET", f"{base}/v1/tasks/status/{task_id}", token=token)
        answer = json.loads(body)
        if answer.get("ready"):
            return answer
        time.sleep(1)
    raise TimeoutError(task_id)


def _list(base, token, path):
    status, body, _ = request("GET", f"{base}{path}", token=token)
    assert status == 200, (path, status, body[:300])
    value = json.loads(body)
    return value["results"] if isinstance(value, dict) else value


def _all(base, token, path):
    found, offset = [], 0
    while True:
        _, body, _ = request(
            "GET", f"{base}{path}?limit=100&offset={offset}", token=token
        )
        page = json.loads(body)
        found += page["results"]
        if not page.get("next"):
            return found
        offset += 100


def _names(base, token, path):
    return {t["id"]: t["text"] for t in _list(base, token, path)}


if __name__ == "__main__":
    sys.exit(main())
