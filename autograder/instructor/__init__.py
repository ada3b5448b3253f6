"""Instructor tools: regrade a whole class, report where it struggles, audit the hidden tests.

- ``bank``       the bank of mutants and correct alternatives; builds a submission from an entry
- ``export``     reads a Gradescope export (``submission_metadata.yml``) or a folder of submissions
- ``executor``   grades many submissions in parallel, resumably, in long-lived grading processes
- ``grade_one``  the grading process itself (calls ``autograder.grading.grade_submission``)
- ``gradebook``  per-question scores, lost points, diagnosed mistakes; ``gradebook.csv``
- ``report``     ``report.html`` with matplotlib plots
- ``regrade``    ``nnkit regrade``: export -> results/, gradebook.csv, report.html
- ``audit``      ``nnkit audit``: hidden tests against the bank, verdicts
- ``synthetic``  a synthetic export of N submissions (tests, benchmarks, demos)
- ``cli``        the click commands
"""
