import argparse
from pathlib import Path

TEMPLATE = """---
name: {name}
description: TODO describe when to use this skill.
---

# {title}
"""

def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("--path", default=str(Path.home() / ".claude" / "skills"))
    a = p.parse_args()
    root = Path(a.path).expanduser() / a.name
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "SKILL.md").write_text(TEMPLATE.format(name=a.name, title=a.name.replace("-", " ").title()))
    print(f"created {root}")

main()
