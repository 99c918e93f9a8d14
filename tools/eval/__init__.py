"""Evaluation of a model on the labelled pairs: `python3 -m tools.eval.eval --help`."""
