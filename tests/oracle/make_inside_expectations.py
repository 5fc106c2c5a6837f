#!/usr/bin/env python3
"""Expected system metrics and metadata of the real fixtures, from an independent reading of the same bytes.

Usage: python3 make_inside_expectations.py [FIXTURES_DIR] > ../WandbRunOps.Tests/Fixtures/real-inside-expectations.json

Standard library only. The log is framed by wandb_log_oracle.read_log; records are decoded here with its Msg reader.
The rules are the module's documented ones (docs/protocol.md, sections 1.3 and 2.3):
- system metrics: each stats record (Record field 7; stats_type 1 = 0 system, timestamp 2, items 3 with key 1 and
  value_json 16) is one row; a key gets "system." in front unless it already starts with it; a JSON object value is
  one metric per leaf, its path joined by dots; a value that is not JSON is left out. Runtime is the sample's time
  minus the run's start (run record field 17, else the first environment record's started_at 3), to the microsecond.
  A legacy folder (no log) is read from wandb-events.jsonl: _timestamp and _runtime are the row's time, other keys
  starting with "_" are bookkeeping.
- metadata: files/wandb-metadata.json (or the legacy folder's own), else the log's first environment record
  (Record field 26: os 1, python 2, started_at 3, args 5, program 6, git 9 {remote_url 1, commit 2}, host 12,
  executable 14, cpu_count 16, gpu_type 18, gpu_count 19). Empty strings are absent.
"""
import json
import math
import os
import re
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wandb_log_oracle as oracle  # noqa: E402

DIR_RE = re.compile(r"^(offline-run|run)-(\d{8}_\d{6})-([a-z0-9]+)$")
PREFIX = "system."


def plain(v):
    """A JSON-safe value: non-finite floats as their W&B spelling in a string."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def loads(text):
    consts = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
    return json.loads(text, parse_constant=lambda c: consts[c], object_pairs_hook=OrderedDict)


def add_metric(values, name, value):
    if isinstance(value, dict) and value:
        for k, v in value.items():
            add_metric(values, name + "." + k, v)
    else:
        values[name] = plain(value)


def ts_parts(msg):
    if msg is None:
        return None
    return msg.sint32(1, 0), msg.int(2, 0)


def epoch(parts):
    return parts[0] + parts[1] / 1e9


def from_log(path):
    _, payloads, _ = oracle.read_log(path)
    rows, env, start, env_start = [], None, None, None
    for _, payload, _ in payloads:
        try:
            rec = oracle.Msg(payload)
        except ValueError:
            continue
        if rec.has(17) and start is None:
            start = ts_parts(rec.sub(17).sub(17))
        if rec.has(26) and env is None:
            e = rec.sub(26)
            env = e
            env_start = ts_parts(e.sub(3))
        if rec.has(7):
            s = rec.sub(7)
            if s.int(1, 0) != 0:
                continue
            values = OrderedDict()
            unparsed = []
            for it in s.subs(3):
                key = it.str(1)
                if not key:
                    continue
                name = key if key.startswith(PREFIX) else PREFIX + key
                try:
                    value = loads(it.str(16))
                except ValueError:
                    unparsed.append(name)
                    continue
                add_metric(values, name, value)
            rows.append({"ts": ts_parts(s.sub(2)), "values": values, "unparsed": unparsed})
    run_start = start if start is not None else env_start
    out = []
    for r in rows:
        row = OrderedDict()
        row["seconds"], row["nanos"] = r["ts"] if r["ts"] else (None, None)
        row["runtime"] = round(epoch(r["ts"]) - epoch(run_start), 6) if r["ts"] and run_start else None
        row["values"] = r["values"]
        if r["unparsed"]:
            row["unparsed"] = r["unparsed"]
        out.append(row)
    return out, env


def from_events(path):
    out = []
    if not os.path.isfile(path):
        return out
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        values = OrderedDict()
        for k, v in obj.items():
            if not k.startswith("_"):
                add_metric(values, k, v)
        row = OrderedDict()
        ts = obj.get("_timestamp")
        row["epoch"] = ts if isinstance(ts, (int, float)) and not isinstance(ts, bool) else None
        rt = obj.get("_runtime")
        row["runtime"] = float(rt) if isinstance(rt, (int, float)) and not isinstance(rt, bool) else None
        row["values"] = values
        out.append(row)
    return out


def text(v):
    return v if isinstance(v, str) and v else None


def count(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and 0 <= v <= 2**31 - 1:
        return v
    if isinstance(v, float) and v.is_integer() and 0 <= v <= 2**31 - 1:
        return int(v)
    if isinstance(v, str) and v.isdigit():
        return int(v)
    return None


def from_metadata_file(m):
    git = m.get("git") if isinstance(m.get("git"), dict) else {}
    args = m.get("args") if isinstance(m.get("args"), list) else []
    return OrderedDict(
        program=text(m.get("program")), args=[a if isinstance(a, str) else json.dumps(a) for a in args],
        gitRemote=text(git.get("remote")) or text(git.get("remoteUrl")) or text(git.get("remote_url")),
        gitCommit=text(git.get("commit")), os=text(m.get("os")), python=text(m.get("python")), host=text(m.get("host")),
        executable=text(m.get("executable")), cpuCount=count(m.get("cpu_count")), gpuCount=count(m.get("gpu_count")),
        gpu=text(m.get("gpu")), startedAt=text(m.get("startedAt")), startedAtSource="file")


def from_environment(e):
    g = e.sub(9)
    started = ts_parts(e.sub(3))
    return OrderedDict(
        program=text(e.str(6)), args=e.strs(5),
        gitRemote=text(g.str(1)) if g else None, gitCommit=text(g.str(2)) if g else None,
        os=text(e.str(1)), python=text(e.str(2)), host=text(e.str(12)), executable=text(e.str(14)),
        cpuCount=e.int(16) if e.has(16) else None, gpuCount=e.int(19) if e.has(19) else None, gpu=text(e.str(18)),
        startedAt=oracle.ts_to_iso(*started) if started else None, startedAtSource="environment")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures", "wandb-real")
    out = []
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames.sort()
        m = DIR_RE.match(os.path.basename(dirpath))
        if not m:
            continue
        dirnames[:] = []
        rel = os.path.relpath(dirpath, root)
        logs = sorted(f for f in filenames if f.endswith(".wandb"))
        files = os.path.join(dirpath, "files") if os.path.isdir(os.path.join(dirpath, "files")) else dirpath
        entry = OrderedDict(folder=rel, id=m.group(3))
        env = None
        if logs:
            entry["rows"], env = from_log(os.path.join(dirpath, logs[0]))
            entry["legacy"] = False
        else:
            entry["rows"] = from_events(os.path.join(dirpath, "wandb-events.jsonl"))
            entry["legacy"] = True
        meta_path = os.path.join(files, "wandb-metadata.json")
        metadata = None
        if os.path.isfile(meta_path):
            try:
                parsed = loads(open(meta_path, encoding="utf-8").read())
                if isinstance(parsed, dict):
                    metadata = from_metadata_file(parsed)
            except ValueError:
                metadata = None
        if metadata is None and env is not None:
            metadata = from_environment(env)
        entry["metadata"] = metadata
        out.append(entry)
    sys.stdout.write("[\n" + ",\n".join(json.dumps(e, ensure_ascii=False, allow_nan=False) for e in out) + "\n]\n")


if __name__ == "__main__":
    main()
