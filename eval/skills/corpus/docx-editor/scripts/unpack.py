import sys, zipfile, pathlib
src, dst = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(src) as z:
    for info in z.infolist():
        target = (dst / info.filename).resolve()
        if not str(target).startswith(str(dst.resolve())):
            raise SystemExit(f"unsafe member {info.filename}")
        z.extract(info, dst)
