"""The PyTorch reference of the two networks and the Python/OpenCV blend, written from the
specification, with the fixture generators and the exporter (docs/parity.md). Run a script as
`python3 -m tools.reference.<name>` from the repository root (see tools/__init__.py)."""
