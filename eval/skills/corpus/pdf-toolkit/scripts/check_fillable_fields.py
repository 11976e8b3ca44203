import sys
from pypdf import PdfReader

def main(path: str) -> int:
    reader = PdfReader(path)
    fields = reader.get_fields() or {}
    if not fields:
        print("This PDF has no fillable form fields")
        return 1
    for name, field in fields.items():
        print(f"{name}: {field.get('/FT')}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
