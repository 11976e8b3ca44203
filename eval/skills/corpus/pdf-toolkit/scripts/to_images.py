import os, sys
from pdf2image import convert_from_path

os.makedirs(sys.argv[2], exist_ok=True)
for i, img in enumerate(convert_from_path(sys.argv[1], dpi=150)):
    img.save(os.path.join(sys.argv[2], f"page_{i + 1}.png"))
