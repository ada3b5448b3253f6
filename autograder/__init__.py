"""nnkit's framework: release pipeline, grading engine, sandbox, instructor tools.

Parts that ship inside ``autograder.zip`` (grading, sandbox, gradcheck, data)
must run on Gradescope's Python 3.10 with the pins of
``autograder/runtime-requirements.txt``.
"""

__version__ = "0.1.0"
