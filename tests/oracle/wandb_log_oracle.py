#!/usr/bin/env python3
"""Independent decoder for W&B run folders (.wandb LevelDB-style log + files/).

No third-party packages needed (PyYAML is used only if present, for config.yaml;
otherwise a tiny fallback parser for the top-level keys is used).

Usage: python3 decode.py [FIXTURES_DIR] [OUT_DIR]
"""
import datetime
import json
import math
import os
import re
import struct
import sys
import zlib
from collections import Counter, OrderedDict

BLOCK = 32768
HEADER = b":W&B" + struct.pack("<H", 0xBEE1) + b"\x00"

# ----------------------------------------------------------------------------
# protobuf wire format
# ----------------------------------------------------------------------------


def read_varint(buf, pos):
    result = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 70:
            raise ValueError("varint too long")


def parse_fields(buf):
    """Return list of (field_no, wire_type, value). value: int for varint/fixed, bytes for LEN."""
    out = []
    pos = 0
    n = len(buf)
    while pos < n:
        key, pos = read_varint(buf, pos)
        fno, wt = key >> 3, key & 7
        if wt == 0:
            v, pos = read_varint(buf, pos)
        elif wt == 1:
            v = buf[pos:pos + 8]
            if len(v) != 8:
                raise ValueError("truncated fixed64")
            pos += 8
        elif wt == 2:
            ln, pos = read_varint(buf, pos)
            v = buf[pos:pos + ln]
            if len(v) != ln:
                raise ValueError("truncated LEN")
            pos += ln
        elif wt == 5:
            v = buf[pos:pos + 4]
            if len(v) != 4:
                raise ValueError("truncated fixed32")
            pos += 4
        else:
            raise ValueError("bad wire type %d" % wt)
        out.append((fno, wt, v))
    return out


class Msg:
    """Thin accessor over parsed fields; records which field numbers were seen."""

    def __init__(self, buf, name="?", unknown_sink=None, known=None):
        self.raw = buf
        self.fields = parse_fields(buf)
        self.name = name
        if unknown_sink is not None and known is not None:
            for f, wt, _ in self.fields:
                if f not in known:
                    unknown_sink[(name, f, wt)] += 1

    def has(self, f):
        return any(x[0] == f for x in self.fields)

    def all(self, f):
        return [v for (n, wt, v) in self.fields if n == f]

    def last(self, f, default=None):
        vals = self.all(f)
        return vals[-1] if vals else default

    def str(self, f, default=""):
        v = self.last(f)
        return v.decode("utf-8") if v is not None else default

    def strs(self, f):
        return [v.decode("utf-8") for v in self.all(f)]

    def int(self, f, default=0):
        v = self.last(f)
        if v is None:
            return default
        return v

    def sint32(self, f, default=0):
        # int32 encoded as varint (negative numbers as 10-byte two's complement)
        v = self.last(f)
        if v is None:
            return default
        v &= 0xFFFFFFFFFFFFFFFF
        if v >= 1 << 63:
            v -= 1 << 64
        return v

    def double(self, f, default=None):
        v = self.last(f)
        if v is None:
            return default
        return struct.unpack("<d", v)[0]

    def bool(self, f):
        return bool(self.int(f, 0))

    def sub(self, f, name="?"):
        v = self.last(f)
        return Msg(v, name) if v is not None else None

    def subs(self, f, name="?"):
        return [Msg(v, name) for v in self.all(f)]


RECORD_TYPES = {
    2: "history", 3: "summary", 4: "output", 5: "config", 6: "files", 7: "stats",
    8: "artifact", 9: "tbrecord", 10: "alert", 11: "telemetry", 12: "metric",
    13: "output_raw", 17: "run", 18: "exit", 20: "final", 21: "header", 22: "footer",
    23: "preempting", 24: "noop_link_artifact", 25: "use_artifact", 26: "environment",
    27: "output_logger", 100: "request",
}
RECORD_KNOWN = set(RECORD_TYPES) | {1, 16, 19, 200}

# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------

BARE_CONST_RE = re.compile(r"NaN|-?Infinity")


