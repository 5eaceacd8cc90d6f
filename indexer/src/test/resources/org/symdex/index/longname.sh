#!/bin/sh
# Builds liblongname.so.1, the fixture of names over Lucene's 32,766-byte term limit (faults issue,
# item 5): an exported symbol of 40,001 bytes, one of 20,000 bytes that are all >= 0x80 (10,000 times
# U+00E9, which the index holds as 40,000 bytes of UTF-8: ELF names are ISO-8859-1 strings there), and
# an import of 33,000 bytes. Needs gcc and python3; the built file is committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/longname.c" <<'PY'
import sys
a = "exported_" + "a" * (40001 - len("exported_"))
e = "\u00e9" * 10000
b = "imported_" + "b" * (33000 - len("imported_"))
open(sys.argv[1], "w", encoding="utf-8").write(
    f"void {a}(void) {{}}\nvoid {e}(void) {{}}\nvoid short_one(void) {{}}\n"
    f"extern void {b}(void);\nvoid calls(void) {{ {b}(); }}\n")
PY
cd "$work"
gcc -shared -fPIC -O0 -g0 -Wl,--build-id=none -Wl,-soname,liblongname.so.1 -o liblongname.so.1 longname.c
strip --strip-unneeded liblongname.so.1
cp liblongname.so.1 "$here/"
