"""Checking: ``edition validate`` (the build's problems, RELAX NG, Schematron, tei_all) and its rules."""
