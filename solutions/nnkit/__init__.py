"""nnkit: the neural-networks course's numpy toolkit.

One module per lecture topic: ``gates``, ``activations``, ``jacobians``,
``layers``, ``losses``, ``network``, ``optim``, ``preprocess``, ``conv``.
Import them by name (``from nnkit.gates import mul_backward``); this package
file imports nothing, so that one unfinished module never breaks the others.
"""
