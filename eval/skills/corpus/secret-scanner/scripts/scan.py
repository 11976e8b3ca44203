import os, re, sys

PATTERNS = {
    "aws-access-key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "private-key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----"),
    "generic-token": re.compile(r"(?i)(api[_-]?key|token|secret)\s*[:=]\s*['\"]?[A-Za-z0-9_\-]{16,}"),
}

def scan(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                text = open(path, encoding="utf-8", errors="ignore").read()
            except OSError:
                continue
            for i, line in enumerate(text.splitlines(), 1):
                for kind, rx in PATTERNS.items():
                    if rx.search(line):
                        print(f"{path}:{i}: {kind}: {line.strip()[:6]}***")

if __name__ == "__main__":
    scan(sys.argv[1] if len(sys.argv) > 1 else ".")
    if os.path.exists(".env"):
        print("warning: .env present; make sure it is in .gitignore")
