"""inv_freq for RoPE scaling, written from transformers' modeling_rope_utils (4.45-4.57) in numpy float64.

Run: python3 rope_scaling_reference.py  -> prints JSON; model/rope.test.ts holds its output as literals.
Independent of the TypeScript (vectorised as transformers writes it, torch.where as numpy.where).
"""
import json
import math

import numpy as np


def default(base, dim):
    return 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.int64).astype(np.float64) / dim))


def linear(base, dim, factor):
    return default(base, dim) / factor


def dynamic(base, dim, max_position_embeddings, factor, seq_len):
    seq_len = max(seq_len, max_position_embeddings)
    base = base * ((factor * seq_len / max_position_embeddings) - (factor - 1)) ** (dim / (dim - 2))
    return default(base, dim)


def llama3(base, dim, factor, low_freq_factor, high_freq_factor, old_context_len):
    inv_freq = default(base, dim)
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return np.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)


out = {
    # Llama-3.2-1B's rope_scaling (head_dim 64, theta 500000).
    "llama3_3.2": llama3(500000.0, 64, 32.0, 1.0, 4.0, 8192).tolist(),
    # A small case whose wavelengths fall in all three bands (head_dim 16, theta 10000, original context 32).
    "llama3_small": llama3(10000.0, 16, 4.0, 1.0, 4.0, 32).tolist(),
    "linear_small": linear(10000.0, 16, 4.0).tolist(),
    "dynamic_small_at_32": dynamic(10000.0, 16, 32, 4.0, 32).tolist(),
    "dynamic_small_at_48": dynamic(10000.0, 16, 32, 4.0, 48).tolist(),
}
print(json.dumps(out))
