"""The student tool: what students run on their own code, never part of grading.

``check.py`` is ``python -m nnkit_check`` of the student release (shipped as
``nnkit_check/__main__.py``, imports rewritten to ``nnkit_check.*`` by
``autograder/release/layout.py``) and ``nnkit check`` in the repository
(``cli.py``). It runs the public tests and the homework's gradient checks with
the student's code only: no reference solution, no hidden tests. It is not
shipped in autograder.zip; what it shares with the grader (``gradcheck``,
``grading/diagnose.py``, ``grading/submission.py``) it imports from there.
"""
