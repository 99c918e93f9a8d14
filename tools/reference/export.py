"""Export a trained model to a skychange .safetensors file (docs/model-format.md).

From Python:  export.export_model(coarse_net, refine_net, config, "model.safetensors")
From a shell: export.py CHECKPOINT.pt -o model.safetensors [--f16] [--name NAME]
where CHECKPOINT.pt is a torch.save'd dict {"config": cfg, "coarse": state_dict,
"refine": state_dict}.
"""

import argparse
import copy
import sys

import torch

from tools.reference import nets
from tools.reference import safetensors_io


def check_states(config, coarse_state, refine_state):
    """Raises ValueError unless both state dicts match the config's architecture exactly."""
    for label, net, state in (("coarse", nets.CoarseNet(config), coarse_state),
                              ("refine", nets.RefineNet(config), refine_state)):
        want = {k: tuple(v.shape) for k, v in net.state_dict().items()
                if not k.endswith("num_batches_tracked")}
        have = {k: tuple(v.shape) for k, v in state.items()
                if not k.endswith("num_batches_tracked")}
        missing = sorted(set(want) - set(have))
        unexpected = sorted(set(have) - set(want))
        wrong = sorted(k for k in set(want) & set(have) if want[k] != have[k])
        if missing or unexpected or wrong:
            msg = ["%s network does not match its config:" % label]
            if missing:
                msg.append("  missing: " + ", ".join(missing[:10]))
            if unexpected:
                msg.append("  unexpected: " + ", ".join(unexpected[:10]))
            for k in wrong[:10]:
                msg.append("  %s: shape %s, config wants %s" % (k, have[k], want[k]))
            raise ValueError("\n".join(msg))


def export_states(coarse_state, refine_state, config, path, f16=False, name=None):
    config = copy.deepcopy(config)
    if name:
        config["name"] = name
    check_states(config, coarse_state, refine_state)
    safetensors_io.write_model(path, coarse_state, refine_state, config, f16=f16)


def export_model(coarse_net, refine_net, config, path, f16=False, name=None):
    export_states(coarse_net.state_dict(), refine_net.state_dict(), config, path, f16, name)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint", help='torch.save dict with "config", "coarse", "refine"')
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--f16", action="store_true", help="store tensors as float16")
    ap.add_argument("--name", help="model name written into the config")
    args = ap.parse_args(argv)
    ckpt = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    try:
        export_states(ckpt["coarse"], ckpt["refine"], ckpt["config"], args.output, args.f16,
                      args.name)
    except (KeyError, ValueError) as e:
        print("export.py: %s: %s" % (args.checkpoint, e), file=sys.stderr)
        return 1
    print("wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
