"""Loss functions: class-score losses (cross-entropy, likelihood, hinge, focal) and the margin ranking loss."""

from mygrad.nnet.losses.focal_loss import focal_loss, softmax_focal_loss
from mygrad.nnet.losses.margin_ranking_loss import margin_ranking_loss
from mygrad.nnet.losses.multiclass_hinge import multiclass_hinge
from mygrad.nnet.losses.negative_log_likelihood import negative_log_likelihood
from mygrad.nnet.losses.softmax_crossentropy import softmax_crossentropy

__all__ = [
    "focal_loss",
    "margin_ranking_loss",
    "multiclass_hinge",
    "negative_log_likelihood",
    "softmax_crossentropy",
    "softmax_focal_loss",
]
