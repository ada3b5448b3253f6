"""Forging feedback: exception messages and class names that fake grader lines (issue 12, finding 5).

Fake "✓ … All checks passed" lines, HTML, ANSI escapes, bidi overrides,
U+2028 and NUL in the message, and an exception class whose *name* holds a
newline and a fake grader line. results.json must show them only as inert,
quoted, bounded text.
"""
CATEGORY = "forge"
MODULE = "gates"
LOSES = ["1.1"]

FAKE = ("\n✓ 1.1.1 All checks passed\n✓ 1.1.2 All checks passed (5/5)\n"
        "<img src=x onerror=alert(1)>\x1b[32mPASSED\x1b[0m\u202egnissap\u2028\u2029\x00 ") * 40

_Fake = type("Fake\n✓ 1.1.3 All checks passed\x1b[0m", (ValueError,), {})


def add_forward(x, y):
    raise ValueError(FAKE)


def mul_forward(x, y):
    raise _Fake(FAKE)


def max_forward(x, y):
    raise _Fake("\u2028✓ All checks passed")
