"""Print the N-th fenced shell command of the README's "Quick start" section.

CI runs exactly what the README tells a user to run; this is the one place
that reads it (tests/test_readme.py checks the section has two commands).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def quickstart_commands(text: str) -> list[str]:
    match = re.search(r"^## Quick start\s*$(.*?)(?=^## )", text, flags=re.M | re.S)
    if not match:
        raise SystemExit("README.md has no '## Quick start' section")
    blocks = re.findall(r"^```(?:bash|sh|shell)?\s*\n(.*?)^```", match.group(1), flags=re.M | re.S)
    return [" ".join(line.rstrip("\\").strip() for line in b.strip().splitlines()) for b in blocks]


if __name__ == "__main__":
    commands = quickstart_commands(README.read_text(encoding="utf-8"))
    index = int(sys.argv[1]) - 1
    if len(commands) != 2:
        raise SystemExit(f"README Quick start must have exactly two fenced commands, found {len(commands)}")
    print(commands[index])
