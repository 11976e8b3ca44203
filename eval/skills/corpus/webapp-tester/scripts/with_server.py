import argparse
import socket
import subprocess
import sys
import time

def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"port {port} did not open")

def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    server = subprocess.Popen(a.server, shell=True)
    try:
        wait_for_port(a.port)
        return subprocess.call(a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd)
    finally:
        server.terminate()

if __name__ == "__main__":
    sys.exit(main())
