"""The demo's picture of a training run (training.png), drawn with matplotlib.

Top: the loss per minibatch and per epoch with the learning rate, the accuracy on the training and test
pictures after each epoch, and the confusion matrix of the test pictures. Bottom: the test pictures the
network got wrong, the most confident mistakes first, each with its true class and the network's guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

from mygrad.nnet import softmax

if TYPE_CHECKING:
    from train_shapes import History

MISTAKES_SHOWN = 20  # at most, in two rows
COLUMNS = 10
TOP_HEIGHT, ROW_HEIGHT = 5.0, 2.0  # inches: the plots, and each row of misclassified pictures
TRAIN_COLOUR, TEST_COLOUR, RATE_COLOUR = "#1f77b4", "#d95f02", "#555555"
PLAIN = FuncFormatter(lambda value, _: f"{value:g}")


def save_figure(
    history: History,
    images: np.ndarray,
    labels: np.ndarray,
    scores: np.ndarray,
    classes: Sequence[str],
    path: Path,
) -> Path:
    """Write the figure of a run to ``path`` (PNG): ``scores`` are the trained model's for the test
    ``images`` of true class ``labels``, indices into ``classes``."""
    guesses = np.argmax(scores, axis=1)
    probabilities = softmax(scores).data  # the network's confidence in each class
    wrong = np.flatnonzero(guesses != labels)
    wrong = wrong[np.argsort(-probabilities[wrong, guesses[wrong]], kind="stable")]  # most confident first
    rows = math.ceil(min(len(wrong), MISTAKES_SHOWN) / COLUMNS)
    bottom_height = 0.45 + ROW_HEIGHT * rows  # inches: the pictures' title line, then their rows
    fig = plt.figure(figsize=(15, TOP_HEIGHT + bottom_height), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[TOP_HEIGHT, bottom_height], hspace=0.04)
    loss_ax, acc_ax, matrix_ax = top.subplots(1, 3, width_ratios=[1.45, 1.15, 0.9])
    _plot_loss(loss_ax, history)
    _plot_accuracy(acc_ax, history)
    _plot_confusion(matrix_ax, labels, guesses, classes)
    _show_mistakes(bottom, rows, images[wrong], labels[wrong], probabilities[wrong], len(labels), classes)
    fig.suptitle(
        f"mygrad demo: a small CNN learns to tell {', '.join(classes[:-1])} and {classes[-1]} apart "
        f"({1 - len(wrong) / len(labels):.1%} of {len(labels):,} test pictures right)",
        fontsize=14,
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _plot_loss(ax: plt.Axes, history: History) -> None:
    per_step = np.arange(1, len(history.step_losses) + 1) / history.steps_per_epoch
    epochs = np.arange(1, len(history.epoch_losses) + 1)
    ax.plot(per_step, history.step_losses, lw=0.6, color=TRAIN_COLOUR, alpha=0.3, label="each minibatch")
    ax.plot(
        epochs - 0.5, history.epoch_losses, "o-", color=TRAIN_COLOUR, lw=2, ms=4, label="mean of each epoch"
    )
    ax.set_yscale("log")
    # plain numbers (0.01, 0.1, 1) rather than powers of ten; the minor ticks labelled too when the
    # range is short (the --quick run's loss stays within a factor of 2)
    ax.yaxis.set_major_formatter(PLAIN)
    low, high = ax.get_ylim()
    ax.yaxis.set_minor_formatter(PLAIN if high / low < 20 else NullFormatter())
    ax.set(xlabel="epoch", ylabel="cross-entropy loss (log scale)", title="Training loss")
    ax.set_xlim(0, len(epochs))
    ax.grid(alpha=0.3, which="major")
    rate_ax = ax.twinx()
    rate_ax.plot(per_step, history.learning_rates, "--", color=RATE_COLOUR, lw=1.2, label="learning rate")
    rate_ax.set_ylabel("learning rate", color=RATE_COLOUR)
    rate_ax.tick_params(axis="y", colors=RATE_COLOUR)
    rate_ax.set_ylim(0, max(history.learning_rates) * 1.05)
    lines = ax.get_lines() + rate_ax.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper right", fontsize=9)


def _plot_accuracy(ax: plt.Axes, history: History) -> None:
    epochs = np.arange(1, len(history.train_accuracy) + 1)
    for values, marker, colour, label in (
        (history.train_accuracy, "o-", TRAIN_COLOUR, "training pictures"),
        (history.test_accuracy, "s-", TEST_COLOUR, "test pictures"),
    ):
        ax.plot(epochs, np.array(values) * 100, marker, color=colour, lw=2, ms=4, label=label)
    final = history.test_accuracy[-1] * 100
    ax.annotate(
        f"{final:.1f}%",
        (epochs[-1], final),
        xytext=(0, -14),
        textcoords="offset points",
        ha="center",
        va="top",
        color=TEST_COLOUR,
        fontsize=9,
    )
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(xlabel="epoch", ylabel="classified right", title="Accuracy after each epoch")
    ax.set_xticks(epochs if len(epochs) <= 12 else np.linspace(1, epochs[-1], 7).round())
    ax.margins(x=0.06, y=0.12)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)


def _plot_confusion(ax: plt.Axes, labels: np.ndarray, guesses: np.ndarray, classes: Sequence[str]) -> None:
    n = len(classes)
    counts = np.zeros((n, n), dtype=int)
    np.add.at(counts, (labels, guesses), 1)
    # A log scale, so that a handful of mistakes shows beside hundreds of right answers; 0 stays white.
    cells = ax.imshow(np.ma.masked_equal(counts, 0), cmap="Blues", norm=LogNorm(0.5, max(counts.max(), 1)))
    colours = cells.to_rgba(np.ma.masked_equal(counts, 0))
    for (true, guess), count in np.ndenumerate(counts):
        text = "white" if _luminance(colours[true, guess]) < 0.18 else "black"  # the higher contrast
        ax.text(guess, true, str(count), ha="center", va="center", fontsize=11, color=text)
    ax.set_xticks(range(n), classes, rotation=30, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), classes)
    ax.set(xlabel="the network's guess", ylabel="true class", title="Test pictures: confusion matrix")
    ax.tick_params(length=0)


def _show_mistakes(
    subfig: plt.SubFigure,
    rows: int,
    images: np.ndarray,
    labels: np.ndarray,
    probabilities: np.ndarray,
    n_test: int,
    classes: Sequence[str],
) -> None:
    """The misclassified ``images`` (of true class ``labels``, in the order given), in ``rows`` rows."""
    if len(images) == 0:
        subfig.suptitle(f"No test picture was misclassified (of {n_test:,})", fontsize=12)
        return
    shown = min(len(images), rows * COLUMNS)
    more = f"; the {shown} most confident mistakes" if len(images) > shown else ""
    subfig.suptitle(
        f"The {len(images)} misclassified test pictures (of {n_test:,}){more}: true class, and the "
        "network's guess with its probability",
        fontsize=12,
    )
    axes = subfig.subplots(rows, COLUMNS, squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, image, label, probs in zip(axes.flat, images, labels, probabilities):
        guess = int(np.argmax(probs))
        ax.imshow(image[0], cmap="gray")
        ax.set_title(f"true: {classes[label]}\nguess: {classes[guess]} {probs[guess]:.0%}", fontsize=10)


def _luminance(rgba: np.ndarray) -> float:
    """The relative luminance of a colour (WCAG 2): black text contrasts more with it above 0.18 (where
    (L + 0.05) / 0.05 = 1.05 / (L + 0.05)), white text below. A masked (white) cell has alpha 0."""
    if rgba[3] == 0:
        return 1.0
    linear = np.where(rgba[:3] <= 0.04045, rgba[:3] / 12.92, ((rgba[:3] + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])
