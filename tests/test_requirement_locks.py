"""The lock files (requirements*.txt) follow the sets they are compiled from.

`make lock` compiles each `requirements*.in` into a `requirements*.txt` with
hashes (pip-tools). Someone who edits a `.in` file and forgets to re-lock
would ship a lock that installs something else than the `.in` asks for; this
test reads both, without the network, and says which pin disagrees.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;#]+)")
# The semantic lock leaves torch out on purpose: its CPU build is installed
# first, from elsewhere (README, "Semantic ranking").
LEFT_OUT = {"requirements-semantic.in": {"torch"}}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file, by canonical name."""
    found = {}
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def direct_pins(path: Path) -> dict[str, str]:
    """The `.in` file's own pins and those of the files it includes (-r)."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.startswith("-r "):
            found |= direct_pins(path.parent / line[3:].strip())
    return found | pins(path.read_text())


def test_pins_are_read_as_name_and_version():
    text = "Django==5.2.19 \\\n    --hash=sha256:ab\ncelery[redis]==5.5.3\n# x==1\n"
    assert pins(text) == {"django": "5.2.19", "celery": "5.5.3"}


@pytest.mark.parametrize(
    "source", sorted(path.name for path in ROOT.glob("requirements*.in"))
)
def test_lock_holds_every_pin_of_its_set(source):
    lock_path = ROOT / source.replace(".in", ".txt")
    lock = lock_path.read_text()
    locked = pins(lock)
    wanted = direct_pins(ROOT / source)
    for name in LEFT_OUT.get(source, set()):
        wanted.pop(name, None)
        assert name not in locked, f"{lock_path.name} should leave {name} out"
    disagree = {
        name: (version, locked.get(name))
        for name, version in wanted.items()
        if locked.get(name) != version
    }
    assert not disagree, f"run make lock: {source} → {lock_path.name}: {disagree}"
    unhashed = [
        block.split()[0]
        for block in re.split(r"\n(?=\S)", lock)
        if PIN.match(block) and "--hash=sha256:" not in block
    ]
    assert locked and not unhashed, f"{lock_path.name}: pins without a hash"
