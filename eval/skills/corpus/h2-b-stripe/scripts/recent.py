import os, requests
r = requests.get("https://api.payments.example.invalid/v1/charges", params={"limit": 20}, auth=(os.environ["PAYMENTS_SECRET_KEY"], ""))
for c in r.json()["data"]:
    print(c["id"], c["amount"], c["status"])
