"""examples/train_and_count.py, reduced to 2 epochs: its counts per checkpoint against `chamber cnn` run directly.

Needs Debian's python3 with torch, sklearn and matplotlib; CHAMBER names the chamber binary."""
import csv
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
chamber = os.environ["CHAMBER"]


def cnn(*args):
    return json.loads(subprocess.run([chamber, "cnn", *args, "--json", "--quiet"], check=True,
                                     stdout=subprocess.PIPE, text=True).stdout)


def test_reduced_run_matches_chamber_cnn(tmp_path):
    out = str(tmp_path / "training")
    subprocess.run([sys.executable, os.path.join(root, "examples", "train_and_count.py"), "--chamber", chamber,
                    "--out", out, "--epochs", "2"], check=True, stdout=subprocess.PIPE)
    with open(os.path.join(out, "counts.csv")) as f:
        rows = list(csv.DictReader(f))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert os.path.getsize(os.path.join(out, "regions.svg")) > 1000
    for row in rows:
        network = os.path.join(out, "checkpoints", "epoch%02d.json" % int(row["epoch"]))
        whole = cnn(network)
        boxed = cnn(network, "--box", "-1.5,2.5")
        located = cnn(network, "--points", os.path.join(out, "points.csv"))
        assert int(row["regions_whole"]) == whole["regions"]
        assert int(row["regions_box"]) == boxed["regions"]
        assert int(row["regions_data"]) == located["points"]["distinct_regions"]
        assert int(row["points_on_boundary"]) == len(located["points"]["on_boundary"])
        # Regions met by data lie in the box, which lies in R^2.
        assert int(row["regions_data"]) <= int(row["regions_box"]) <= int(row["regions_whole"])
    # The datasets verify (hashes of every file).
    for directory in ("whole", "box"):
        subprocess.run([chamber, "dataset", "--verify", os.path.join(out, directory), "--quiet"], check=True)


def test_shipped_counts_match_the_shipped_datasets():
    shipped = os.path.join(root, "data", "training")
    with open(os.path.join(shipped, "counts.csv")) as f:
        rows = list(csv.DictReader(f))
    for directory, key in (("whole", "regions_whole"), ("box", "regions_box")):
        with open(os.path.join(shipped, directory, "rows.jsonl")) as f:
            regions = [json.loads(line)["regions"] for line in f]
        assert regions == [int(r[key]) for r in rows]
    last = rows[-1]["epoch"]
    located = cnn(os.path.join(shipped, "checkpoints", "epoch%02d.json" % int(last)), "--points",
                  os.path.join(shipped, "points.csv"))
    assert located["points"]["distinct_regions"] == int(rows[-1]["regions_data"])
