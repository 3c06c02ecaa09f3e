#!/usr/bin/python3
"""Trains the two small models the benchmarks and the README use, and exports them with cnn/export_torch.py.

  examples/moons_mlp.json     2-16-16-16 ReLU MLP and its 2-class read-out on scikit-learn's two moons (noise 0.1)
  examples/digits_cnn.json    conv 4 filters 3x3 -> conv 4 filters 3x3 stride 2 -> linear 16 and its 10-class
                              read-out on scikit-learn's 8x8 digits (pixels scaled to [0, 1])
  examples/digits_points.txt  three digit images of different classes (a points file: the plane for `chamber slice`)
  examples/iris_mlp.json      4-8-8-8 ReLU MLP and its 3-class read-out on scikit-learn's iris (features standardised)
  examples/digits4_cnn.json   conv 2 filters 2x2 stride 2 -> linear 8 and its 10-class read-out on the 8x8 digits
                              averaged down to 4x4 (2x2 blocks, pixels scaled to [0, 1]): a trained CNN whose input is
                              not 2-D, small enough to count all of R^16

The read-out (the last Linear) is kept as each file's "readout" (`chamber slice --colour class` colours by it; it
changes no region count). Run with Debian's Python (torch and sklearn): /usr/bin/python3 examples/train_models.py. Seeds are fixed; the JSON
files in the repository are the artefacts of one such run (torch's kernels are not bit-reproducible across
machines, so a re-run may give other weights, and other exact counts).
"""
import json
import os
import sys

import torch
from torch import nn
from sklearn.datasets import load_digits, load_iris, make_moons

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "cnn"))
import export_torch  # noqa: E402


def train(model, x, y, steps, lr):
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def fit(label, model, x, y, steps, lr, least, shape, name):
    """Trains `model`, checks its train accuracy is at least `least`, and writes it as examples/`name`."""
    accuracy = train(model, x, y, steps, lr)
    print("%s: train accuracy %.3f" % (label, accuracy))
    assert accuracy >= least
    write(model, shape, name)


def write(model, shape, name):
    document = export_torch.to_chamber(model, shape)
    with open(os.path.join(here, name), "w") as out:
        json.dump(document, out)
        out.write("\n")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    xs, ys = make_moons(n_samples=500, noise=0.1, random_state=1)
    x = torch.tensor(xs, dtype=torch.float32)
    y = torch.tensor(ys, dtype=torch.long)
    mlp = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                        nn.Linear(16, 2))
    fit("moons MLP", mlp, x, y, 1500, 0.01, 0.95, (1, 1, 2), "moons_mlp.json")

    torch.manual_seed(1)
    digits = load_digits()
    images = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
    labels = torch.tensor(digits.target, dtype=torch.long)
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3, stride=2), nn.ReLU(), nn.Flatten(),
                        nn.Linear(4 * 2 * 2, 16), nn.ReLU(), nn.Linear(16, 10))
    fit("digits CNN", cnn, images, labels, 1500, 0.01, 0.90, (1, 8, 8), "digits_cnn.json")

    chosen = []
    for label in (0, 1, 7):
        index = int((labels == label).nonzero()[0])
        chosen.append((index, label))
    with open(os.path.join(here, "digits_points.txt"), "w") as out:
        out.write("# three 8x8 digits of scikit-learn's load_digits (pixels / 16, exact): images %s, labels 0, 1, 7\n"
                  % ", ".join(str(i) for i, _ in chosen))
        for index, _ in chosen:
            out.write(",".join("%d/16" % v for v in digits.images[index].reshape(-1).astype(int)) + "\n")

    torch.manual_seed(1)
    iris = load_iris()
    features = torch.tensor(iris.data, dtype=torch.float32)
    features = (features - features.mean(0)) / features.std(0)
    iris_labels = torch.tensor(iris.target, dtype=torch.long)
    iris_mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(),
                             nn.Linear(8, 3))
    fit("iris MLP", iris_mlp, features, iris_labels, 1000, 0.01, 0.95, (1, 1, 4), "iris_mlp.json")

    torch.manual_seed(1)
    small = nn.functional.avg_pool2d(images, 2)
    small_cnn = nn.Sequential(nn.Conv2d(1, 2, 2, stride=2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 2 * 2, 8), nn.ReLU(),
                              nn.Linear(8, 10))
    fit("digits 4x4 CNN", small_cnn, small, labels, 1500, 0.02, 0.5, (1, 4, 4), "digits4_cnn.json")


if __name__ == "__main__":
    main()
