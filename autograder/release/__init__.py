"""The release pipeline: from the one reference source to what students and Gradescope get.

A release is a chain of small named steps, each a function testable alone
(nbgrader's preprocessors are the model):

1. ``manifest.load_manifest``      read and validate ``assignments/<hw>/manifest.toml``
2. ``markers.find_regions``        find ``### BEGIN/END SOLUTION`` pairs, reject bad ones
3. ``stubs.stub_module``           replace each region with ``# YOUR CODE HERE`` +
                                   ``raise NotImplementedError``; check the stub parses,
                                   keeps every docstring and stubs every API function
4. ``notebooks.student_notebook``  the same on notebook code cells; outputs cleared,
                                   hidden-test cells dropped, deterministic JSON
5. ``layout.student_files`` / ``layout.autograder_files``  collect the files of each zip
   ``pycompat.check_python_syntax``  every shipped ``.py`` parses as Python 3.10
6. ``leaks.check_leaks``           scan every student artifact for solution lines,
                                   hidden tests and reference files
7. ``zips.zip_bytes``              byte-reproducible zips, in memory
8. ``build.build_release``         ``build.plan_release`` (steps 1-7, nothing written), then
                                   the zips into a temp dir beside ``dist/``, swapped in one
                                   homework folder at a time; student_template/ last

``nnkit release`` (``autograder.release.cli``) is the command line.
"""

from autograder.release.errors import Problem, ReleaseError

__all__ = ["Problem", "ReleaseError"]
