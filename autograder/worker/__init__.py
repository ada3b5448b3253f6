"""What runs inside the sandbox: the untrusted side of grading.

``worker.py`` (the process that imports a submission and answers the grader's
requests), ``protocol.py`` (the frames both sides speak) and ``callables.py``
(the grader's callables that may run next to student code) are copied side by
side into each sandbox by ``autograder/grading/client.py`` (``WORKER_FILES``)
and run there as plain files, importing each other by their bare names; the
submission can read them. Standard library and numpy only, Python 3.10.
The trusted side imports ``protocol`` (and ``trusted.py`` imports ``callables``)
from here; importing this package runs no worker code.
"""
