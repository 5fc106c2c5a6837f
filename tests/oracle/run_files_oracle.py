#!/usr/bin/env python3
"""Expected run files of the real fixtures, read independently of the module (Python standard library only).

Usage: python3 run_files_oracle.py [FIXTURES_DIR] > ../WandbRunOps.Tests/Fixtures/real-run-files.json

For every run folder (run-*, offline-run-*) under each set's wandb/ folder: the run's uploaded files are files/ when
it exists, else, for a legacy folder (no .wandb log), the run folder itself. Every regular file under it is listed,
recursively, with its name relative to that folder ('/'-separated), its size, and the base64 MD5 of its bytes (W&B's
form). Links to folders are not followed; a link to a file counts only when it resolves inside the run folder (the
module's rule: a run's files are what lies inside its folder); fifos and devices are not regular files.
"""
import base64
import hashlib
import json
import os
import re
import stat
import sys

RUN_FOLDER = re.compile(r"^(run|offline-run)-\d{8}_\d{6}-(?P<id>.+)$")


def files_of(folder):
    root = os.path.join(folder, "files")
    if not os.path.isdir(root):
        if any(name.endswith(".wandb") for name in os.listdir(folder)):
            return []
        root = folder
    real_folder = os.path.realpath(folder)
    out = []
    for current, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(current, d))]
        for name in names:
            path = os.path.join(current, name)
            real = os.path.realpath(path)
            if not real.startswith(real_folder + os.sep) or not os.path.exists(real):
                continue
            if not stat.S_ISREG(os.stat(real).st_mode):
                continue
            with open(real, "rb") as handle:
                data = handle.read()
            out.append({
                "name": os.path.relpath(path, root).replace(os.sep, "/"),
                "size": len(data),
                "md5": base64.b64encode(hashlib.md5(data).digest()).decode("ascii"),
            })
    return sorted(out, key=lambda f: f["name"].encode("utf-8"))


def main():
    fixtures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fixtures", "wandb-real")
    runs = []
    for sdk_set in sorted(os.listdir(fixtures)):
        wandb = os.path.join(fixtures, sdk_set, "wandb")
        if not os.path.isdir(wandb):
            continue
        for entry in sorted(os.listdir(wandb)):
            folder = os.path.join(wandb, entry)
            match = RUN_FOLDER.match(entry)
            if match is None or os.path.islink(folder) or not os.path.isdir(folder):
                continue
            runs.append({"set": sdk_set, "folder": entry, "id": match.group("id"), "files": files_of(folder)})
    json.dump(runs, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