def parse_value_json(s, nan_sink=None, where=""):
    flagged = []

    def pc(c):
        flagged.append(c)
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[c]

    try:
        v = json.loads(s, parse_constant=pc)
    except Exception as e:  # noqa
        if nan_sink is not None:
            nan_sink.append({"where": where, "value_json": s[:200], "error": "unparseable: %s" % e})
        return {"__unparseable__": s}
    if flagged and nan_sink is not None:
        nan_sink.append({"where": where, "value_json": s[:300], "constants": sorted(set(flagged))})
    return v


def ts_to_iso(seconds, nanos):
    dt = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if nanos:
        frac = ("%09d" % nanos).rstrip("0")
        return base + "." + frac + "Z"
    return base + "Z"


def timestamp(msg):
    if msg is None:
        return None
    s = msg.sint32(1, 0)  # int64 varint; sign handled same way
    n = msg.int(2, 0)
    return {"seconds": s, "nanos": n, "iso": ts_to_iso(s, n), "epoch": s + n / 1e9}


def set_path(tree, path, value):
    node = tree
    for p in path[:-1]:
        if not isinstance(node.get(p), dict):
            node[p] = OrderedDict()
        node = node[p]
    node[path[-1]] = value


def remove_path(tree, path):
    node = tree
    for p in path[:-1]:
        node = node.get(p)
        if not isinstance(node, dict):
            return False
    return node.pop(path[-1], None) is not None


def item_path(m):
    """ConfigItem / SummaryItem / HistoryItem: key=1, nested_key=2, value_json=16."""
    key = m.str(1, None) if m.has(1) else None
    nk = m.strs(2)
    if nk:
        return nk, "nested_key" if key is None else "both"
    return [key if key is not None else ""], "key"


def jnum(v):
    """Keep numbers exact: return repr of floats (shortest round-trip)."""
    return v


# ----------------------------------------------------------------------------
# log framing
# ----------------------------------------------------------------------------


def read_log(path):
    data = open(path, "rb").read()
    info = OrderedDict()
    info["file"] = os.path.basename(path)
    info["size"] = len(data)
    info["header_ok"] = data[:7] == HEADER
    info["header_hex"] = data[:7].hex()
    info["header_only"] = len(data) == 7 and info["header_ok"]
    damage = OrderedDict(
        crc_mismatches=[], truncated_chunk=None, truncated_header_at_eof=None,
        first_without_last_at_eof=None, zero_padding=[], zero_headers=[],
        orphan_chunks=[], chunk_overflow=[], trailing_bytes=None)
    chunk_types = Counter()
    payloads = []  # (offset_of_first_chunk, payload bytes, n_chunks)
    if not info["header_ok"]:
        info["damage"] = damage
        return info, payloads, chunk_types
    pos = 7
    pending = None  # [start_offset, bytearray, nchunks]
    n = len(data)
    while pos < n:
        room = BLOCK - (pos % BLOCK)
        if room < 7:
            pad = data[pos:pos + room]
            damage["zero_padding"].append({"offset": pos, "len": len(pad),
                                           "all_zero": pad == b"\x00" * len(pad)})
            pos += room
            continue
        if pos + 7 > n:
            damage["truncated_header_at_eof"] = {"offset": pos, "bytes": n - pos}
            break
        crc, ln, typ = struct.unpack("<IHB", data[pos:pos + 7])
        if crc == 0 and ln == 0 and typ == 0:
            damage["zero_headers"].append(pos)
            # skip rest of block (Go reader skips zeroed region)
            pos += room
            continue
        if ln > room - 7:
            damage["chunk_overflow"].append({"offset": pos, "len": ln, "room": room - 7})
        end = pos + 7 + ln
        if end > n:
            damage["truncated_chunk"] = {"offset": pos, "claimed_len": ln, "type": typ,
                                         "available": n - pos - 7}
            break
        payload = data[pos + 7:end]
        chunk_types[typ] += 1
        calc = zlib.crc32(payload, zlib.crc32(bytes([typ]))) & 0xFFFFFFFF
        if calc != crc:
            damage["crc_mismatches"].append({"offset": pos, "stored": crc, "calc": calc,
                                             "type": typ, "len": ln})
        if typ == 1:
            if pending is not None:
                damage["orphan_chunks"].append({"offset": pending[0], "why": "FIRST not closed before FULL"})
                pending = None
            payloads.append((pos, bytes(payload), 1))
        elif typ == 2:
            if pending is not None:
                damage["orphan_chunks"].append({"offset": pending[0], "why": "FIRST not closed before FIRST"})
            pending = [pos, bytearray(payload), 1]
        elif typ == 3:
            if pending is None:
                damage["orphan_chunks"].append({"offset": pos, "why": "MIDDLE without FIRST"})
            else:
                pending[1] += payload
                pending[2] += 1
        elif typ == 4:
            if pending is None:
                damage["orphan_chunks"].append({"offset": pos, "why": "LAST without FIRST"})
            else:
                pending[1] += payload
                pending[2] += 1
                payloads.append((pending[0], bytes(pending[1]), pending[2]))
                pending = None
        else:
            damage["orphan_chunks"].append({"offset": pos, "why": "unknown chunk type %d" % typ})
        pos = end
    if pending is not None:
        damage["first_without_last_at_eof"] = {"offset": pending[0], "chunks": pending[2],
                                               "bytes_buffered": len(pending[1])}
    info["damage"] = damage
    info["chunk_type_counts"] = {str(k): v for k, v in sorted(chunk_types.items())}
    return info, payloads, chunk_types


