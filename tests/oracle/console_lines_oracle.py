#!/usr/bin/env python3
"""Expected console lines of the real fixtures, from an independent reading of the same bytes (stdlib only).

Usage: python3 console_lines_oracle.py [FIXTURES_DIR] > ../WandbRunOps.Tests/Fixtures/real-console-expectations.json

The framing and protobuf come from wandb_log_oracle.py (its own decoder, not the module's). The folding rule is
written here again, from docs/protocol.md section 2.4, not from the C# code:
- a run folder's lines come from its log's console records (Record field 4 OutputRecord or 13 OutputRawRecord:
  output_type 1 = stdout, else stderr; timestamp 2; line 3) when it has any, else from output.log (no stream, no time);
- an OutputRecord (field 4) holds whole lines: one whose text does not end in "\n" still ends its line;
- each stream is its own terminal line: "\\n" ends the line, "\\r" moves to its first column and the characters
  that follow overwrite it one by one, text goes on across records; lines are numbered from 1 in the order they end;
  lines still open at the end come last, in the order they began;
- a line's time is that of the last record that wrote a character or its line feed;
- invalid UTF-8 becomes U+FFFD; escape sequences are removed from finished lines (CSI, OSC, ESC + one byte).
For each run: the line count, a SHA-256 over "number|stream|time|text\\n" per line, and the last 20 lines verbatim.
"""
import glob
import hashlib
import json
import os
import re
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wandb_log_oracle import read_log, Msg  # noqa: E402

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures", "wandb-real")

ESCAPES = re.compile(
    "\x1b(?:\\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    "|\\](?:[^\x07\x1b]|\x1b(?!\\\\))*(?:\x07|\x1b\\\\)?"
    "|[\x28-\x2f].?"
    "|.?)", re.DOTALL)


def strip(text):
    return ESCAPES.sub("", text)


def iso(seconds, nanos):
    t = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (nanos // 1000)


class Terminal:
    def __init__(self):
        self.open = {}      # stream -> {"chars": [], "col": 0, "time": None, "began": n}
        self.began = 0
        self.done = []

    def feed(self, stream, time, text):
        line = self.open.setdefault(stream, {"chars": [], "col": 0, "time": None, "began": None})
        for ch in text:
            if ch == "\n":
                line["time"] = time
                self.done.append((stream, line["time"], "".join(line["chars"])))
                line.update(chars=[], col=0, began=None)
            elif ch == "\r":
                line["col"] = 0
            else:
                if line["began"] is None:
                    line["began"] = self.began
                    self.began += 1
                if line["col"] < len(line["chars"]):
                    line["chars"][line["col"]] = ch
                else:
                    line["chars"].append(ch)
                line["col"] += 1
                line["time"] = time

    def finish(self):
        rest = sorted((l["began"], s) for s, l in self.open.items() if l["chars"])
        for _, s in rest:
            l = self.open[s]
            self.done.append((s, l["time"], "".join(l["chars"])))
        return self.done


def console_records(log_path):
    info, payloads, _ = read_log(log_path)
    if info["damage"]["crc_mismatches"]:
        raise SystemExit("%s has checksum mismatches: this oracle does not model skipping them" % log_path)
    out = []
    for _, payload, _ in payloads:
        rec = Msg(payload)
        for f in (4, 13):
            if rec.has(f):
                o = Msg(rec.last(f))
                stream = "stdout" if o.int(1, 0) == 1 else "stderr"
                ts = o.sub(2)
                time = iso(ts.int(1, 0), ts.int(2, 0)) if ts is not None else None
                text = (o.last(3) or b"").decode("utf-8", errors="replace")
                if f == 4 and not text.endswith("\n"):
                    text += "\n"
                out.append((stream, time, text))
    return out


def lines_of(folder):
    logs = glob.glob(os.path.join(folder, "*.wandb"))
    records = console_records(logs[0]) if logs else []
    term = Terminal()
    if records:
        source = "log"
        for stream, time, text in records:
            term.feed(stream, time, text)
    else:
        source = "output.log"
        for candidate in (os.path.join(folder, "files", "output.log"), os.path.join(folder, "output.log")):
            if os.path.isfile(candidate) and os.path.getsize(candidate) > 0:
                term.feed(None, None, open(candidate, "rb").read().decode("utf-8", errors="replace"))
                break
    return source, [(i + 1, s, t, strip(x)) for i, (s, t, x) in enumerate(term.finish())]


def main():
    runs = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "*", "wandb", "*run-*"))):
        if not os.path.isdir(folder) or os.path.islink(folder):
            continue
        source, lines = lines_of(folder)
        digest = hashlib.sha256()
        for number, stream, time, text in lines:
            digest.update(("%d|%s|%s|%s\n" % (number, stream or "", time or "", text)).encode("utf-8"))
        runs.append({
            "folder": os.path.relpath(folder, ROOT).replace(os.sep, "/"),
            "id": os.path.basename(folder).rsplit("-", 1)[1],
            "source": source,
            "count": len(lines),
            "sha256": digest.hexdigest(),
            "last": [{"number": n, "stream": s, "time": t, "line": x} for n, s, t, x in lines[-20:]],
        })
    json.dump(runs, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
