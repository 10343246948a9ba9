"""Packages: everything under addin/ plus kaohe.macros, which lives at the top level in macros/ (see pyproject)."""
from setuptools import find_packages, setup

setup(packages=[*find_packages("addin"), "kaohe.macros"])
