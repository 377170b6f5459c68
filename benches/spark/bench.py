#!/usr/bin/env python3
"""neardiff.spark beside the command-line tool on one corpus.

Runs `neardiff dedup` and the Spark job (`spark-submit` of
neardiff/spark.py, `local[N]`) on the same JSON Lines file(s), checks that
the clusters are byte-identical, and prints wall time and peak memory of
each (the memory of the whole process tree: for Spark the JVM and its
Python workers, summed, sampled every 0.2 s) and the share of the job's
time in each stage. Writes one JSON line per run to --log.

    python benches/spark/bench.py benches/data/corpus/news-50000-s42.jsonl \\
        --neardiff target/release/neardiff --master 'local[2]'

Needs pyspark and the neardiff package installed in the running Python,
and Java 17.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            ppid = int(parts[1])
            with open(f"/proc/{d}/statm") as f:
                pages = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak tree RSS and stderr of a command."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def watch() -> None:
        while p.poll() is None:
            peak[0] = max(peak[0], tree_rss(p.pid))
            time.sleep(0.2)

    w = threading.Thread(target=watch, daemon=True)
    w.start()
    _, err = p.communicate()
    wall = time.perf_counter() - t
    w.join()
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({p.returncode}):\n{err[-3000:]}")
    return wall, peak[0], err


def largest_tasks(events: Path) -> dict:
    """Per stage of the job (the jobs' descriptions, ``neardiff NAME``):
    its tasks and the largest shuffle input of one task (rows, MB), from
    Spark's event log."""
    job_of_stage: dict = {}
    name_of_job: dict = {}
    out: dict = {}
    for log in sorted(p for p in events.rglob("*") if p.is_file()):
        for line in log.read_text().splitlines():
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            kind = e.get("Event")
            if kind == "SparkListenerJobStart":
                desc = (e.get("Properties") or {}).get("spark.job.description") or "other"
                name_of_job[e["Job ID"]] = desc.removeprefix("neardiff ")
                for s in e.get("Stage IDs", []):
                    job_of_stage[s] = e["Job ID"]
            elif kind == "SparkListenerTaskEnd":
                m = (e.get("Task Metrics") or {}).get("Shuffle Read Metrics") or {}
                name = name_of_job.get(job_of_stage.get(e["Stage ID"]), "other")
                rows = m.get("Total Records Read", 0)
                mb = (m.get("Remote Bytes Read", 0) + m.get("Local Bytes Read", 0)) / 2**20
                t = out.setdefault(name, {"tasks": 0, "max_records": 0, "max_mb": 0.0})
                t["tasks"] += 1
                t["max_records"] = max(t["max_records"], rows)
                t["max_mb"] = round(max(t["max_mb"], mb), 1)
    return out


def largest_units(work: Path) -> dict:
    """What a task of the links and clusters stages holds at once besides
    its batch: the largest band group, unit (the groups with one first
    document) and cluster (documents, and MB of fingerprints: 4 bytes per
    shingle); and how many groups, memberships, units and unit rows."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    ap = pq.read_table(work / "applied", columns=["doc", "num_shingles"])
    shingles = dict(zip(ap.column("doc").to_pylist(), ap.column("num_shingles").to_pylist()))
    groups = pq.read_table(work / "groups", columns=["members"]).column("members")
    sizes = pc.list_value_length(groups)
    big = groups[pc.index(sizes, pc.max(sizes)).as_py()].as_py()
    # Units: the groups with one first document, each document once.
    flat = groups.combine_chunks()
    rows = pa.table(
        {"f": pc.take(pc.list_element(flat, 0), pc.list_parent_indices(flat)), "doc": pc.list_flatten(flat)}
    )
    units = rows.group_by("f").aggregate([("doc", "count_distinct")])
    counts = units.column("doc_count_distinct")
    unit_f = units.column("f")[pc.index(counts, pc.max(counts)).as_py()].as_py()
    unit = pc.unique(rows.filter(pc.equal(rows.column("f"), unit_f)).column("doc")).to_pylist()
    cl = pq.read_table(work / "clusters", columns=["doc", "rep", "size"])
    top = cl.filter(pc.equal(cl.column("size"), pc.max(cl.column("size"))))
    rep = top.column("rep")[0].as_py()
    docs = [d for d, r in zip(top.column("doc").to_pylist(), top.column("rep").to_pylist()) if r == rep]
    mb = lambda ds: round(sum(4 * shingles[d] for d in ds) / 2**20, 1)  # noqa: E731
    return {
        "edges": sum(
            pq.ParquetFile(f).metadata.num_rows for f in (work / "edges").glob("*.parquet")
        ),
        "groups": len(groups),
        "group_members": int(pc.sum(sizes).as_py()),
        "largest_group": [len(big), mb(big)],
        "units": units.num_rows,
        "unit_rows": int(pc.sum(counts).as_py()),
        "largest_unit": [len(unit), mb(unit)],
        "largest_cluster": [len(docs), mb(docs)],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--neardiff", default="target/release/neardiff")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=None, help="the job's shuffle partitions")
    ap.add_argument("--components", default="auto")
    ap.add_argument("--driver-memory", default="4g")
    ap.add_argument("--executor-memory", default=None, help="memory per executor (cluster masters)")
    ap.add_argument("--metric", default="jaccard")
    ap.add_argument("--conf", action="append", default=[], help="KEY=VALUE for spark-submit (repeatable)")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--log", default=None, help="append one JSON line per run here")
    ap.add_argument(
        "--tasks",
        action="store_true",
        help="also report, per stage, the largest task's shuffle input (from Spark's event log) "
        "and the largest band group and cluster (from the work directory)",
    )
    args = ap.parse_args()

    import pyspark

    import neardiff.spark as nspark

    out = Path(tempfile.mkdtemp(prefix="neardiff-spark-bench-"))
    rec: dict = {
        "inputs": args.inputs,
        "master": args.master,
        "metric": args.metric,
        "driver_memory": args.driver_memory,
        "conf": args.conf,
    }
    if not args.skip_cli:
        wall, peak, _ = run(
            [args.neardiff, "dedup", "--metric", args.metric, "-q", *args.inputs, "-o", str(out / "cli.jsonl")]
        )
        rec["cli"] = {"seconds": round(wall, 2), "peak_mb": round(peak / 2**20)}
        print(f"cli:   {wall:8.1f} s  {peak / 2**20:7.0f} MB", flush=True)
    submit = str(Path(pyspark.__file__).parent / "bin" / "spark-submit")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    work = out / "work"
    events = out / "events"
    if args.tasks:
        events.mkdir()
        args.conf += [
            "spark.eventLog.enabled=true",
            f"spark.eventLog.dir=file://{events}",
            "spark.eventLog.compress=false",
            "spark.eventLog.rolling.enabled=false",
        ]
    cmd = [
        submit,
        "--master", args.master,
        "--driver-memory", args.driver_memory,
        "--conf", "spark.ui.enabled=false",
        *(["--executor-memory", args.executor_memory] if args.executor_memory else []),
        *[x for c in args.conf for x in ("--conf", c)],
        nspark.__file__,
        *args.inputs,
        "-o", str(out / "spark.jsonl"),
        "--work-dir", "file://" + str(work),
        "--metric", args.metric,
        "--components", args.components,
        "--summary", str(out / "summary.json"),
        *(["--partitions", str(args.partitions)] if args.partitions else []),
    ]
    wall, peak, err = run(cmd, env)
    summary = json.loads((out / "summary.json").read_text())
    rec["spark"] = {
        "seconds": round(wall, 2),
        "peak_mb": round(peak / 2**20),
        "partitions": args.partitions,
        "stages": summary.get("seconds"),
        "components": summary.get("components"),
        "clusters": summary.get("clusters"),
        "documents": summary.get("documents"),
    }
    print(f"spark: {wall:8.1f} s  {peak / 2**20:7.0f} MB  ({summary['documents']} documents, {summary['clusters']} clusters)")
    stages = summary.get("seconds") or {}
    total = sum(stages.values()) or 1.0
    print("  stages: " + ", ".join(f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in stages.items()))
    if not args.skip_cli:
        same = (out / "cli.jsonl").read_bytes() == (out / "spark.jsonl").read_bytes()
        rec["identical"] = same
        print("clusters identical to the CLI's:", same)
        if not same:
            sys.exit(1)
    if args.tasks:
        rec["tasks"] = largest_tasks(events)
        rec["units"] = largest_units(work)
        for name, t in rec["tasks"].items():
            print(
                f"  {name}: {t['tasks']} tasks, largest shuffle input {t['max_records']} rows, "
                f"{t['max_mb']} MB"
            )
        print("  held at once:", json.dumps(rec["units"]))
    if args.log:
        with open(args.log, "a") as f:
            f.write(json.dumps(rec) + "\n")
    subprocess.run(["rm", "-rf", str(out)])


if __name__ == "__main__":
    main()
