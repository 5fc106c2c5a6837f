#!/usr/bin/env python3
"""Expected facts for the real-fixture tests, from the independent oracle decoder (stdlib only).

Usage: python3 fixture_report.py [FIXTURES_DIR] [OUT_DIR]   (writes OUT_DIR/facts.json)
       python3 make_fixture_expectations.py OUT_DIR/facts.json > ../WandbRunOps.Tests/Fixtures/real-fixture-expectations.json

Only runs with a .wandb log that has records are listed; the legacy and header-only folders have hand-written tests.
The expected summary follows the module's documented rule: the log's folded summary; for a Python-era (pre-0.18)
log without a summary after the exit record, the last history value of each key; when the log has no summary at
all, files/wandb-summary.json.
"""
import json
import sys
from collections import OrderedDict


def sdk_before(version, major, minor):
    try:
        parts = version.replace("+", ".").split(".")
        return (int(parts[0]), int(parts[1])) < (major, minor)
    except (AttributeError, ValueError, IndexError):
        return False


def expected(rel, r):
    ident = r["identity"]
    exit_ = r["exit"]
    sdk = ident.get("sdk_version")
    state = "Crashed"
    code = None
    reported = None
    if exit_["present"]:
        code = exit_["record"]["exit_code"]
        state = "Finished" if code == 0 else "Failed"
        if not sdk_before(sdk, 0, 12):
            reported = exit_["record"]["runtime"]
    summary = r["summary"]["values"]
    python_era = ident.get("header_producer") is None or sdk_before(sdk, 0, 18)
    if python_era and r["summary"].get("full_summary_after_exit") is None and r["history"]["count"] > 0:
        summary = OrderedDict((k, json.loads(v)) for k, v in r["history"]["last_value_json_per_leaf"].items())
    elif not summary and r["files"].get("summary_json", {}).get("present"):
        summary = r["files"]["summary_json"].get("values", {})
    if reported is None:
        wandb = summary.get("_wandb") if isinstance(summary, dict) else None
        if isinstance(wandb, dict) and "runtime" in wandb:
            reported = wandb["runtime"]
        elif r["history"]["count"] > 0:
            reported = r["history"]["last_runtime"]
    config = OrderedDict((k, v) for k, v in r["config"].get("values", {}).items())
    return OrderedDict(
        folder=rel,
        id=ident["run_id"],
        project=ident["project"] or None,
        entity=ident["entity"] or None,
        name=ident["display_name"] or None,
        group=ident["run_group"] or None,
        jobType=ident["job_type"] or None,
        host=ident["host"] or None,
        sdk=sdk,
        state=state,
        exitCode=code,
        createdAt=ident["start_time_iso"],
        heartbeatAt=r["max_proven_time_brief"]["iso"],
        reportedSeconds=reported,
        historyCount=r["history"]["count"],
        damaged=bool(r["log"]["damage"]["truncated_chunk"] or r["log"]["damage"]["first_without_last_at_eof"]),
        config=config,
        summary=summary,
        logged=[OrderedDict(name=a["name"], type=a["type"], aliases=a["aliases"], digest=a["digest"],
                            size=a["total_size"], fileCount=a["entry_count"]) for a in r["artifacts"]],
        used=[OrderedDict(id=u["id"], type=u["type"], name=u["name"]) for u in r["use_artifacts"]],
    )


def main():
    facts = json.load(open(sys.argv[1]))
    out = [expected(rel, r) for rel, r in facts["runs"].items() if "identity" in r and not r["log"]["header_only"]]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
