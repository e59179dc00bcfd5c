"""The tool converters are plain Python: they run where Django is not set up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A record as the interchange export writes it: one statement quoting its
# source, with the cue and the words naming her.
RECORD = {
    "id": 1,
    "title": "Budget",
    "text": "Ana Ruiz said the budget was cut.",
    "statements": [
        {
            "start": 0,
            "end": 33,
            "attributions": [
                {
                    "kind": "indirect",
                    "source": {"name": "Ana Ruiz", "kind": "person", "aliases": []},
                    "source_span": {"start": 0, "end": 8},
                    "cue": {"start": 9, "end": 13},
                    "content": {"start": 14, "end": 33},
                    "status": "accepted",
                    "origin": "manual",
                }
            ],
        }
    ],
}

SCRIPT = """
import json, sys
from claims.formats import doccano, labelstudio
from claims.formats.spans import DEFAULT_LABELS

record = json.loads(sys.argv[1])
back = {
    "doccano": doccano.import_line(doccano.export_line(record), DEFAULT_LABELS)[0],
    "labelstudio": labelstudio.import_task(
        labelstudio.export_task(record), DEFAULT_LABELS
    )[0],
}
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(json.dumps({"back": back, "django": loaded}))
"""


def test_doccano_and_label_studio_convert_without_django():
    """Both converters export and read back a record in a process that has
    no Django settings, and import no Django module doing so."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(RECORD)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["django"] == []
    for tool, record in result["back"].items():
        (statement,) = record["statements"]
        (attribution,) = statement["attributions"]
        assert (statement["start"], statement["end"]) == (0, 33), tool
        assert attribution["kind"] == "indirect", tool
        assert attribution["source"]["name"] == "Ana Ruiz", tool
        assert attribution["cue"] == {"start": 9, "end": 13}, tool
        assert attribution["content"] == {"start": 14, "end": 33}, tool
        assert attribution["status"] == "accepted", tool
