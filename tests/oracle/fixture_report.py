#!/usr/bin/env python3
"""Turn the oracle decoder's output into facts.md and facts.json (usage: fixture_report.py [FIXTURES_DIR] [OUT_DIR])."""
import json
import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wandb_log_oracle as decode  # noqa

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures", "wandb-real")
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/wandb-oracle"
os.makedirs(OUT, exist_ok=True)


def fmt(v):
    return json.dumps(v, allow_nan=True, ensure_ascii=False)


def short(v, n=160):
    s = fmt(v)
    return s if len(s) <= n else s[:n] + "…"


def state_of(r):
    l = r["log"]
    if l is None:
        md = r["files"]["metadata_json"]
        if md.get("present"):
            p = md["picked"]
            if "exitcode" in p:
                return ("Failed" if p["exitcode"] else "Finished") + " (from legacy wandb-metadata.json state=%s exitcode=%s)" % (p.get("state"), p.get("exitcode"))
        return "unknown"
    if l["exit"] is None:
        return "no exit record (running/crashed)"
    return "Finished" if l["exit"]["exit_code"] == 0 else "Failed"


def same(a, b):
    """Deep equality that treats int 1 and float 1.0 as different, dict subclasses as equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return type(a) == type(b) and a == b
    return a == b


def curated(rel, r):
    c = OrderedDict()
    c["folder"] = rel
    c["dir_name_run_id"] = r["dir_run_id"]
    c["dir_timespec_local"] = r["dir_timespec"]
    c["dir_mode"] = r["dir_mode"]
    c["wandb_file"] = r["wandb_files"][0] if r["wandb_files"] else None
    l = r["log"]
    f = r["files"]
    c["inferred_state"] = state_of(r)
    if l is not None:
        rr = l["run_records"][0] if l["run_records"] else None
        ident = OrderedDict()
        if rr:
            for k in ("run_id", "project", "entity", "display_name", "run_group", "job_type", "tags", "host",
                      "sweep_id", "notes", "resumed", "starting_step", "runtime", "forked", "git"):
                ident[k] = rr[k]
            ident["start_time_iso"] = rr["start_time"]["iso"] if rr["start_time"] else None
            ident["start_time_seconds"] = rr["start_time"]["seconds"] if rr["start_time"] else None
            ident["start_time_nanos"] = rr["start_time"]["nanos"] if rr["start_time"] else None
            ident["telemetry_cli_version"] = (rr.get("telemetry") or {}).get("cli_version")
            ident["telemetry_python_version"] = (rr.get("telemetry") or {}).get("python_version")
            ident["run_record_count"] = len(l["run_records"])
        ident["header_producer"] = l["header"]["producer"] if l["header"] else None
        ident["header_min_consumer"] = l["header"]["min_consumer"] if l["header"] else None
        ident["header_record_empty"] = l["header"]["empty"] if l["header"] else None
        ident["sdk_version"] = (ident.get("header_producer") or ident.get("telemetry_cli_version"))
        c["identity"] = ident
        li = l["log"]
        dmg = OrderedDict()
        d = li["damage"]
        dmg["crc_mismatches"] = len(d["crc_mismatches"]) if "crc_mismatches" in d else None
        dmg["truncated_chunk"] = d.get("truncated_chunk")
        dmg["truncated_header_at_eof"] = d.get("truncated_header_at_eof")
        dmg["first_without_last_at_eof"] = d.get("first_without_last_at_eof")
        dmg["zero_padding"] = d.get("zero_padding")
        dmg["zero_headers"] = d.get("zero_headers")
        dmg["orphan_chunks"] = d.get("orphan_chunks")
        dmg["chunk_overflow"] = d.get("chunk_overflow")
        c["log"] = OrderedDict(size=li["size"], header_ok=li["header_ok"], header_only=li["header_only"],
                               chunk_type_counts=li.get("chunk_type_counts"), record_count=l["record_count"],
                               record_counts=l["record_counts"], record_nums=l["record_nums"],
                               first_records=l["first_records"], last_records=l["last_records"],
                               damage=dmg, decode_errors=l["decode_errors"], unknown_fields=l["unknown_fields"],
                               request_or_local_records=l["request_or_local_records"])
        c["exit"] = OrderedDict(present=l["exit"] is not None, record=l["exit"], final=l["final_present"],
                                footer=l["footer_present"], preempting=l["preempting_present"])
        c["config"] = OrderedDict(top_keys_excluding__wandb=[k for k in l["config"]["top_keys"] if k != "_wandb"],
                                  top_keys=l["config"]["top_keys"], key_styles=l["config"]["key_styles"],
                                  values=l["config"]["values"], _wandb=l["config"]["_wandb"])
        s = l["summary"]
        c["summary"] = OrderedDict(top_keys=s["top_keys"], key_styles=s["key_styles"], n_records=s["n_records"],
                                   n_after_exit=s["n_after_exit"], full_summary_after_exit=s["full_summary_after_exit"],
                                   values={k: v for k, v in s["values"].items()},
                                   last_value_json_by_path=s["raw_last_value_json"])
        h = dict(l["history"])
        hc = OrderedDict()
        for k in ("count", "key_styles", "first_step", "last_step", "steps_monotonic_contiguous", "keys",
                  "last_timestamp", "last_timestamp_json", "last_runtime", "last_runtime_json",
                  "rows_with_step_item", "step_item_matches_step"):
            if k in h:
                hc[k] = h[k]
        if h.get("count"):
            hc["leaf_paths"] = [json.loads(x) for x in h["leaf_paths"]]
            hc["last_value_json_per_leaf"] = h["last_value_json_per_leaf"]
            if h["count"] <= 12:
                hc["last_row"] = h["last_row"]
        c["history"] = hc
        c["stats"] = {k: v for k, v in l["stats"].items() if k != "records"}
        c["output"] = l["output"]
        c["output_raw"] = l["output_raw"]
        arts = []
        for a in l["artifacts"]:
            a2 = OrderedDict((k, v) for k, v in a.items() if k != "entries")
            a2["entry_paths"] = [e["path"] for e in a["entries"]]
            arts.append(a2)
        c["artifacts"] = arts
        c["use_artifacts"] = l["use_artifacts"]
        c["environment_records"] = l["environments"]
        c["metrics"] = l["metrics"]
        c["files_records"] = l["files_records"]
        c["telemetry_records"] = len(l["telemetry_records"])
        c["time_candidates"] = l["time_candidates"]
        c["max_proven_time_brief"] = l["max_proven_time_brief"]
        c["max_proven_time_all"] = l["max_proven_time"]
        c["nan_or_inf_value_json"] = l["nan_or_inf_value_json"]
    else:
        c["legacy_history"] = r.get("legacy_history")
    c["files"] = f
    c["other_entries"] = r["other_entries"]
    # cross-check log vs files/
    if l is not None:
        xc = OrderedDict()
        sj = f["summary_json"]
        if sj.get("present"):
            full = json.load(open("%s/%s/files/wandb-summary.json" % (ROOT, rel)))
            lk, fk = set(l["summary"]["values"].keys()), set(full.keys())
            xc["summary_keys_only_in_log"] = sorted(lk - fk)
            xc["summary_keys_only_in_file"] = sorted(fk - lk)
            diffs = OrderedDict()
            for k in sorted(lk & fk):
                a, b = l["summary"]["values"][k], full[k]
                if not same(a, b):
                    diffs[k] = {"log": a, "file": b}
            xc["summary_value_diffs(incl. int-vs-float)"] = diffs
        cy = f["config_yaml"]
        if cy.get("present"):
            lk = set(k for k in l["config"]["top_keys"] if k != "_wandb")
            fk = set(cy["keys"])
            xc["config_keys_only_in_log"] = sorted(lk - fk)
            xc["config_keys_only_in_yaml"] = sorted(fk - lk)
            xc["config_value_diffs"] = {k: {"log": l["config"]["values"][k], "yaml": cy["values"][k]}
                                        for k in sorted(lk & fk) if l["config"]["values"][k] != cy["values"][k]}
        c["log_vs_files"] = xc
    return c


def sdk_col(c):
    i = c.get("identity", {})
    if i.get("sdk_version"):
        return i["sdk_version"]
    cy = c["files"]["config_yaml"]
    if cy.get("present") and (cy.get("_wandb_value") or {}).get("cli_version"):
        return "%s (config.yaml only)" % cy["_wandb_value"]["cli_version"]
    for fn, e in c["files"].get("logs", {}).items():
        if e.get("sdk_version"):
            return "%s (logs/%s only)" % (e["sdk_version"], fn)
    return "unknown"


def md_section(c):
    L = []
    L.append("## `%s`" % c["folder"])
    L.append("")
    L.append("- dir: mode `%s`, timespec (local time) `%s`, dir run id `%s`; log file: %s" % (
        c["dir_mode"], c["dir_timespec_local"], c["dir_name_run_id"], ("`%s`" % c["wandb_file"]) if c["wandb_file"] else "none"))
    L.append("- **inferred state: %s**" % c["inferred_state"])
    if "identity" in c:
        i = c["identity"]
        if "run_id" in i:
            L.append("- identity (RunRecord): run_id `%s`, project `%s`, entity %s, display_name %s, group %s, job_type %s, tags %s, host %s, sweep_id %s, notes %s, resumed %s, starting_step %s, forked %s, RunRecord.runtime %s" % (
                i["run_id"], i["project"], fmt(i["entity"]), fmt(i["display_name"]), fmt(i["run_group"]), fmt(i["job_type"]),
                fmt(i["tags"]), fmt(i["host"]), fmt(i["sweep_id"]), fmt(i["notes"]), fmt(i["resumed"]), i["starting_step"], fmt(i["forked"]), i["runtime"]))
            L.append("- start_time: `%s` (seconds %s, nanos %s); git: %s; RunRecords in log: %d" % (
                i["start_time_iso"], i["start_time_seconds"], i["start_time_nanos"], fmt(i["git"]), i["run_record_count"]))
        else:
            L.append("- identity: **no RunRecord in log**")
        L.append("- SDK: header producer %s (min_consumer %s, header record empty=%s); telemetry cli_version %s, python %s → **sdk_version %s**" % (
            fmt(i["header_producer"]), fmt(i["header_min_consumer"]), fmt(i["header_record_empty"]),
            fmt(i.get("telemetry_cli_version")), fmt(i.get("telemetry_python_version")), fmt(i["sdk_version"])))
        lg = c["log"]
        L.append("- log: %d bytes, header ok=%s, header-only=%s; **%d records** %s; chunk types %s; record nums %s" % (
            lg["size"], lg["header_ok"], lg["header_only"], lg["record_count"], fmt(lg["record_counts"]),
            fmt(lg["chunk_type_counts"]), fmt(lg["record_nums"])))
        if lg["record_count"]:
            L.append("- record order: first %s … last %s" % (fmt(lg["first_records"]), fmt(lg["last_records"])))
        d = lg["damage"]
        dm = []
        dm.append("CRC mismatches %d" % d["crc_mismatches"])
        if d["truncated_chunk"]:
            t = d["truncated_chunk"]
            dm.append("**truncated last chunk at offset %d, claimed len %d, type %d, %d payload bytes present**" % (
                t["offset"], t["claimed_len"], t["type"], t["available"]))
        if d["truncated_header_at_eof"]:
            dm.append("truncated chunk header at EOF %s" % fmt(d["truncated_header_at_eof"]))
        if d["first_without_last_at_eof"]:
            t = d["first_without_last_at_eof"]
            dm.append("**FIRST without LAST at EOF: FIRST chunk header at offset %d (%d chunk(s), %d payload bytes buffered)**" % (
                t["offset"], t["chunks"], t["bytes_buffered"]))
        if d["zero_padding"]:
            dm.append("block-tail zero padding %s" % fmt(d["zero_padding"]))
        if d["zero_headers"]:
            dm.append("all-zero chunk headers at %s" % fmt(d["zero_headers"]))
        if d["orphan_chunks"]:
            dm.append("orphan chunks %s" % fmt(d["orphan_chunks"]))
        if d["chunk_overflow"]:
            dm.append("chunks overflowing block %s" % fmt(d["chunk_overflow"]))
        if lg["decode_errors"]:
            dm.append("protobuf decode errors %s" % fmt(lg["decode_errors"]))
        if lg["unknown_fields"]:
            dm.append("unknown Record fields %s" % fmt(lg["unknown_fields"]))
        L.append("- damage: " + "; ".join(dm))
        e = c["exit"]
        if e["present"]:
            L.append("- exit: present, exit_code **%d**, runtime **%d** s, not_complete %s (fields on wire %s%s); final %s, footer %s, preempting %s" % (
                e["record"]["exit_code"], e["record"]["runtime"], fmt(e["record"]["not_complete"]),
                fmt(e["record"]["fields_present"]), ", empty message" if e["record"]["empty"] else "",
                fmt(e["final"]), fmt(e["footer"]), fmt(e["preempting"])))
        else:
            L.append("- exit: **none**; final %s, footer %s, preempting %s" % (fmt(e["final"]), fmt(e["footer"]), fmt(e["preempting"])))
        cf = c["config"]
        L.append("- config (RunRecord.config then ConfigRecords): top keys %s, item key styles %s" % (fmt(cf["top_keys"]), fmt(cf["key_styles"])))
        if cf["values"]:
            L.append("  - values (excluding `_wandb`): %s" % ", ".join("`%s`=%s" % (k, short(v)) for k, v in cf["values"].items()))
        L.append("  - `_wandb` in log: %s" % short(cf["_wandb"], 200))
        s = c["summary"]
        L.append("- summary: %d SummaryRecords (%d after exit), key styles %s; final top keys %s" % (
            s["n_records"], s["n_after_exit"], fmt(s["key_styles"]), fmt(s["top_keys"])))
        if s["full_summary_after_exit"] is not None:
            L.append("  - summary record after exit: %s" % fmt(s["full_summary_after_exit"]))
        if s["values"]:
            vals = []
            for k, v in s["values"].items():
                vals.append("`%s`=%s" % (k, short(v, 220)))
            L.append("  - folded values: " + ", ".join(vals))
            rawdiff = ["%s→`%s` (%s)" % (p, x["value_json"], x["style"]) for p, x in s["last_value_json_by_path"].items()
                       if len(json.loads(p)) == 1]
            L.append("  - last value_json per top-level path (style): " + ", ".join(rawdiff))
        h = c["history"]
        if h.get("count"):
            L.append("- history: **%d HistoryRecords**, steps %s..%s (contiguous %s), item key styles %s, rows with `_step` item %d (matches step.num %s)" % (
                h["count"], h["first_step"], h["last_step"], fmt(h["steps_monotonic_contiguous"]), fmt(h["key_styles"]),
                h["rows_with_step_item"], fmt(h["step_item_matches_step"])))
            L.append("  - keys (top-level): %s" % fmt(h["keys"]))
            if any(len(p) > 1 for p in h["leaf_paths"]):
                L.append("  - nested leaf paths: %s" % fmt([p for p in h["leaf_paths"] if len(p) > 1]))
            L.append("  - last `_timestamp` %s (value_json `%s`), last `_runtime` %s (value_json `%s`)" % (
                fmt(h["last_timestamp"]), h["last_timestamp_json"], fmt(h["last_runtime"]), h["last_runtime_json"]))
            L.append("  - last value_json per leaf: " + ", ".join("`%s`=`%s`" % (k, v) for k, v in h["last_value_json_per_leaf"].items()))
        else:
            L.append("- history: 0 HistoryRecords")
        st = c["stats"]
        L.append("- stats: %d records%s%s" % (st["count"], (", first %s, last **%s**" % (st["first"], st["last"])) if st["count"] else "",
                                               (", keys %s" % fmt(st["keys"])) if st["count"] else ""))
        for nm in ("output", "output_raw"):
            o = c[nm]
            L.append("- %s: %d records%s" % (nm, o["count"], (", first %s, last **%s**" % (o["first"], o["last"])) if o["count"] else ""))
        for a in c["artifacts"]:
            L.append("- ArtifactRecord: name `%s`, type `%s`, aliases %s, digest `%s`, entries %d, total size %d, metadata %s, run_id %s, project %s, entity %s, finalize %s, user_created %s, manifest %s; entry paths (first 5) %s" % (
                a["name"], a["type"], fmt(a["aliases"]), a["digest"], a["entry_count"], a["total_size"], fmt(a["metadata"]),
                fmt(a["run_id"]), fmt(a["project"]), fmt(a["entity"]), fmt(a["finalize"]), fmt(a["user_created"]),
                fmt(a["manifest"]), fmt(a["entry_paths"][:5])))
        if not c["artifacts"]:
            L.append("- ArtifactRecords: none")
        for u in c["use_artifacts"]:
            L.append("- UseArtifactRecord: id `%s`, type `%s`, name `%s`, partial %s" % (u["id"], u["type"], u["name"], fmt(u["has_partial"])))
        if not c["use_artifacts"]:
            L.append("- UseArtifactRecords: none")
        if c["environment_records"]:
            for ev in c["environment_records"]:
                compact = OrderedDict((k, v) for k, v in ev.items() if v not in ("", [], None, 0) and k != "started_at")
                if ev["started_at"]:
                    compact["started_at"] = ev["started_at"]["iso"]
                L.append("- EnvironmentRecord: %s" % short(compact, 600))
        if c["metrics"]:
            L.append("- MetricRecords: %s" % fmt(c["metrics"]))
        if c["files_records"]:
            L.append("- FilesRecord paths: %s" % fmt([x["path"] for x in c["files_records"]]))
        mp = c["max_proven_time_brief"]
        L.append("- time candidates: %s" % fmt(c["time_candidates"]))
        if mp:
            L.append("- **largest proven time** (start+exit runtime / last history _timestamp / stats / output): %s = %s (%s)" % (
                mp["source"], fmt(mp["epoch"]), mp["iso"]))
        if c["nan_or_inf_value_json"]:
            L.append("- **bare NaN/Infinity or unparseable value_json**: %s" % fmt(c["nan_or_inf_value_json"]))
        else:
            L.append("- bare NaN/Infinity in value_json: none")
    else:
        lh = c["legacy_history"]
        L.append("- no `.wandb` log (legacy layout: files directly in run folder)")
        if lh:
            L.append("- wandb-history.jsonl: **%d rows**, _step %s..%s, first _timestamp %s / _runtime %s, last _timestamp %s, last _runtime %s (max _timestamp %s, max _runtime %s)" % (
                lh["count"], lh["first_step"], lh["last_step"], fmt(lh["first_timestamp"]), fmt(lh["first_runtime"]),
                fmt(lh["last_timestamp"]), fmt(lh["last_runtime"]), fmt(lh["max_timestamp"]), fmt(lh["max_runtime"])))
            L.append("  - keys: %s" % fmt(lh["keys"]))
            L.append("  - last value per key: %s" % ", ".join("`%s`=%s" % (k, short(v)) for k, v in lh["last_value_per_key"].items()))
            if lh.get("events"):
                L.append("- wandb-events.jsonl: %s" % fmt(lh["events"]))
            L.append("- bare NaN/Infinity in history: %s" % (fmt(lh["bare_nan_inf"]) if lh["bare_nan_inf"] else "none"))
    f = c["files"]
    L.append("- files (%s): %s" % (f["layout"], fmt(f["listing"])))
    cy = f["config_yaml"]
    if cy.get("present"):
        L.append("  - config.yaml: wandb_version %s, has `desc` %s, keys (excl. _wandb/wandb_version) %s; values %s" % (
            fmt(cy["wandb_version"]), fmt(cy["has_desc"]), fmt(cy["keys"]),
            ", ".join("`%s`=%s" % (k, short(v)) for k, v in cy["values"].items()) or "—"))
        wv = cy.get("_wandb_value") or {}
        L.append("  - config.yaml `_wandb.value` keys %s; cli_version %s; start_time %s" % (
            fmt(list(wv.keys())), fmt(wv.get("cli_version")), fmt(wv.get("start_time"))))
    else:
        L.append("  - config.yaml: absent")
    sj = f["summary_json"]
    if sj.get("present"):
        L.append("  - wandb-summary.json (%d B): keys %s; values %s%s" % (
            sj["size"], fmt(sj["keys"]), ", ".join("`%s`=%s" % (k, short(v, 120)) for k, v in sj["values"].items()),
            ("; bare NaN/Inf: %s" % fmt(sj["bare_nan_inf"])) if sj["bare_nan_inf"] else ""))
    else:
        L.append("  - wandb-summary.json: absent")
    mj = f["metadata_json"]
    if mj.get("present"):
        p = OrderedDict((k, v) for k, v in mj["picked"].items() if k in (
            "username", "email", "host", "startedAt", "heartbeatAt", "state", "exitcode", "project", "jobType", "mode", "program", "python", "writerId"))
        L.append("  - wandb-metadata.json: %s; all keys %s" % (fmt(p), fmt(mj["keys"])))
    else:
        L.append("  - wandb-metadata.json: absent")
    if c.get("log_vs_files"):
        L.append("- log vs files/ cross-check: %s" % fmt(c["log_vs_files"]))
    if f.get("logs"):
        L.append("  - logs/: %s" % fmt(f["logs"]))
    L.append("- other entries in run folder: %s" % fmt(c["other_entries"]))
    L.append("")
    return "\n".join(L)


def main():
    runs, oddities = decode.main()
    cur = OrderedDict()
    for rel in sorted(runs):
        cur[rel] = curated(rel, runs[rel])
    # shared run ids
    ids = {}
    for rel, c in cur.items():
        rid = c.get("identity", {}).get("run_id") or c["dir_name_run_id"]
        ids.setdefault(rid, []).append(rel)
    shared = {k: v for k, v in ids.items() if len(v) > 1}
    mism = [(rel, c["dir_name_run_id"], c.get("identity", {}).get("run_id")) for rel, c in cur.items()
            if c.get("identity", {}).get("run_id") and c["identity"]["run_id"] != c["dir_name_run_id"]]
    js = OrderedDict(fixtures_root=ROOT, run_folder_count=len(cur), shared_run_ids=shared,
                     dir_vs_record_run_id_mismatches=mism, git_symlink_stubs_and_odd_files=oddities, runs=cur)
    with open(OUT + "/facts.json", "w") as fh:
        json.dump(js, fh, indent=1, ensure_ascii=False, allow_nan=True, default=str)
    parts = []
    parts.append(open(OUT + "/facts_header.md").read() if __import__("os").path.exists(OUT + "/facts_header.md") else "# W&B fixture facts\n")
    parts.append("## Cross-folder observations (generated)\n")
    parts.append("- run folders: %d; shared run ids across folders: %s; dir-name vs RunRecord run id mismatches: %s" % (
        len(cur), fmt(shared) if shared else "none", fmt(mism) if mism else "none"))
    parts.append("- no real symlinks on disk: every `latest-run`, `debug.log`, `debug-internal.log`, `logs/debug-core.log` is a plain file holding the link target text:")
    for o in sorted(oddities, key=lambda o: o["path"]):
        parts.append("  - `%s` (%s B): `%s`" % (o["path"], o.get("plain_file_size"), o.get("content", o.get("symlink_to"))))
    parts.append("")
    # summary table
    parts.append("| folder | run id | project | entity | display name | job type | group | sdk | state | exit code | exit runtime | records | history | summary recs | damage |")
    parts.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for rel, c in cur.items():
        i = c.get("identity", {})
        ex = c.get("exit", {})
        dmg = []
        if "log" in c:
            d = c["log"]["damage"]
            if d["truncated_chunk"]:
                dmg.append("truncated@%d(len %d)" % (d["truncated_chunk"]["offset"], d["truncated_chunk"]["claimed_len"]))
            if d["first_without_last_at_eof"]:
                dmg.append("FIRST-no-LAST@%d" % d["first_without_last_at_eof"]["offset"])
            if c["log"]["header_only"]:
                dmg.append("header-only")
            if d["zero_padding"]:
                dmg.append("pad×%d" % len(d["zero_padding"]))
            if d["crc_mismatches"]:
                dmg.append("CRC×%d" % d["crc_mismatches"])
        parts.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            rel.split("/")[-1], i.get("run_id", c["dir_name_run_id"] + " (dir)"), i.get("project", "—"), fmt(i.get("entity")) if "run_id" in i else "—",
            fmt(i.get("display_name")) if "run_id" in i else "—", fmt(i.get("job_type")) if "run_id" in i else "—",
            fmt(i.get("run_group")) if "run_id" in i else "—",
            sdk_col(c), c["inferred_state"].split(" (")[0],
            ex["record"]["exit_code"] if ex.get("present") else "—",
            ex["record"]["runtime"] if ex.get("present") else "—",
            c["log"]["record_count"] if "log" in c else "—",
            c["history"].get("count", 0) if "history" in c else c["legacy_history"]["count"],
            c["summary"]["n_records"] if "summary" in c else "—",
            ", ".join(dmg) or "—"))
    parts.append("")
    for rel, c in cur.items():
        parts.append(md_section(c))
    with open(OUT + "/facts.md", "w") as fh:
        fh.write("\n".join(parts))


if __name__ == "__main__":
    main()
