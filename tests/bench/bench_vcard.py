"""Benchmark: parse a 10 MB vCard file (one card with an 8.7 MB folded PHOTO, then 5,000 ordinary cards).

Prints the size and the seconds to read it into an import table (the issue asks for under 2 s).
Usage: python tests/bench/bench_vcard.py [MEGABYTES]
"""

from __future__ import annotations

import sys
import time

from kamdesk.domain.vcard import fold_line, read_vcard_bytes


def make_vcf(megabytes: float) -> bytes:
    photo = fold_line("PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * int(8_700_000 / 4))
    cards = [f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\n{photo}\r\nEND:VCARD\r\n"]
    size = len(cards[0])
    n = 0
    while size < megabytes * 1_000_000:
        card = (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:王;芳{n};;;\r\nFN:王芳{n}\r\nORG:客户公司{n // 10}\r\n"
            f"TEL;TYPE=CELL:1{n:010d}\r\nEMAIL:p{n}@example.com\r\n"
            + fold_line("NOTE:" + "喜欢普洱茶，不喝酒。" * 20)
            + "\r\nEND:VCARD\r\n"
        )
        cards.append(card)
        size += len(card.encode("utf-8"))
        n += 1
    return "".join(cards).encode("utf-8")


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    data = make_vcf(megabytes)
    started = time.perf_counter()
    table = read_vcard_bytes(data)
    elapsed = time.perf_counter() - started
    print(f"{len(data) / 1e6:.1f} MB vCard file, {len(table.rows)} cards: parsed in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
