"""Forging the grade through the zip itself: a symlink entry nnkit/activations.py pointing at the
reference, '../' and absolute entries aimed at results.json and /tmp, and a 300 MB zip bomb."""
CATEGORY = "forge"
MODULE = "activations"
DROP = ["activations"]
ZIP = True
LOSES = ["1.3"]
