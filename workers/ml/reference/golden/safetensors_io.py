"""Minimal safetensors writer and reader (F32 only), written from the format spec; not a general library.

Layout: u64 LE header length N, N bytes of UTF-8 JSON (padded with spaces so the data starts 8-byte
aligned, as the spec allows), then the raw little-endian tensor bytes. Each header entry is
{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]} with offsets relative to the data start;
tensors are laid out in name order with no gaps, and "__metadata__" says {"format": "pt"} as HF writes.
"""
import json
import struct

import numpy as np
import torch


def write_safetensors(path, tensors):
    """tensors: dict name -> float32 torch tensor. Returns the header dict that was written."""
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        assert t.dtype == torch.float32, f"{name}: only F32 is written, got {t.dtype}"
        data = t.detach().contiguous().numpy().astype("<f4", copy=False).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((-(8 + len(raw))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)
    return header


def read_safetensors(path):
    """Reads back what write_safetensors wrote (F32 only) and checks the layout strictly."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack_from("<Q", blob, 0)
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    data = blob[8 + n :]
    out = {}
    end = 0
    for name in sorted(k for k in header if k != "__metadata__"):
        entry = header[name]
        assert entry["dtype"] == "F32", name
        begin, stop = entry["data_offsets"]
        assert begin == end, f"{name}: gap or overlap at {begin}"
        arr = np.frombuffer(data[begin:stop], dtype="<f4").reshape(entry["shape"])
        out[name] = torch.from_numpy(arr.copy())
        end = stop
    assert end == len(data), "trailing bytes after the last tensor"
    return out
