#!/usr/bin/python3
"""Regions during training (Qi & Wei's question), counted exactly by chamber.

Trains a small ReLU MLP (2-8-8 and a 2-class read-out) on scikit-learn's two moons, saves a checkpoint per epoch
(epoch 0 = the initial weights) as a chamber network file (cnn/export_torch.py: every float32 weight exact), and counts
per epoch, exactly:
  - the linear regions in all of R^2              (`chamber dataset` over the checkpoints, spec_whole.json)
  - the linear regions meeting the box (-1.5, 2.5)^2 around the data (`chamber dataset`, spec_box.json: "box")
  - the regions met by the data points            (`chamber cnn CHECKPOINT --points points.csv`: distinct patterns;
                                                   a dataset spec has no field for points)
and writes counts.csv and regions.svg (matplotlib) into the output directory.

  /usr/bin/python3 examples/train_and_count.py [--chamber build/bin/chamber] [--out data/training] [--epochs 15]

Deterministic: fixed seeds, one thread, the data shuffled by a seeded torch.Generator (torch's CPU kernels are not
promised bit-identical across machines or versions, so another machine may train other weights and count other
regions; on one machine a rerun gives the same files). About 10 seconds for 15 epochs.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import torch
from torch import nn
from sklearn.datasets import make_moons

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, ".."))
sys.path.insert(0, os.path.join(root, "cnn"))
import export_torch  # noqa: E402

BOX = "-1.5,2.5"
SAMPLES = 200


def exact_text(value):
    """Returns the exact value of a float as "p/q" (or an integer)."""
    fraction = Fraction(float(value))
    return str(fraction.numerator) if fraction.denominator == 1 else "%d/%d" % (fraction.numerator, fraction.denominator)


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit("train_and_count.py: %s failed (exit %d):\n%s" % (" ".join(command), result.returncode,
                                                                          result.stderr))
    return result.stdout


def train(out, epochs):
    """Trains the model, writes checkpoints/epochNN.json and points.csv, returns [(epoch, loss, accuracy)]."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    xs, ys = make_moons(n_samples=SAMPLES, noise=0.1, random_state=0)
    x = torch.tensor(xs, dtype=torch.float32)
    y = torch.tensor(ys, dtype=torch.long)
    with open(os.path.join(out, "points.csv"), "w") as points:
        points.write("# the %d training inputs of make_moons(n_samples=%d, noise=0.1, random_state=0), as the exact "
                     "values of their float32 coordinates\n" % (SAMPLES, SAMPLES))
        for row in x:
            points.write("%s,%s\n" % (exact_text(row[0].item()), exact_text(row[1].item())))
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.02)
    shuffle = torch.Generator().manual_seed(0)
    os.makedirs(os.path.join(out, "checkpoints"))
    history = []
    for epoch in range(epochs + 1):
        if epoch > 0:
            for batch in torch.randperm(SAMPLES, generator=shuffle).split(20):
                optimiser.zero_grad()
                nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
                optimiser.step()
        with torch.no_grad():
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y).item()
            accuracy = (logits.argmax(1) == y).float().mean().item()
        with open(os.path.join(out, "checkpoints", "epoch%02d.json" % epoch), "w") as f:
            json.dump(export_torch.to_chamber(model, (1, 1, 2)), f)
            f.write("\n")
        history.append((epoch, loss, accuracy))
    return history


def write_spec(out, name, epochs, box):
    spec = {"format": "chamber-dataset-spec", "version": 1,
            "description": "two-moons MLP 2-8-8 during training, one checkpoint per epoch%s" %
                           (", regions meeting the box (%s)^2" % box if box else ", regions in all of R^2"),
            "networks": ["checkpoints/epoch%02d.json" % e for e in range(epochs + 1)],
            "certificates": False}
    if box:
        spec["box"] = box
    with open(os.path.join(out, name), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")


def dataset_regions(chamber, out, spec, directory):
    run([chamber, "dataset", os.path.join(out, spec), "--out", os.path.join(out, directory), "--quiet"])
    with open(os.path.join(out, directory, "rows.jsonl")) as rows:
        return [json.loads(line)["regions"] for line in rows]


def data_regions(chamber, out, epoch):
    report = json.loads(run([chamber, "cnn", os.path.join(out, "checkpoints", "epoch%02d.json" % epoch), "--points",
                             os.path.join(out, "points.csv"), "--json", "--quiet"]))
    return report["points"]["distinct_regions"], len(report["points"]["on_boundary"])


def plot(out, table):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    matplotlib.rcParams["svg.hashsalt"] = "chamber"
    epochs = [row["epoch"] for row in table]
    figure, axes = plt.subplots(figsize=(6, 3.6))
    axes.plot(epochs, [row["regions_whole"] for row in table], "o-", label="all of R^2")
    axes.plot(epochs, [row["regions_box"] for row in table], "s-", label="box %s" % BOX.replace(",", ".."))
    axes.plot(epochs, [row["regions_data"] for row in table], "^-", label="met by the %d data points" % SAMPLES)
    axes.set_xlabel("epoch")
    axes.set_ylabel("exact linear regions")
    axes.set_title("Two-moons MLP 2-8-8: linear regions during training")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(os.path.join(out, "regions.svg"), metadata={"Date": None})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chamber", default=os.path.join(root, "build", "bin", "chamber"))
    parser.add_argument("--out", default=os.path.join(root, "data", "training"))
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--no-plot", action="store_true", help="skip the SVG")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    out = args.out
    os.makedirs(out, exist_ok=True)
    for generated in ("checkpoints", "whole", "box"):
        shutil.rmtree(os.path.join(out, generated), ignore_errors=True)
    history = train(out, args.epochs)
    write_spec(out, "spec_whole.json", args.epochs, None)
    write_spec(out, "spec_box.json", args.epochs, BOX)
    whole = dataset_regions(args.chamber, out, "spec_whole.json", "whole")
    box = dataset_regions(args.chamber, out, "spec_box.json", "box")
    table = []
    for epoch, loss, accuracy in history:
        met, on_boundary = data_regions(args.chamber, out, epoch)
        table.append({"epoch": epoch, "loss": "%.6f" % loss, "train_accuracy": "%.4f" % accuracy,
                      "regions_whole": whole[epoch], "regions_box": box[epoch], "regions_data": met,
                      "points_on_boundary": on_boundary})
    with open(os.path.join(out, "counts.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    if not args.no_plot:
        plot(out, table)
    for row in table:
        print("epoch %2d: accuracy %s, regions %d in R^2, %d in the box, %d met by the data" %
              (row["epoch"], row["train_accuracy"], row["regions_whole"], row["regions_box"], row["regions_data"]))


if __name__ == "__main__":
    main()
