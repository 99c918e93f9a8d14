"""The project's Python tools, one package: tools.reference (the PyTorch reference of the
networks and the blend, fixture generators, exporter), tools.eval, tools.train and the ModelScope
converter. Their modules import each other by package name, so a script runs from the
repository root as a module,

    /usr/bin/python3 -m tools.reference.compare_mask --help
    /usr/bin/python3 -m tools.convert_modelscope --help

or from anywhere with PYTHONPATH naming the repository root. The training scripts also run as
files (tools/train/train.sh does), putting the root on the path themselves.
"""
