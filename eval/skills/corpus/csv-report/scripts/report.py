import argparse
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

p = argparse.ArgumentParser()
p.add_argument("src"); p.add_argument("--out", default="report.md")
a = p.parse_args()
df = pd.read_excel(a.src) if a.src.endswith("xlsx") else pd.read_csv(a.src)
desc = df.describe(include="all").to_markdown()
df.select_dtypes("number").hist(figsize=(8, 6)); plt.savefig("hist.png")
open(a.out, "w").write(f"# Report\n\n{desc}\n\n![hist](hist.png)\n")
