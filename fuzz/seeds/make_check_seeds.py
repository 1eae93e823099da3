#!/usr/bin/env python3
"""Writes the capture seeds of the `check` fuzz target into fuzz/seeds/check/.

The committed fixtures of tests/fixtures/captures/ are real tool output, but too large for the
fuzzer's input limit (-max_len=65536) to keep whole: each seed here is one of them trimmed to a
few requests (a failing body, the proxy page, gzip, the idempotency pair), written the way the
tool writes it (pretty-printed or compact). The hostile seeds are the cases of
tests/cli/hostile.rs in small: zip archives whose sizes lie or claim gigabytes, `_file` names
outside the folder, Newman byte arrays that are not bytes, a Hurl body file that is missing.
The fuzz target checks bytes in memory (no folder), so a body file beside a capture is never
read there; those paths are pinned by the integration tests instead.

Run from the repository root: python3 fuzz/seeds/make_check_seeds.py
"""

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = ROOT / "tests" / "fixtures" / "captures"
OUT = Path(__file__).resolve().parent / "check"

# 0-based positions among the 14 requests of the fixtures (tests/fixtures/captures/README.md):
# bad-title, proxy-html, gzip, order-create-amount-5, order-create-amount-6.
REQUESTS = [3, 8, 10, 11, 12]
# Playwright's HAR has the page itself first.
ENTRIES = [n + 1 for n in REQUESTS]


def pretty(value):
    """As JSON.stringify(value, null, 2) writes it."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def load(path):
    return json.loads((CAPTURES / path).read_text(encoding="utf-8"))


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) <= 65536, f"{name}: {len(data)} bytes is over -max_len"
    (OUT / name).write_bytes(data)


def trimmed_har(har, entries):
    har = dict(har)
    log = dict(har["log"])
    log["entries"] = [log["entries"][i] for i in entries]
    har["log"] = log
    return har


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def with_declared_size(archive, member, size):
    """`archive` with the uncompressed size of `member` rewritten to `size`, in its local
    header and its central directory entry (the two places a reader may trust)."""
    data = bytearray(archive)
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"\x14\x00")
    while local >= 0:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == name:
            struct.pack_into("<I", data, local + 22, size)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def one_entry_har(content, status=404):
    return compact(
        {
            "log": {
                "version": "1.2",
                "creator": {"name": "Playwright", "version": "1.65.1"},
                "entries": [
                    {
                        "request": {"method": "GET", "url": "http://127.0.0.1:8719/x", "headers": []},
                        "response": {
                            "status": status,
                            "headers": [{"name": "Content-Type", "value": "application/problem+json"}],
                            "content": content,
                        },
                    }
                ],
            }
        }
    )


def newman_with_stream(stream):
    return pretty(
        {
            "collection": {"item": []},
            "run": {
                "executions": [
                    {
                        "item": {"name": "bytes"},
                        "response": {"code": 404, "header": [], "stream": stream},
                    }
                ]
            },
        }
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # Real output, trimmed.
    newman = load("newman/report.json")
    newman["collection"] = {"info": newman["collection"].get("info", {}), "item": []}
    run = newman["run"]
    newman["run"] = {
        "stats": run["stats"],
        "executions": [run["executions"][i] for i in REQUESTS],
        "failures": [],
        "error": None,
    }
    write("newman.json", pretty(newman))

    bruno = load("bruno/report.json")
    iteration = dict(bruno[0])
    iteration["results"] = [iteration["results"][i] for i in REQUESTS]
    write("bruno.json", pretty([iteration]))

    hurl = load("hurl/report/report.json")
    file = dict(hurl[0])
    file["entries"] = [file["entries"][i] for i in REQUESTS]
    write("hurl.json", compact([file]))

    write("playwright-embed.har", compact(trimmed_har(load("playwright/embed.har"), ENTRIES)))
    write("playwright-omit.har", compact(trimmed_har(load("playwright/omit.har"), ENTRIES)))

    with zipfile.ZipFile(CAPTURES / "playwright" / "attach.har.zip") as archive:
        har = trimmed_har(json.loads(archive.read("har.har")), ENTRIES)
        names = set()
        for entry in har["log"]["entries"]:
            for holder in (entry["response"].get("content", {}), entry["request"].get("postData", {})):
                if "_file" in holder:
                    names.add(holder["_file"])
        members = [("har.har", compact(har))] + [(n, archive.read(n)) for n in sorted(names)]
    write("playwright-attach.har.zip", zip_bytes(members))

    # Hostile: zip archives.
    body = b'{"type":"about:blank","title":"Not Found","status":404}'
    har = one_entry_har({"size": len(body), "mimeType": "application/problem+json", "_file": "body.json"})
    honest = zip_bytes([("har.har", har), ("body.json", body)])
    # A body member that claims 4 GiB: refused before it is inflated.
    write("zip-declares-gigabytes.har.zip", with_declared_size(honest, "body.json", 0xFFFFFFFF))
    # The HAR member itself claims 4 GiB.
    write("zip-har-declares-gigabytes.har.zip", with_declared_size(honest, "har.har", 0xFFFFFFFF))
    # A body member that declares 64 bytes and inflates to 16 MiB: cut off at 64.
    bomb = zip_bytes([("har.har", har), ("body.json", b"{" + b" " * (16 << 20))])
    write("zip-lies-about-size.har.zip", with_declared_size(bomb, "body.json", 64))
    # Not a capture: no `.har` member, or two.
    write("zip-without-har.zip", zip_bytes([("body.json", body)]))
    write("zip-two-hars.zip", zip_bytes([("a.har", har), ("b.har", har)]))
    # `_file` names that leave the folder, or name a member that is not there.
    for tag, name in [("parent", "../../etc/passwd"), ("absolute", "/etc/passwd"), ("missing", "gone.json")]:
        content = {"size": 10, "mimeType": "application/problem+json", "_file": name}
        write(f"har-file-{tag}.har", one_entry_har(content))
        write(f"zip-file-{tag}.har.zip", zip_bytes([("har.har", one_entry_har(content))]))

    # Hostile: Newman byte arrays that are not bytes.
    write("newman-byte-300.json", newman_with_stream({"type": "Buffer", "data": [123, 300, 125]}))
    write("newman-byte-string.json", newman_with_stream({"type": "Buffer", "data": [123, "7", 125]}))
    write("newman-byte-nested.json", newman_with_stream({"type": "Buffer", "data": [123, [125]]}))
    write("newman-data-not-array.json", newman_with_stream({"type": "Buffer", "data": "e30="}))
    write("newman-not-buffer.json", newman_with_stream({"type": "Blob", "data": [123, 125]}))

    # Hostile: a Hurl report whose body file is missing.
    entry = file["entries"][0]
    missing = json.loads(json.dumps(entry))
    missing["calls"][0]["response"]["body"] = "store/missing_response.json"
    write("hurl-missing-body.json", compact([dict(file, entries=[missing])]))


if __name__ == "__main__":
    main()
