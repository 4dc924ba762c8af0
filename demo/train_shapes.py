"""Train a small convolutional network, written with mygrad, to tell circles, squares, crosses and
triangles apart in 16x16 pictures that the demo draws itself (no download).

    python demo/train_shapes.py            # the full run: about 15 s on 2 CPU cores
    python demo/train_shapes.py --quick    # a few seconds: tiny data, two epochs (used by the tests)
    python demo/train_shapes.py --help     # every option, with its default

It uses the three distributions of the project: mygrad (tensors and backpropagation), mygrad.nnet
(convolution, pooling, activation, loss, initializer) and mygrad.computational_graph (a drawing of one
forward pass, graph.svg). matplotlib, if installed, adds training.png: the loss and accuracy per epoch, the
confusion matrix of the test pictures and the test pictures the network got wrong.

The learning rate decays from --lr to 0 along a cosine. With a constant rate (0.05, the demo's earlier
setting) the loss of the last epoch jumped from 0.032 to 0.073: around step 2806 the curvature of the loss
along its gradient reached 126, where plain gradient descent is stable only below 2 / rate = 40, so a few
updates in a row overshot (the minibatch loss rose from 0.05 to 4.7 within five steps) before training
recovered. The gradients were right (they match finite differences to 1e-10); the step was too long for
the sharper minimum that training had reached. The decaying rate ends with a lower loss and no such jump.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import mygrad as mg
from mygrad.computational_graph import GraphvizNotFoundError, build_graph
from mygrad.nnet import conv_nd, glorot_uniform, he_normal, max_pool, relu, softmax_crossentropy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import CLASSES, make_shapes  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "out"
FULL = {"n_train": 8000, "n_test": 2000, "epochs": 12}
QUICK = {"n_train": 300, "n_test": 100, "epochs": 2}


class ShapeNet:
    """conv 3x3 (8) -> relu -> max-pool 2 -> conv 3x3 (16) -> relu -> max-pool 2 -> dense -> class scores."""

    def __init__(self, size: int, n_classes: int, rng: np.random.Generator) -> None:
        flat = 16 * (size // 4) ** 2
        self.w1 = he_normal(8, 1, 3, 3, rng=rng)
        self.b1 = mg.zeros((1, 8, 1, 1), dtype=np.float32)
        self.w2 = he_normal(16, 8, 3, 3, rng=rng)
        self.b2 = mg.zeros((1, 16, 1, 1), dtype=np.float32)
        self.w3 = glorot_uniform(flat, n_classes, rng=rng)  # symmetric in fan-in and fan-out
        self.b3 = mg.zeros((n_classes,), dtype=np.float32)

    @property
    def parameters(self) -> tuple[mg.Tensor, ...]:
        return (self.w1, self.b1, self.w2, self.b2, self.w3, self.b3)

    def layers(self, x: np.ndarray) -> dict[str, mg.Tensor]:
        """The result of every layer for the pictures ``x``, by name; the last is the class scores."""
        out = {}
        out["conv1"] = conv_nd(x, self.w1, stride=1, padding=1) + self.b1
        out["relu1"] = relu(out["conv1"])
        out["pool1"] = max_pool(out["relu1"], (2, 2), 2)
        out["conv2"] = conv_nd(out["pool1"], self.w2, stride=1, padding=1) + self.b2
        out["relu2"] = relu(out["conv2"])
        out["pool2"] = max_pool(out["relu2"], (2, 2), 2)
        out["flat"] = out["pool2"].reshape(len(x), -1)
        out["scores"] = out["flat"] @ self.w3 + self.b3
        return out

    def __call__(self, x: np.ndarray) -> mg.Tensor:
        return self.layers(x)["scores"]


def class_scores(model: ShapeNet, images: np.ndarray, batch: int = 500) -> np.ndarray:
    """The model's class scores for ``images``, computed without recording a graph."""
    with mg.no_autodiff:
        return np.concatenate([model(images[i : i + batch]).data for i in range(0, len(images), batch)])


def accuracy(model: ShapeNet, images: np.ndarray, labels: np.ndarray) -> float:
    """The fraction of ``images`` classified right."""
    return float(np.mean(np.argmax(class_scores(model, images), axis=1) == labels))


def cosine_decay(peak: float, progress: float) -> float:
    """The learning rate once ``progress`` (0 to 1) of the training steps are done: ``peak`` down to 0."""
    return peak * 0.5 * (1.0 + math.cos(math.pi * progress))


@dataclass
class History:
    """What training went through: per step (minibatch) and per epoch."""

    steps_per_epoch: int
    step_losses: list[float] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)  # the mean over the epoch's pictures
    train_accuracy: list[float] = field(default_factory=list)  # measured after each epoch
    test_accuracy: list[float] = field(default_factory=list)


