import argparse, base64, json, os, pathlib, urllib.request

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--prompt", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--out", default="out")
    a = p.parse_args()
    key = os.environ["IMAGES_API_KEY"]
    body = json.dumps({"prompt": a.prompt, "n": a.count, "response_format": "b64_json"}).encode()
    req = urllib.request.Request("https://api.images.example.invalid/v1/images", data=body,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    data = json.load(urllib.request.urlopen(req))
    out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
    for i, item in enumerate(data["data"]):
        (out / f"img_{i}.png").write_bytes(base64.b64decode(item["b64_json"]))

if __name__ == "__main__":
    main()
