"""Run an ncnn graph (.param text + .bin weights) in PyTorch.

Only the layer types the U^2-Net-P sky teacher uses are supported: Input, Convolution
(optionally with fused ReLU / sigmoid), Pooling (max 2x2, ncnn "full" padding = ceil mode),
Interp (bilinear to a fixed size, align_corners=False), Concat, BinaryOp add, Split, Sigmoid.
Anything else raises, so a different graph fails loudly instead of silently.
"""
import struct

import numpy as np
import torch
import torch.nn.functional as F

FP16_TAG = 0x01306B47


def _parse_params(tokens):
    params = {}
    for tok in tokens:
        key, value = tok.split("=", 1)
        if int(key) < -23300:  # array parameter: not used by this graph
            raise ValueError("array parameter %s not supported" % tok)
        params[int(key)] = float(value) if "." in value or "e" in value else int(value)
    return params


def parse_param(path):
    with open(path) as f:
        lines = [ln.split() for ln in f if ln.strip()]
    if lines[0] != ["7767517"]:
        raise ValueError("%s: not an ncnn param file (magic %s)" % (path, lines[0]))
    layer_count = int(lines[1][0])
    layers = []
    for parts in lines[2:]:
        kind, name, n_in, n_out = parts[0], parts[1], int(parts[2]), int(parts[3])
        inputs = parts[4:4 + n_in]
        outputs = parts[4 + n_in:4 + n_in + n_out]
        layers.append({"type": kind, "name": name, "inputs": inputs, "outputs": outputs,
                       "params": _parse_params(parts[4 + n_in + n_out:])})
    if len(layers) != layer_count:
        raise ValueError("%s: %d layers, header says %d" % (path, len(layers), layer_count))
    return layers


class _BinReader:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.pos = 0

    def tagged(self, count):
        """A weight blob: 4-byte type tag, then data padded to 4 bytes."""
        (tag,) = struct.unpack_from("<I", self.data, self.pos)
        self.pos += 4
        if tag == FP16_TAG:
            arr = np.frombuffer(self.data, np.float16, count, self.pos).astype(np.float32)
            self.pos += (count * 2 + 3) // 4 * 4
        elif tag == 0:
            arr = np.frombuffer(self.data, np.float32, count, self.pos).copy()
            self.pos += count * 4
        else:
            raise ValueError("weight tag 0x%08x at byte %d not supported" % (tag, self.pos - 4))
        return arr

    def raw_f32(self, count):
        arr = np.frombuffer(self.data, np.float32, count, self.pos).copy()
        self.pos += count * 4
        return arr


class NcnnGraph(torch.nn.Module):
    def __init__(self, param_path, bin_path):
        super().__init__()
        self.layers = parse_param(param_path)
        reader = _BinReader(bin_path)
        self.weights = {}
        for layer in self.layers:
            if layer["type"] != "Convolution":
                continue
            p = layer["params"]
            cout, k = p[0], p[1]
            if p.get(11, k) != k:
                raise ValueError("%s: non-square kernel" % layer["name"])
            count = p[6]
            cin = count // (cout * k * k)
            w = reader.tagged(count).reshape(cout, cin, k, k)
            b = reader.raw_f32(cout) if p.get(5, 0) else None
            self.weights[layer["name"]] = (torch.from_numpy(w),
                                           None if b is None else torch.from_numpy(b))
        if reader.pos != len(reader.data):
            raise ValueError("%s: %d bytes left after the last weight"
                             % (bin_path, len(reader.data) - reader.pos))

    def _conv(self, layer, x):
        p = layer["params"]
        w, b = self.weights[layer["name"]]
        dil, stride, pad = p.get(2, 1), p.get(3, 1), p.get(4, 0)
        if pad < 0:
            raise ValueError("%s: 'same' padding not supported" % layer["name"])
        y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dil)
        act = p.get(9, 0)
        if act == 1:
            y = F.relu(y)
        elif act == 4:
            y = torch.sigmoid(y)
        elif act != 0:
            raise ValueError("%s: activation %d not supported" % (layer["name"], act))
        return y

    @torch.no_grad()
    def forward(self, x, input_name="input.1", output_name="1959"):
        blobs = {input_name: x}
        for layer in self.layers:
            kind, p = layer["type"], layer["params"]
            ins = [blobs[n] for n in layer["inputs"]]
            if kind == "Input":
                continue
            if kind == "Convolution":
                out = [self._conv(layer, ins[0])]
            elif kind == "Split":
                out = ins * len(layer["outputs"])
            elif kind == "Pooling":
                if p.get(0, 0) != 0 or p.get(1) != 2 or p.get(2) != 2 or p.get(3, 0) != 0:
                    raise ValueError("%s: only max 2x2 stride 2 pooling" % layer["name"])
                out = [F.max_pool2d(ins[0], 2, 2, ceil_mode=p.get(5, 0) == 0)]
            elif kind == "Interp":
                if p.get(0) != 2:
                    raise ValueError("%s: only bilinear Interp" % layer["name"])
                out = [F.interpolate(ins[0], size=(p[3], p[4]), mode="bilinear",
                                     align_corners=False)]
            elif kind == "Concat":
                out = [torch.cat(ins, 1)]
            elif kind == "BinaryOp":
                if p.get(0, 0) != 0:
                    raise ValueError("%s: only BinaryOp add" % layer["name"])
                out = [ins[0] + ins[1]]
            elif kind == "Sigmoid":
                out = [torch.sigmoid(ins[0])]
            else:
                raise ValueError("%s: layer type %s not supported" % (layer["name"], kind))
            for name, t in zip(layer["outputs"], out):
                blobs[name] = t
            if output_name in blobs:
                return blobs[output_name]
        raise ValueError("output blob %s never produced" % output_name)
