"""Packages: everything under addin/ plus kaohe.macros and kaohe.wps, which live at the top level in macros/ and wps/
(see pyproject)."""
from setuptools import find_packages, setup

setup(packages=[*find_packages("addin"), "kaohe.macros", "kaohe.wps"])
