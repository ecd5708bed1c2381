"""The requirements as files: the direct dependencies (requirements/*.in) and the hashed locks `make lock` makes
from them (requirements/*.txt), read without pip or the network so that tests can compare them cheaply."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"
LAYERS = ("base", "dev", "production", "deploy")  # each layer's lock is requirements/<layer>.txt, made from <layer>.in

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][\w.-]*)==(?P<version>[^\s;\\]+)")
HASH = re.compile(r"^\s+--hash=(?P<hash>sha256:[0-9a-f]{64})")
VIA = re.compile(r"^\s+# via(?: (?P<reason>.+))?$")  # `# via reason`, or `# via` and one `#   reason` a line
VIA_MORE = re.compile(r"^\s+#   (?P<reason>.+)$")


@dataclass
class Pin:
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # what brought it in: packages, `-r file.in`, `-c file.txt`


def read_lock(path: Path) -> dict[str, Pin]:
    """Each package of a lock by its normalised name, with its version, its hashes and why it is there."""
    pins: dict[str, Pin] = {}
    pin = None
    for line in path.read_text().splitlines():
        if found := PIN.match(line):
            pin = pins[canonicalize_name(found["name"])] = Pin(found["version"])
        elif pin and (found := HASH.match(line)):
            pin.hashes.append(found["hash"])
        elif pin and (found := VIA.match(line) or VIA_MORE.match(line)) and found["reason"]:
            pin.via.append(found["reason"].strip())
    return pins


def direct_requirements(path: Path) -> list[Requirement]:
    """The requirements an .in file names itself (not those of the files it includes with -r)."""
    lines = (line.split(" #")[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith(("#", "-"))]


def included_files(path: Path, option: str) -> list[Path]:
    """The files an .in file includes with `-r` (their requirements) or `-c` (their pins, as constraints)."""
    prefix = f"{option} "
    return [
        path.parent / line.removeprefix(prefix).strip()
        for line in path.read_text().splitlines()
        if line.startswith(prefix)
    ]


def all_direct_requirements(path: Path) -> list[Requirement]:
    """An .in file's requirements and those of every file it includes with -r."""
    return [
        *direct_requirements(path),
        *(r for inner in included_files(path, "-r") for r in all_direct_requirements(inner)),
    ]