# ----------------------------------------------------------------------------
# run folder analysis (.wandb)
# ----------------------------------------------------------------------------


def analyze_log(path):
    info, payloads, _ = read_log(path)
    res = OrderedDict()
    res["log"] = info
    unknown = Counter()
    nan_notes = []
    counts = Counter()
    order = []
    nums = []
    run_records = []
    header = None
    telemetry = []
    exit_rec = None
    exit_index = None
    final_idx = footer_idx = preempt_idx = None
    config = OrderedDict()
    config_key_style = Counter()
    summary = OrderedDict()
    summary_raw = OrderedDict()  # leaf path (json list) -> last value_json set
    summary_key_style = Counter()
    summary_records = []
    history = []
    history_key_style = Counter()
    stats_ts = []
    stats_keys = set()
    output_ts = []
    output_raw_ts = []
    output_lines = 0
    artifacts = []
    use_artifacts = []
    environments = []
    metrics = []
    files_paths = []
    alerts = []
    decode_errors = []
    req_or_local = 0
    for idx, (off, payload, nch) in enumerate(payloads):
        try:
            rec = Msg(payload, "Record", unknown, RECORD_KNOWN)
        except Exception as e:
            decode_errors.append({"offset": off, "error": str(e)})
            continue
        rtypes = [RECORD_TYPES[f] for f, wt, v in rec.fields if f in RECORD_TYPES]
        rtype = rtypes[0] if rtypes else "(none)"
        if len(set(rtypes)) > 1:
            decode_errors.append({"offset": off, "error": "multiple oneof %s" % rtypes})
        counts[rtype] += 1
        order.append(rtype)
        nums.append(rec.int(1, 0))
        ctrl = rec.sub(16)
        if rec.has(100) or (ctrl is not None and ctrl.bool(2)):
            req_or_local += 1
        if rtype == "header":
            h = rec.sub(21)
            vi = h.sub(1)
            header = {"producer": vi.str(1) if vi else None, "min_consumer": vi.str(2) if vi else None,
                      "empty": len(h.raw) == 0 or (vi is None)}
        elif rtype == "run":
            r = rec.sub(17)
            rr = OrderedDict()
            rr["run_id"] = r.str(1)
            rr["entity"] = r.str(2)
            rr["project"] = r.str(3)
            rr["run_group"] = r.str(6)
            rr["job_type"] = r.str(7)
            rr["display_name"] = r.str(8)
            rr["notes"] = r.str(9)
            rr["tags"] = r.strs(10)
            rr["sweep_id"] = r.str(12)
            rr["host"] = r.str(13)
            rr["starting_step"] = r.int(14, 0)
            rr["storage_id"] = r.str(16)
            rr["start_time"] = timestamp(r.sub(17))
            rr["resumed"] = r.bool(18)
            rr["runtime"] = r.sint32(20, 0)
            rr["forked"] = r.bool(22)
            g = r.sub(21)
            rr["git"] = {"remote_url": g.str(1), "commit": g.str(2)} if g else None
            t = r.sub(19)
            if t is not None:
                rr["telemetry"] = {"python_version": t.str(4), "cli_version": t.str(5),
                                   "core_version": t.str(12), "platform": t.str(13),
                                   "huggingface_version": t.str(6)}
            cfg = r.sub(4)
            rr["config_items"] = 0
            if cfg is not None:
                for it in cfg.subs(1):
                    p, style = item_path(it)
                    config_key_style["run:" + style] += 1
                    rr["config_items"] += 1
                    if not run_records:
                        set_path(config, p, parse_value_json(it.str(16), nan_notes, "run.config:" + "/".join(p)))
            sm = r.sub(5)
            rr["summary_items"] = 0
            if sm is not None:
                for it in sm.subs(1):
                    p, style = item_path(it)
                    rr["summary_items"] += 1
                    if not run_records:
                        set_path(summary, p, parse_value_json(it.str(16), nan_notes, "run.summary:" + "/".join(p)))
            run_records.append(rr)
        elif rtype == "config":
            c = rec.sub(5)
            for it in c.subs(1):
                p, style = item_path(it)
                config_key_style["upd:" + style] += 1
                set_path(config, p, parse_value_json(it.str(16), nan_notes, "config:" + "/".join(p)))
            for it in c.subs(2):
                p, style = item_path(it)
                config_key_style["rm:" + style] += 1
                remove_path(config, p)
        elif rtype == "summary":
            s = rec.sub(3)
            upd = s.subs(1)
            rm = s.subs(2)
            sr = {"index": idx, "after_exit": exit_index is not None, "n_update": len(upd),
                  "n_remove": len(rm), "keys": []}
            for it in upd:
                p, style = item_path(it)
                summary_key_style[style] += 1
                sr["keys"].append(p)
                set_path(summary, p, parse_value_json(it.str(16), nan_notes, "summary:" + "/".join(p)))
                pk = json.dumps(p)
                for k in [k for k in summary_raw if k == pk or k.startswith(pk[:-1] + ",")]:
                    del summary_raw[k]
                summary_raw[pk] = {"value_json": it.str(16), "style": style}
            for it in rm:
                p, style = item_path(it)
                remove_path(summary, p)
                pk = json.dumps(p)
                for k in [k for k in summary_raw if k == pk or k.startswith(pk[:-1] + ",")]:
                    del summary_raw[k]
            summary_records.append(sr)
        elif rtype == "history":
            h = rec.sub(2)
            row = OrderedDict()
            raw = OrderedDict()
            for it in h.subs(1):
                p, style = item_path(it)
                history_key_style[style] += 1
                vj = it.str(16)
                v = parse_value_json(vj, nan_notes, "history:" + "/".join(p))
                set_path(row, p, v)
                raw[tuple(p)] = vj
            st = h.sub(2)
            step = st.int(1, 0) if st is not None else None
            history.append({"step": step, "step_present": st is not None, "row": row, "raw": raw})
        elif rtype == "stats":
            s = rec.sub(7)
            ts = timestamp(s.sub(2))
            stats_ts.append(ts)
            for it in s.subs(3):
                stats_keys.add(it.str(1))
                vj = it.str(16)
                if BARE_CONST_RE.search(vj):
                    parse_value_json(vj, nan_notes, "stats:" + it.str(1))
        elif rtype in ("output", "output_raw"):
            o = rec.sub(4 if rtype == "output" else 13)
            ts = timestamp(o.sub(2))
            (output_ts if rtype == "output" else output_raw_ts).append(ts)
            output_lines += 1
        elif rtype == "exit":
            e = rec.sub(18)
            exit_rec = {"exit_code": e.sint32(1, 0), "runtime": e.sint32(2, 0),
                        "not_complete": e.bool(3), "empty": len(e.raw) == 0,
                        "fields_present": sorted(set(f for f, _, _ in e.fields))}
            exit_index = idx
        elif rtype == "final":
            final_idx = idx
        elif rtype == "footer":
            footer_idx = idx
        elif rtype == "preempting":
            preempt_idx = idx
        elif rtype == "telemetry":
            t = rec.sub(11)
            telemetry.append({"python_version": t.str(4), "cli_version": t.str(5),
                              "core_version": t.str(12), "platform": t.str(13)})
        elif rtype == "artifact":
            a = rec.sub(8)
            m = a.sub(12)
            entries = []
            if m is not None:
                for en in m.subs(4):
                    entries.append({"path": en.str(1), "digest": en.str(2), "ref": en.str(3),
                                    "size": en.int(4, 0), "local_path": en.str(6)})
            md = a.str(8)
            artifacts.append(OrderedDict(
                run_id=a.str(1), project=a.str(2), entity=a.str(3), type=a.str(4), name=a.str(5),
                digest=a.str(6), description=a.str(7), metadata=md, user_created=a.bool(9),
                use_after_commit=a.bool(10), aliases=a.strs(11), finalize=a.bool(14),
                distributed_id=a.str(13), client_id=a.str(15), sequence_client_id=a.str(16),
                base_id=a.str(17), tags=a.strs(19),
                manifest=None if m is None else OrderedDict(
                    version=m.sint32(1, 0), storage_policy=m.str(2),
                    storage_policy_config={kv.str(1): kv.str(2) for kv in m.subs(3)},
                    manifest_file_path=m.str(5)),
                entry_count=len(entries), total_size=sum(e["size"] for e in entries),
                entries=entries))
        elif rtype == "use_artifact":
            u = rec.sub(25)
            use_artifacts.append({"id": u.str(1), "type": u.str(2), "name": u.str(3),
                                  "has_partial": u.has(4)})
        elif rtype == "environment":
            e = rec.sub(26)
            g = e.sub(9)
            environments.append(OrderedDict(
                os=e.str(1), python=e.str(2), started_at=timestamp(e.sub(3)),
                docker=e.str(4), args=e.strs(5), program=e.str(6), code_path=e.str(7),
                code_path_local=e.str(8),
                git=({"remote_url": g.str(1), "commit": g.str(2)} if g else None),
                email=e.str(10), root=e.str(11), host=e.str(12), username=e.str(13),
                executable=e.str(14), cpu_count=e.int(16, 0), cpu_count_logical=e.int(17, 0),
                gpu_type=e.str(18), gpu_count=e.int(19, 0), writer_id=e.str(199),
                fields_present=sorted(set(f for f, _, _ in e.fields))))
        elif rtype == "metric":
            mm = rec.sub(12)
            metrics.append({"name": mm.str(1), "glob_name": mm.str(2), "step_metric": mm.str(4)})
        elif rtype == "files":
            f = rec.sub(6)
            for it in f.subs(1):
                files_paths.append({"path": it.str(1), "policy": it.int(2, 0), "type": it.int(3, 0)})
        elif rtype == "alert":
            a = rec.sub(10)
            alerts.append({"title": a.str(1), "text": a.str(2)})

    res["record_count"] = len(order)
    res["record_counts"] = dict(sorted(counts.items(), key=lambda kv: -kv[1]))
    res["first_records"] = order[:6]
    res["last_records"] = order[-6:]
    res["record_nums"] = {"min": min(nums) if nums else None, "max": max(nums) if nums else None,
                          "all_zero": all(x == 0 for x in nums) if nums else None,
                          "sequential_from_1": nums == list(range(1, len(nums) + 1)) if nums else None}
    res["request_or_local_records"] = req_or_local
    res["decode_errors"] = decode_errors
    res["unknown_fields"] = {"%s.%d(wt%d)" % k: v for k, v in unknown.items()}
    res["header"] = header
    res["run_records"] = run_records
    res["telemetry_records"] = telemetry
    res["exit"] = exit_rec
    res["exit_record_index"] = exit_index
    res["final_present"] = final_idx is not None
    res["footer_present"] = footer_idx is not None
    res["preempting_present"] = preempt_idx is not None
    # config
    cfg_no_wandb = OrderedDict((k, v) for k, v in config.items() if k != "_wandb")
    res["config"] = {"top_keys": list(config.keys()), "key_styles": dict(config_key_style),
                     "values": cfg_no_wandb, "_wandb": config.get("_wandb")}
    # summary
    res["summary"] = {"top_keys": list(summary.keys()), "values": summary, "raw_last_value_json": summary_raw,
                      "key_styles": dict(summary_key_style),
                      "n_records": len(summary_records),
                      "n_after_exit": sum(1 for s in summary_records if s["after_exit"]),
                      "records_after_exit": [s for s in summary_records if s["after_exit"]],
                      "last_record": summary_records[-1] if summary_records else None}
    # full summary after exit? (python era): a summary record after exit whose key set equals final summary keys
    full_after_exit = None
    for s in summary_records:
        if s["after_exit"]:
            top = set(p[0] for p in s["keys"])
            full_after_exit = {"index": s["index"], "n_update": s["n_update"],
                               "top_keys": sorted(top),
                               "covers_all_final_keys": top == set(summary.keys())}
    res["summary"]["full_summary_after_exit"] = full_after_exit
    # history
    hist = OrderedDict()
    hist["count"] = len(history)
    hist["key_styles"] = dict(history_key_style)
    if history:
        steps = [h["step"] for h in history]
        hist["first_step"] = steps[0]
        hist["last_step"] = steps[-1]
        hist["min_step"] = min(steps)
        hist["max_step"] = max(steps)
        hist["steps_monotonic_contiguous"] = steps == list(range(steps[0], steps[0] + len(steps)))
        keys = []
        for h in history:
            for k in h["row"].keys():
                if k not in keys:
                    keys.append(k)
        hist["keys"] = keys
        hist["leaf_paths"] = sorted(set("/".join(p) if False else json.dumps(list(p))
                                        for h in history for p in h["raw"].keys()))
        last_ts = None
        last_rt = None
        last_ts_raw = last_rt_raw = None
        for h in history:
            if "_timestamp" in h["row"]:
                last_ts = h["row"]["_timestamp"]
                last_ts_raw = h["raw"].get(("_timestamp",))
            if "_runtime" in h["row"]:
                last_rt = h["row"]["_runtime"]
                last_rt_raw = h["raw"].get(("_runtime",))
        hist["last_timestamp"] = last_ts
        hist["last_timestamp_json"] = last_ts_raw
        hist["last_runtime"] = last_rt
        hist["last_runtime_json"] = last_rt_raw
        hist["first_row"] = history[0]["row"]
        hist["last_row"] = history[-1]["row"]
        lastval = OrderedDict()
        lastraw = OrderedDict()
        for h in history:
            for p, vj in h["raw"].items():
                lastraw["/".join(p) if len(p) == 1 else json.dumps(list(p))] = vj
        for h in history:
            for k, v in h["row"].items():
                lastval[k] = v
        hist["last_value_per_key"] = lastval
        hist["last_value_json_per_leaf"] = lastraw
        hist["rows_with_step_item"] = sum(1 for h in history if "_step" in h["row"])
        hist["step_item_matches_step"] = all(h["row"].get("_step", h["step"]) == h["step"] for h in history)
    res["history"] = hist
    # stats/output
    def tsinfo(lst):
        lst = [t for t in lst if t is not None]
        if not lst:
            return {"count": 0}
        mx = max(lst, key=lambda t: (t["seconds"], t["nanos"]))
        mn = min(lst, key=lambda t: (t["seconds"], t["nanos"]))
        return {"count": len(lst), "first": mn["iso"], "last": mx["iso"], "last_seconds": mx["seconds"],
                "last_nanos": mx["nanos"], "last_epoch": mx["epoch"]}
    res["stats"] = tsinfo(stats_ts)
    res["stats"]["records"] = len(stats_ts)
    res["stats"]["keys"] = sorted(stats_keys)
    res["output"] = tsinfo(output_ts)
    res["output_raw"] = tsinfo(output_raw_ts)
    res["artifacts"] = artifacts
    res["use_artifacts"] = use_artifacts
    res["environments"] = environments
    res["metrics"] = metrics
    res["files_records"] = files_paths
    res["alerts"] = alerts
    res["nan_or_inf_value_json"] = nan_notes
    # largest time proven
    cands = {}
    rr0 = run_records[0] if run_records else None
    if rr0 and rr0["start_time"]:
        cands["start_time"] = rr0["start_time"]["epoch"]
        if exit_rec is not None:
            cands["start+exit_runtime"] = rr0["start_time"]["epoch"] + exit_rec["runtime"]
    if hist.get("last_timestamp") is not None:
        cands["last_history_timestamp"] = hist["last_timestamp"]
        # max timestamp across history in case not monotonic
        mx = max(h["row"]["_timestamp"] for h in history if isinstance(h["row"].get("_timestamp"), (int, float)))
        cands["max_history_timestamp"] = mx
    if res["stats"]["count"]:
        cands["last_stats"] = res["stats"]["last_epoch"]
    if res["output"]["count"]:
        cands["last_output"] = res["output"]["last_epoch"]
    if res["output_raw"]["count"]:
        cands["last_output_raw"] = res["output_raw"]["last_epoch"]
    summ_ts = summary.get("_timestamp")
    if isinstance(summ_ts, (int, float)):
        cands["summary_timestamp"] = summ_ts
    for e in environments:
        if e["started_at"]:
            cands["environment_started_at"] = e["started_at"]["epoch"]
    res["time_candidates"] = cands
    brief = {k: v for k, v in cands.items() if k in ("start_time", "start+exit_runtime", "last_history_timestamp",
                                                     "last_stats", "last_output", "last_output_raw")}
    if brief:
        k = max(brief, key=lambda x: brief[x])
        res["max_proven_time_brief"] = {"source": k, "epoch": brief[k],
                                        "iso": datetime.datetime.fromtimestamp(brief[k], tz=datetime.timezone.utc).isoformat()}
    else:
        res["max_proven_time_brief"] = None
    if cands:
        k = max(cands, key=lambda x: cands[x])
        res["max_proven_time"] = {"source": k, "epoch": cands[k],
                                  "iso": datetime.datetime.fromtimestamp(cands[k], tz=datetime.timezone.utc).isoformat()}
    else:
        res["max_proven_time"] = None
    return res


