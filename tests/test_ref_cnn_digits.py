"""The reference CNN learns the 8x8 digits (real data, fixed 80/20 split) in seconds."""

import numpy as np
import pytest

from autograder.data import load_digits_split
from nnkit.conv import cnn_forward, cnn_loss_and_grads, init_cnn
from nnkit.optim import train


@pytest.mark.slow
def test_cnn_reaches_96_percent_on_digits():
    X_train, y_train, X_test, y_test = load_digits_split()
    X_train = X_train.reshape(-1, 1, 8, 8)  # rows are images in row-major order
    X_test = X_test.reshape(-1, 1, 8, 8)

    params = init_cnn((1, 8, 8), num_filters=16, filter_size=3, num_classes=10, seed=0)
    before = np.mean(np.argmax(cnn_forward(params, X_test), axis=1) == y_test)

    def loss_fn(p, Xb, yb):
        return cnn_loss_and_grads(p, Xb, yb, reg=1e-4)

    # ~2 s on 2 cores; measured 98.9 % test accuracy with these settings
    params, losses = train(
        params, X_train, y_train, loss_fn,
        optimizer="adam", lr=1e-2, batch_size=32, epochs=15, seed=0,
    )
    accuracy = np.mean(np.argmax(cnn_forward(params, X_test), axis=1) == y_test)
    print(f"CNN digits test accuracy: {accuracy:.4f} (untrained {before:.4f})")

    assert len(losses) == 15 * int(np.ceil(len(y_train) / 32))
    assert np.mean(losses[-45:]) < 0.25 * np.mean(losses[:45]), "training loss did not fall"
    assert accuracy >= 0.96, f"CNN test accuracy {accuracy:.4f} < 0.96"
