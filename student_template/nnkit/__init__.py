"""nnkit: your implementation of the course's numpy toolkit (every module of the course).

Modules: ``activations``, ``conv``, ``gates``, ``jacobians``, ``layers``, ``losses``, ``network``, ``optim``, ``preprocess``.
Import them by name (``from nnkit.layers import linear_forward``); this file
imports nothing, so that one unfinished module never breaks the others.
"""