# ----------------------------------------------------------------------------
# files/
# ----------------------------------------------------------------------------


def load_yaml(path):
    txt = open(path, encoding="utf-8").read()
    try:
        import yaml  # optional
        return yaml.safe_load(txt), "pyyaml"
    except ImportError:
        pass
    # fallback: top-level keys only
    d = OrderedDict()
    for line in txt.splitlines():
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            k, _, v = line.partition(":")
            d[k.strip().strip('"')] = v.strip() or None
    return d, "fallback"


def analyze_files(folder):
    out = OrderedDict()
    fdir = os.path.join(folder, "files")
    legacy = not os.path.isdir(fdir)
    base = folder if legacy else fdir
    out["layout"] = "legacy (no files/)" if legacy else "files/"
    out["listing"] = sorted(os.listdir(base)) if os.path.isdir(base) else []
    cy = os.path.join(base, "config.yaml")
    if os.path.exists(cy):
        y, how = load_yaml(cy)
        y = y or {}
        raw = open(cy, encoding="utf-8").read()
        out["config_yaml"] = OrderedDict(
            present=True, parser=how, wandb_version=y.get("wandb_version"),
            has_desc=("desc:" in raw),
            keys=[k for k in y.keys() if k not in ("_wandb", "wandb_version")],
            all_keys=list(y.keys()),
            values={k: (v.get("value") if isinstance(v, dict) and "value" in v else v)
                    for k, v in y.items() if k not in ("_wandb", "wandb_version")},
            _wandb_value=(y.get("_wandb") or {}).get("value") if isinstance(y.get("_wandb"), dict) else None)
    else:
        out["config_yaml"] = {"present": False}
    sj = os.path.join(base, "wandb-summary.json")
    if os.path.exists(sj):
        raw = open(sj, encoding="utf-8").read()
        nan = []
        v = parse_value_json(raw, nan, "wandb-summary.json")
        out["summary_json"] = OrderedDict(present=True, size=len(raw.encode()), keys=list(v.keys()),
                                          values=OrderedDict((k, x) for k, x in v.items()
                                                             if not (isinstance(x, dict) and x.get("_type") in ("histogram", "graph-file") and len(json.dumps(x)) > 300)),
                                          bare_nan_inf=nan)
    else:
        out["summary_json"] = {"present": False}
    mj = os.path.join(base, "wandb-metadata.json")
    if os.path.exists(mj):
        v = json.load(open(mj, encoding="utf-8"))
        pick = OrderedDict()
        for k in ("username", "email", "host", "startedAt", "heartbeatAt", "state", "exitcode", "project",
                  "jobType", "mode", "program", "python", "os", "writerId", "codePath", "args", "git"):
            if k in v:
                pick[k] = v[k]
        out["metadata_json"] = OrderedDict(present=True, keys=list(v.keys()), picked=pick)
    else:
        out["metadata_json"] = {"present": False}
    logs = OrderedDict()
    ldir = os.path.join(folder, "logs")
    if os.path.isdir(ldir):
        for fn in sorted(os.listdir(ldir)):
            fp = os.path.join(ldir, fn)
            txt = open(fp, encoding="utf-8", errors="replace").read()
            ent = {"size": len(txt.encode())}
            m1 = re.search(r"Current SDK version is (\S+)", txt)
            m2 = re.search(r'"core version":"([^"]+)"', txt)
            if m1:
                ent["sdk_version"] = m1.group(1)
            if m2:
                ent["core_version"] = m2.group(1)
            if len(txt) < 200 and "\n" not in txt.strip():
                ent["looks_like_symlink_stub"] = txt
            logs[fn] = ent
    out["logs"] = logs
    return out


