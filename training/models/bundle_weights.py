"""Read a shipped bundle's ONNX weights back into the PyTorch models, so a later GPU
session can train further from exactly what ships when the run's .npz files are gone.

torch.onnx.export's constant folding renames some parameters (a GroupNorm's affine
becomes `onnx::Mul_N`, a Linear's weight may be stored transposed), so the names in
the .onnx files are not the state_dict's. `map` re-exports each model here, with the
exporter that made the bundle (torch 1.13, see the files' producer_version) and random
values in every parameter, and records which initializer holds which parameter and
how (as is, or transposed). `load` applies that map to a bundle on any machine and
needs only numpy, onnx and torch.

    /usr/bin/python3 -m training.models.bundle_weights map --out .gpu/weight_map.json
    /usr/bin/python3 -m training.models.bundle_weights check --map .gpu/weight_map.json   # round trip on this bundle
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from training.data.cxrdata import MAX_TOKENS  # noqa: E402
from training.export.export_onnx import EncoderMean  # noqa: E402  (the encoder as it ships: posterior mean only)
from training.models.networks import CondUNet, Decoder, Encoder, TextEncoder  # noqa: E402
from training.models.onnx_export import onnx_export  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(HERE, '..', 'public', 'models', 'cxr-studio-v1')


def builders(vocab_size):
    """file -> (fresh model whose state_dict we want, module to export, example inputs).
    The example inputs and export options must match export_onnx.py."""
    img = torch.rand(1, 1, 256, 256)
    enc = Encoder()
    return {
        'vae_encoder.onnx': (enc, EncoderMean(enc), (img * 2 - 1,)),
        'vae_decoder.onnx': (Decoder(), None, (torch.randn(1, 4, 32, 32),)),
        'text_encoder.onnx': (TextEncoder(vocab_size), None, (torch.zeros(1, MAX_TOKENS, dtype=torch.long),)),
        'unet.onnx': (CondUNet(mask_channels=5), None, (torch.randn(1, 4, 32, 32), torch.tensor([500.0]),
                                                        torch.randn(1, MAX_TOKENS, 256), torch.rand(1, 5, 32, 32))),
    }


def initializers(path):
    """name -> float32 array, with the bundle's fp16 storage (`X__fp16` + Cast to `X`) undone."""
    m = onnx.load(path)
    out = {}
    for init in m.graph.initializer:
        a = numpy_helper.to_array(init)
        name = init.name[:-len('__fp16')] if init.name.endswith('__fp16') else init.name
        out[name] = a.astype(np.float32) if a.dtype == np.float16 else a
    return out


def make_map(vocab_size, only=None):
    """The map for every bundle file, or for the files named in `only` (e.g. ['unet.onnx'])."""
    torch.manual_seed(0)
    result = {}
    for fname, (model, wrapper, inputs) in builders(vocab_size).items():
        if only is not None and fname not in only:
            continue
        sd = model.state_dict()
        with torch.no_grad():  # distinct random values: every parameter is recognisable
            for p in model.parameters():
                p.copy_(torch.randn_like(p))
        sd = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, fname)
            mod = (wrapper or model).eval()
            names_in = {'vae_encoder.onnx': ['image'], 'vae_decoder.onnx': ['latent'], 'text_encoder.onnx': ['input_ids'],
                        'unet.onnx': ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond']}[fname]
            names_out = {'vae_encoder.onnx': ['latent_mean'], 'vae_decoder.onnx': ['image'],
                         'text_encoder.onnx': ['last_hidden_state'], 'unet.onnx': ['noise_pred']}[fname]
            with torch.no_grad():
                onnx_export(mod, inputs, path, opset_version=17, input_names=names_in, output_names=names_out,
                            dynamic_axes={n: {0: 'batch'} for n in names_in + names_out}, do_constant_folding=True)
            inits = initializers(path)
        entry, missing = {}, []
        for key, val in sd.items():
            hit = None
            for name, a in inits.items():
                if a.size != val.size:
                    continue
                if np.array_equal(a.reshape(-1), val.reshape(-1)):
                    hit = [name, 'reshape']
                    break
                if a.ndim == 2 and val.ndim == 2 and a.shape == val.T.shape and np.array_equal(a, val.T):
                    hit = [name, 'transpose']
                    break
            if hit is None:
                missing.append(key)
            else:
                entry[key] = hit
        if missing:
            raise SystemExit(f'{fname}: no initializer holds {missing[:5]} ({len(missing)} in all)')
        result[fname] = entry
        print(f'{fname}: {len(entry)} parameters mapped')
    return result


def unpad(a, shape):
    """A conv weight zero-padded with extra input channels (onnx_patches.py, for the WebGPU EP) back to `shape`."""
    if a.ndim == 4 and len(shape) == 4 and a.shape[0] == shape[0] and a.shape[1] > shape[1] and a.shape[2:] == shape[2:] \
            and not np.any(a[:, shape[1]:]):
        return a[:, :shape[1]]
    return a


def load(model, bundle, fname, weight_map):
    """Fills model (a fresh instance of the class that made fname) with the bundle's weights."""
    inits = initializers(os.path.join(bundle, fname))
    sd = model.state_dict()
    new = {}
    for key, (name, how) in weight_map[fname].items():
        a = unpad(inits[name], tuple(sd[key].shape))
        a = a.T if how == 'transpose' else a
        new[key] = torch.from_numpy(np.ascontiguousarray(a).reshape(sd[key].shape).copy())
    model.load_state_dict(new)
    return model


def check(weight_map, bundle, vocab_size):
    """Round trip: the loaded PyTorch models re-exported give the bundle's initializers back."""
    for fname, (model, wrapper, inputs) in builders(vocab_size).items():
        load(model, bundle, fname, weight_map)
        shipped = initializers(os.path.join(bundle, fname))
        worst = 0.0
        for key, (name, how) in weight_map[fname].items():
            v = model.state_dict()[key].numpy()
            a = unpad(shipped[name], v.shape)
            a = a.T if how == 'transpose' else a
            worst = max(worst, float(np.abs(a.reshape(-1) - v.reshape(-1)).max()))
        print(f'{fname}: max |weight difference| {worst:g}')
        assert worst == 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('command', choices=['map', 'check'])
    ap.add_argument('--bundle', default=BUNDLE)
    ap.add_argument('--out', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    args = ap.parse_args()
    vocab_size = len(json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab'])
    if args.command == 'map':
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump({'torch': torch.__version__, 'vocab_size': vocab_size, 'files': make_map(vocab_size)}, f)
        print('wrote', args.out)
    else:
        check(json.load(open(args.map))['files'], args.bundle, vocab_size)


if __name__ == '__main__':
    main()
