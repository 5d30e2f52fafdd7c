"""The shared test data: fictional officials in many scripts and a list of hostile inputs."""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def hostile_strings() -> tuple[str, ...]:
    """One hostile value per line; lines starting with '# ' are comments."""
    lines = (DATA / "hostile-strings.txt").read_text(encoding="utf-8").split("\n")
    return tuple(line for line in lines if line and not line.startswith("# "))


@cache
def officials() -> tuple[dict[str, str], ...]:
    with (DATA / "officials.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))