def analyze_legacy_history(folder):
    hp = os.path.join(folder, "wandb-history.jsonl")
    if not os.path.exists(hp):
        return None
    rows = []
    nan = []
    with open(hp, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            rows.append(parse_value_json(line, nan, "wandb-history.jsonl:%d" % (i + 1)))
    keys = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    lastval = OrderedDict()
    for r in rows:
        for k, v in r.items():
            if isinstance(v, dict) and v.get("_type") == "histogram":
                v = {"_type": "histogram", "(bins/values elided)": True}
            lastval[k] = v
    out = OrderedDict(count=len(rows), first_step=rows[0].get("_step"), last_step=rows[-1].get("_step"),
                      keys=keys, last_timestamp=rows[-1].get("_timestamp"),
                      last_runtime=rows[-1].get("_runtime"),
                      max_timestamp=max(r.get("_timestamp", 0) for r in rows),
                      max_runtime=max(r.get("_runtime", 0) for r in rows),
                      first_timestamp=rows[0].get("_timestamp"), first_runtime=rows[0].get("_runtime"),
                      last_value_per_key=lastval, bare_nan_inf=nan)
    ep = os.path.join(folder, "wandb-events.jsonl")
    if os.path.exists(ep):
        ev = [json.loads(l) for l in open(ep, encoding="utf-8") if l.strip()]
        out["events"] = {"count": len(ev), "last_timestamp": ev[-1].get("_timestamp"),
                         "last_runtime": ev[-1].get("_runtime"),
                         "max_timestamp": max(e.get("_timestamp", 0) for e in ev)}
    return out


# ----------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------

DIR_RE = re.compile(r"^(offline-run|run)-(\d{8}_\d{6})-([a-z0-9]+)$")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures", "wandb-real")
    outdir = sys.argv[2] if len(sys.argv) > 2 else "/tmp/wandb-oracle"
    os.makedirs(outdir, exist_ok=True)
    results = OrderedDict()
    oddities = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in filenames + dirnames:
            p = os.path.join(dirpath, fn)
            if os.path.islink(p):
                oddities.append({"path": os.path.relpath(p, root), "symlink_to": os.readlink(p)})
        base = os.path.basename(dirpath)
        m = DIR_RE.match(base)
        if not m:
            continue
        rel = os.path.relpath(dirpath, root)
        r = OrderedDict()
        r["folder"] = rel
        r["dir_mode"], r["dir_timespec"], r["dir_run_id"] = m.groups()
        wandb_files = sorted(f for f in filenames if f.endswith(".wandb"))
        r["wandb_files"] = wandb_files
        r["other_entries"] = sorted(f for f in filenames + dirnames if not f.endswith(".wandb"))
        if wandb_files:
            r["log"] = analyze_log(os.path.join(dirpath, wandb_files[0]))
        else:
            r["log"] = None
            r["legacy_history"] = analyze_legacy_history(dirpath)
        r["files"] = analyze_files(dirpath)
        results[rel] = r
        dirnames[:] = [d for d in dirnames if d not in ("files", "logs", "media", "code", "tmp")]
    # plain files in wandb/ that look like git-stored symlinks
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            if fn in ("latest-run", "debug.log", "debug-internal.log", "debug-core.log") or fn.startswith("debug-cli"):
                p = os.path.join(dirpath, fn)
                if os.path.islink(p):
                    continue
                sz = os.path.getsize(p)
                if sz < 200:
                    oddities.append({"path": os.path.relpath(p, root), "plain_file_size": sz,
                                     "content": open(p, errors="replace").read()})
    with open(os.path.join(outdir, "raw.json"), "w") as f:
        json.dump({"runs": results, "oddities": oddities}, f, indent=1, default=str, allow_nan=True)
    return results, oddities


if __name__ == "__main__":
    main()
