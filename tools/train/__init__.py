"""Training of the shipped model (tools/train/train.sh). The scripts run as files or as
modules (`python3 -m tools.train.train --help`)."""
