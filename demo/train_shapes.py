"""Train a small convolutional network, written with mygrad, to tell circles, squares, crosses and
triangles apart in 16x16 pictures that the demo draws itself (no download).

    python demo/train_shapes.py            # the full run: about a minute or two on 2 CPU cores
    python demo/train_shapes.py --quick    # a few seconds: tiny data, two epochs (used by the tests)
    python demo/train_shapes.py --out DIR  # where the pictures go (default: demo/out)

It uses the three distributions of the project: ``mygrad`` (tensors and backpropagation), ``mygrad.nnet``
(convolution, pooling, activation, loss, initializer) and ``mygrad.computational_graph`` (a drawing of one
forward pass). matplotlib, if installed, adds a PNG of the loss curve and of some classified pictures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import mygrad as mg
from mygrad.computational_graph import GraphvizNotFoundError, build_graph
from mygrad.nnet import conv_nd, glorot_uniform, he_normal, max_pool, relu, softmax_crossentropy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import CLASSES, make_shapes  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "out"


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

    def __call__(self, x: np.ndarray) -> mg.Tensor:
        h = relu(conv_nd(x, self.w1, stride=1, padding=1) + self.b1)
        h = max_pool(h, (2, 2), 2)
        h = relu(conv_nd(h, self.w2, stride=1, padding=1) + self.b2)
        h = max_pool(h, (2, 2), 2)
        return h.reshape(len(h), -1) @ self.w3 + self.b3


def accuracy(model: ShapeNet, images: np.ndarray, labels: np.ndarray, batch: int = 500) -> float:
    """The fraction of ``images`` classified right, computed without recording a graph."""
    right = 0
    with mg.no_autodiff:
        for start in range(0, len(images), batch):
            scores = model(images[start : start + batch])
            right += int(np.sum(np.argmax(scores.data, axis=1) == labels[start : start + batch]))
    return right / len(images)


def predict(model: ShapeNet, images: np.ndarray) -> np.ndarray:
    with mg.no_autodiff:
        return np.argmax(model(images).data, axis=1)


def save_graph(model: ShapeNet, images: np.ndarray, labels: np.ndarray, out: Path) -> Path:
    """Draw the graph of the loss of one forward pass on two pictures: SVG, or the DOT source without `dot`."""
    x, y = images[:2], labels[:2]
    w1, b1, w2, b2, w3, b3 = model.parameters
    loss = softmax_crossentropy(model(x), y)
    names = {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "w3": w3, "b3": b3, "loss": loss}
    try:
        path = out / "graph.svg"
        build_graph(loss, names=names, dims=True, save=path, render=False)
    except GraphvizNotFoundError as err:
        path = out / "graph.gv"
        print(f"note: no SVG of the graph. {err}", flush=True)
        print(
            f"note: saving the graph's Graphviz source instead, {path.name}; training was not affected",
            flush=True,
        )
        build_graph(loss, names=names, dims=True, save=path, render=False)
    loss.null_grad()  # the drawing only; no backpropagation
    return path


def save_figure(
    losses: list[float], model: ShapeNet, images: np.ndarray, labels: np.ndarray, out: Path
) -> Path | None:
    """A PNG of the loss per step and of 12 test pictures with their predicted classes, if matplotlib is here."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "note: matplotlib is not installed, so no PNG is written (`pip install matplotlib` to get it)",
            flush=True,
        )
        return None
    shown = 12
    guesses = predict(model, images[:shown])
    fig = plt.figure(figsize=(11, 4.5))
    curve = fig.add_subplot(1, 2, 1)
    curve.plot(np.arange(1, len(losses) + 1), losses, lw=0.8)
    curve.set(xlabel="training step (minibatch)", ylabel="cross-entropy loss", title="Training loss")
    curve.set_yscale("log")
    for i in range(shown):
        ax = fig.add_subplot(3, 8, 8 * (i // 4) + 5 + i % 4)
        ax.imshow(images[i, 0], cmap="gray")
        ok = guesses[i] == labels[i]
        ax.set_title(CLASSES[guesses[i]], fontsize=8, color="green" if ok else "red")
        ax.set_axis_off()
    fig.suptitle("mygrad demo: shapes classified by a small CNN (red title = wrong)")
    fig.tight_layout()
    path = out / "training.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few-seconds run on tiny data (for tests)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: demo/out)")
    parser.add_argument("--epochs", type=int, help="number of passes over the training set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    n_train, n_test, epochs = (300, 100, 2) if args.quick else (8000, 2000, 12)
    epochs = args.epochs or epochs
    batch, lr, size = 32, 0.05, 16
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
    losses: list[float] = []
    for epoch in range(1, epochs + 1):
        tic = time.perf_counter()
        order = rng.permutation(n_train)
        epoch_losses = []
        for first in range(0, n_train, batch):
            chosen = order[first : first + batch]
            loss = softmax_crossentropy(model(train_x[chosen]), train_y[chosen])
            loss.backward()
            for param in model.parameters:  # plain gradient descent, on the arrays: nothing is recorded
                param.data -= lr * param.grad
            epoch_losses.append(loss.item())
        speed = n_train / (time.perf_counter() - tic)
        losses += epoch_losses
        print(
            f"epoch {epoch}/{epochs}  loss {np.mean(epoch_losses):.4f}  "
            f"train acc {accuracy(model, train_x, train_y):.1%}  test acc {accuracy(model, test_x, test_y):.1%}  "
            f"{speed:,.0f} examples/s",
            flush=True,
        )

    final = accuracy(model, test_x, test_y)
    elapsed = time.perf_counter() - start
    print(
        f"final test accuracy: {final:.1%} ({n_test} pictures); data and training took {elapsed:.1f} s",
        flush=True,
    )

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {save_graph(model, test_x, test_y, out)}", flush=True)
    figure = save_figure(losses, model, test_x, test_y, out)
    if figure is not None:
        print(f"wrote {figure}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
