"""Reading and writing skychange model files (docs/model-format.md) with json + numpy only.

Layout: u64 little-endian header length N, N bytes of JSON (padded with spaces so the tensor
data starts on an 8-byte boundary), then the raw little-endian tensor data.
"""

import json
import struct

import numpy as np

FORMAT = "skychange"
FORMAT_VERSION = "1"

_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8"),
           "I32": np.dtype("<i4"), "I64": np.dtype("<i8"), "U8": np.dtype("u1")}
_NAMES = {v: k for k, v in _DTYPES.items()}


def write(path, tensors, metadata=None, dtype=None):
    """tensors: ordered mapping name -> array. dtype: None stores float16 arrays as F16 and
    every other float array as F32; "F32"/"F16" converts every float tensor."""
    header = {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        arr = np.asarray(value)
        if arr.dtype.kind == "f":
            target = dtype or ("F16" if arr.dtype == np.float16 else "F32")
            arr = arr.astype(_DTYPES[target])
        else:
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        if arr.dtype not in _NAMES:
            raise ValueError("%s: unsupported dtype %s" % (name, arr.dtype))
        data = np.ascontiguousarray(arr).tobytes()
        header[name] = {"dtype": _NAMES[arr.dtype], "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    with open(path, "wb") as f:
        f.write(_header_bytes(header))
        for data in blobs:
            f.write(data)


def _header_bytes(header):
    """Length + JSON header, padded so the tensor data starts on an 8-byte boundary."""
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    return struct.pack("<Q", len(text)) + text


def _read_raw(path):
    """(header dict, raw file bytes, offset of the tensor data)."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError("%s: too short for a safetensors file" % path)
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError("%s: header length %d exceeds the file" % (path, n))
    return json.loads(raw[8:8 + n].decode("utf-8")), raw, 8 + n


def read(path):
    """Returns (tensors: dict name -> numpy array (float32 for F16/F32), metadata: dict)."""
    header, raw, base = _read_raw(path)
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        dt = _DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        if end - begin != count * dt.itemsize or base + end > len(raw):
            raise ValueError("%s: tensor %s has inconsistent offsets" % (path, name))
        arr = np.frombuffer(raw, dtype=dt, count=count, offset=base + begin)
        arr = arr.reshape(info["shape"])
        if dt.kind == "f" and dt != np.float64:
            arr = arr.astype(np.float32)
        tensors[name] = arr.copy()
    return tensors, metadata


def model_tensors(coarse_state, refine_state):
    """State dicts -> the file's tensor map: `coarse.`/`refine.` prefixes, no
    num_batches_tracked."""
    out = {}
    for prefix, state in (("coarse.", coarse_state), ("refine.", refine_state)):
        for key, value in state.items():
            if key.endswith("num_batches_tracked"):
                continue
            out[prefix + key] = value.detach().cpu().numpy() if hasattr(value, "detach") else value
    return out


def write_model(path, coarse_state, refine_state, config, f16=False):
    metadata = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "config": json.dumps(config, separators=(",", ":"))}
    write(path, model_tensors(coarse_state, refine_state), metadata, "F16" if f16 else "F32")


def rewrite_config(src, dst, config):
    """Copies model file src to dst with another config and the tensor bytes unchanged."""
    header, raw, base = _read_raw(src)
    header["__metadata__"]["config"] = json.dumps(config, separators=(",", ":"))
    with open(dst, "wb") as f:
        f.write(_header_bytes(header) + raw[base:])


def read_config(path):
    return json.loads(_read_raw(path)[0]["__metadata__"]["config"])


def read_model(path):
    """Returns (coarse_state, refine_state, config) with torch tensors (float32)."""
    import torch
    tensors, metadata = read(path)
    if metadata.get("format") != FORMAT:
        raise ValueError("%s: metadata format is %r, expected %r"
                         % (path, metadata.get("format"), FORMAT))
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError("%s: unsupported format_version %r"
                         % (path, metadata.get("format_version")))
    config = json.loads(metadata["config"])
    coarse, refine = {}, {}
    for name, arr in tensors.items():
        if name.startswith("coarse."):
            coarse[name[len("coarse."):]] = torch.from_numpy(arr.astype(np.float32))
        elif name.startswith("refine."):
            refine[name[len("refine."):]] = torch.from_numpy(arr.astype(np.float32))
        else:
            raise ValueError("%s: tensor %s has neither a coarse. nor a refine. prefix"
                             % (path, name))
    return coarse, refine, config


def load_networks(path):
    """Builds CoarseNet/RefineNet (eval mode) from a model file: (coarse, refine, config)."""
    from tools.reference import nets
    coarse_state, refine_state, config = read_model(path)
    coarse = nets.CoarseNet(config)
    refine = nets.RefineNet(config)
    for net, state in ((coarse, coarse_state), (refine, refine_state)):
        full = net.state_dict()
        for key in full:
            if key.endswith("num_batches_tracked"):
                state[key] = full[key]
        net.load_state_dict(state, strict=True)
        net.eval()
    return coarse, refine, config
