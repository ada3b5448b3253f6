"""Interfering: ships numpy.py, conftest.py, sitecustomize.py and nnkit/numpy.py next to the code."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = []
# === FILE: numpy.py
raise SystemExit("shadow numpy imported")
# === FILE: nnkit/numpy.py
raise SystemExit("shadow nnkit.numpy imported")
# === FILE: conftest.py
import pytest
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    outcome.get_result().outcome = "passed"
# === FILE: sitecustomize.py
import os
os._exit(3)
# === FILE: usercustomize.py
import os
os._exit(4)
