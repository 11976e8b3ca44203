import sys
import zipfile
from pathlib import Path

src = Path(sys.argv[1]).expanduser()
out = src.with_suffix(".skill")
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for f in src.rglob("*"):
        if f.is_file():
            z.write(f, f.relative_to(src.parent))
print(out)