def train(
    model: ShapeNet,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    epochs: int,
    batch: int,
    lr: float,
    rng: np.random.Generator,
) -> History:
    """Plain minibatch gradient descent, printing a line per epoch."""
    train_x, train_y, test_x, test_y = data
    n_train = len(train_x)
    history = History(steps_per_epoch=math.ceil(n_train / batch))
    total_steps = epochs * history.steps_per_epoch
    for epoch in range(1, epochs + 1):
        tic = time.perf_counter()
        order = rng.permutation(n_train)
        loss_sum = 0.0
        for first in range(0, n_train, batch):
            chosen = order[first : first + batch]
            rate = cosine_decay(lr, len(history.step_losses) / total_steps)
            loss = softmax_crossentropy(model(train_x[chosen]), train_y[chosen])
            loss.backward()
            for param in model.parameters:  # on the arrays: nothing is recorded
                param.data -= rate * param.grad
            history.step_losses.append(loss.item())
            history.learning_rates.append(rate)
            loss_sum += loss.item() * len(chosen)  # the last minibatch may be smaller
        speed = n_train / (time.perf_counter() - tic)
        history.epoch_losses.append(loss_sum / n_train)
        history.train_accuracy.append(accuracy(model, train_x, train_y))
        history.test_accuracy.append(accuracy(model, test_x, test_y))
        print(
            f"epoch {epoch}/{epochs}  loss {history.epoch_losses[-1]:.4f}  "
            f"train acc {history.train_accuracy[-1]:.1%}  test acc {history.test_accuracy[-1]:.1%}  "
            f"{speed:,.0f} examples/s",
            flush=True,
        )
    return history


def save_graph(model: ShapeNet, images: np.ndarray, labels: np.ndarray, out: Path, rankdir: str) -> Path:
    """Draw the graph of the loss of one forward pass on two pictures: SVG, or the DOT source without `dot`."""
    x, y = images[:2], labels[:2]
    w1, b1, w2, b2, w3, b3 = model.parameters
    layers = model.layers(x)
    loss = softmax_crossentropy(layers["scores"], y)
    names = {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "w3": w3, "b3": b3, **layers, "loss": loss}
    options = {"names": names, "dims": True, "render": False, "rankdir": rankdir}
    try:
        path = out / "graph.svg"
        build_graph(loss, save=path, **options)
    except GraphvizNotFoundError as err:
        path = out / "graph.gv"
        print(f"note: no SVG of the graph. {err}", flush=True)
        print(
            f"note: saving the graph's Graphviz source instead, {path.name}; training was not affected",
            flush=True,
        )
        build_graph(loss, save=path, **options)
    loss.null_grad()  # the drawing only; no backpropagation
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    description, _, details = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(
        description=description,
        epilog=details.split("\n\n", 1)[1],  # the paragraphs after the examples
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a few-seconds run on tiny data: {QUICK['n_train']} training and {QUICK['n_test']} test "
        f"pictures, {QUICK['epochs']} epochs (what the tests run); without it: {FULL['n_train']} and "
        f"{FULL['n_test']} pictures, {FULL['epochs']} epochs",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help=f"passes over the training set (default: {FULL['epochs']}, or {QUICK['epochs']} with --quick)",
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=0.1,
        help="learning rate of the first step; it decays to 0 along a cosine (default: %(default)s)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=32,
        metavar="N",
        help="pictures per minibatch (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the pictures, the initial weights and the order of the minibatches "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--graph",
        choices=("TB", "LR"),
        default="TB",
        help="direction of graph.svg: TB, top to bottom (a column, about 400 x 1900 pt) or LR, left to right "
        "(a row, about 4000 x 140 pt) (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help="folder for graph.svg and training.png (default: demo/out next to this script)",
    )
    args = parser.parse_args(argv)
    for name in ("epochs", "batch_size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if not args.lr > 0:
        parser.error(f"--lr must be positive, got {args.lr}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    n_train, n_test = sizes["n_train"], sizes["n_test"]
    epochs = args.epochs or sizes["epochs"]
    size = 16
    start = time.perf_counter()

    images, labels = make_shapes(n_train + n_test, size=size, seed=args.seed)
    train_x, train_y = images[:n_train], labels[:n_train]
    test_x, test_y = images[n_train:], labels[n_train:]
    print(
        f"data: {n_train} training and {n_test} test pictures, {size}x{size}, classes: {', '.join(CLASSES)}",
        flush=True,
    )

    rng = np.random.default_rng(args.seed)
    model = ShapeNet(size, len(CLASSES), rng)
    history = train(
        model, (train_x, train_y, test_x, test_y), epochs=epochs, batch=args.batch_size, lr=args.lr, rng=rng
    )

    test_scores = class_scores(model, test_x)
    final = float(np.mean(np.argmax(test_scores, axis=1) == test_y))
    elapsed = time.perf_counter() - start
    print(
        f"final test accuracy: {final:.1%} ({n_test} pictures); data and training took {elapsed:.1f} s",
        flush=True,
    )

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {save_graph(model, test_x, test_y, out, args.graph)}", flush=True)
    try:
        import matplotlib
    except ImportError:
        print(
            "note: matplotlib is not installed, so no PNG is written (`pip install matplotlib` to get it)",
            flush=True,
        )
    else:
        matplotlib.use("Agg")  # files only: no window, no display needed
        from training_figure import save_figure

        path = save_figure(history, test_x, test_y, test_scores, CLASSES, out / "training.png")
        print(f"wrote {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
