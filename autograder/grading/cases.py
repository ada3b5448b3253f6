"""Legacy path of ``autograder.authoring.cases`` (hidden tests of hw2/hw3 still import it here)."""

from autograder.authoring.cases import KINDS, array, dims, kinds, seeds  # noqa: F401
