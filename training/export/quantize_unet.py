"""An int8 UNet for CPUs (an experiment, NOT shipped: on 2026-11-27 it made WASM steps
1.36-1.45x faster but dropped normal-prompt adherence 0.90 -> 0.69; BENCHMARKS.md, "WASM vs
native"). Static QDQ quantization of the shipped unet.onnx, calibrated on
the sampler's own UNet inputs, so onnxruntime runs its convolutions and matrix products
as int8 kernels (QLinearConv, QGemm). Not weight-only like the segmenter's and
classifier's int8 variants (those shrink the download, not the compute): here the
activations are quantized too, which is what makes WASM faster (BENCHMARKS.md).

Calibration uses train-split prompts and masks only (pack rows, balanced over the four
findings, half with their lung mask), sampled with the reference DDIM sampler at the
bundle's default steps and guidance, noise seed 2024: every step's batched cond+uncond
UNet input is one calibration batch. Min-max ranges, per-channel int8 weights, uint8
activations (onnxruntime.quantization's defaults for QDQ).

Needs onnxruntime's quantization tools, which need onnx >= 1.16 (Debian ships 1.12), so
it runs in its own venv:

    /usr/bin/python3 -m venv --system-site-packages /work/venv-q
    /work/venv-q/bin/pip install --no-index --find-links /opt/pypi/files onnxruntime onnx==1.23.1 ml_dtypes==0.5.4
    /work/venv-q/bin/python -m training.export.quantize_unet --out /tmp/unet.int8.onnx [--ops Conv]

It writes --record (training/runs/) with a quick check: the relative RMS error of the noise
prediction and of the guidance direction (eps_cond - eps_uncond) against the float model.
The second is what decides prompt adherence; measure that before anything ships:
training/evaluate/decoder_adherence.py --unet-onnx /tmp/unet.int8.onnx --guidance 5 --decoder shipped --out ...
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import torch
from onnx import TensorProto, numpy_helper

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import Pack  # noqa: E402
from training.models.networks import CondUNet, TextEncoder  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fold_fp16_casts(src, dst):
    """The bundle stores large weights as float16 + Cast (export_onnx.store_weights_fp16);
    the quantizer only quantizes weights that are initializers, so put the float32
    values back as initializers (the same numbers the fp32 variant computes with)."""
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    keep, folded = [], 0
    for node in g.node:
        src_init = inits.get(node.input[0]) if node.op_type == 'Cast' and node.input else None
        if src_init is not None and src_init.data_type == TensorProto.FLOAT16:
            g.initializer.append(numpy_helper.from_array(numpy_helper.to_array(src_init).astype(np.float32), node.output[0]))
            folded += 1
        else:
            keep.append(node)
    del g.node[:]
    g.node.extend(keep)
    used = {name for node in g.node for name in node.input}
    live = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(live)
    onnx.save(m, dst)
    return folded


class Recorder(torch.nn.Module):
    """Stands in the sampler's UNet slot: runs the real UNet and keeps each step's inputs."""

    def __init__(self, unet):
        super().__init__()
        self.unet, self.batches = unet, []

    def forward(self, sample, timestep, ctx, mask_cond):
        self.batches.append({'sample': sample.numpy().copy(), 'timestep': timestep.numpy().copy(),
                             'encoder_hidden_states': ctx.numpy().copy(), 'mask_cond': mask_cond.numpy().copy()})
        return self.unet(sample, timestep, ctx, mask_cond)


@torch.no_grad()
def calibration_batches(pack, unet, text, scaling, per_finding, steps, guidance, seed):
    rng = np.random.default_rng(seed)
    rows = np.concatenate([rng.choice(np.nonzero(pack.cls == c)[0], per_finding, replace=False) for c in np.unique(pack.cls)])
    # prompt variants as in training (the bits say which optional parts it has; 7 = all)
    ids = torch.from_numpy(pack.tokens[rows, rng.integers(0, pack.tokens.shape[1], len(rows))])
    mc = pack.mask_cond[rows].clone()
    mc[::2] = 0  # half as "no mask", as most users start
    rec = Recorder(unet)
    gen = torch.Generator().manual_seed(seed)
    T.ddim_sample(rec, text, lambda z: z, ids, mc, torch.randn(len(rows), 4, 32, 32, generator=gen), steps, guidance,
                  scaling, T.alphas_cumprod('cpu'), uncond_mask=False)
    return rec.batches, rows


@torch.no_grad()
def guidance_error(path, pack, unet, text, scaling, steps, guidance):
    """How far the quantized UNet's outputs are from the float model's, on inputs it was
    not calibrated on (the four class prompts twice, no mask, noise seed 77, every third
    step of the float model's own trajectory): relative RMS error of the noise
    prediction, and of the guidance direction eps_cond - eps_uncond, the small difference
    that guidance multiplies (by 5 at the defaults), so its error is what moves the prompt."""
    import onnxruntime as ort
    from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode
    ids = torch.as_tensor([encode(CLASS_PROMPTS[c], pack.vocab) for c in CLASSES] * 2)
    rec = Recorder(unet)
    T.ddim_sample(rec, text, lambda z: z, ids, torch.zeros(len(ids), 5, 32, 32),
                  torch.randn(len(ids), 4, 32, 32, generator=torch.Generator().manual_seed(77)), steps, guidance,
                  scaling, T.alphas_cumprod('cpu'), uncond_mask=False)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    err = {'eps': [0.0, 0.0], 'guidance_direction': [0.0, 0.0]}
    for feeds in rec.batches[::3]:
        ref = unet(*(torch.from_numpy(feeds[k]) for k in ('sample', 'timestep', 'encoder_hidden_states', 'mask_cond'))).numpy()
        out = session.run(['noise_pred'], feeds)[0]
        n = len(ref) // 2
        for key, a, b in (('eps', out, ref), ('guidance_direction', out[:n] - out[n:], ref[:n] - ref[n:])):
            err[key][0] += float(((a - b) ** 2).sum())
            err[key][1] += float((b ** 2).sum())
    return {f'{k}_relative_rms_error': round((e / r) ** 0.5, 4) for k, (e, r) in err.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pack', default=os.path.join(HERE, '..', '.gpu', 'latents.npz'))
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--per-finding', type=int, default=4, help='train rows per finding in the calibration batch')
    ap.add_argument('--seed', type=int, default=2024)
    ap.add_argument('--ops', default='Conv,MatMul,Gemm', help='op types to quantize')
    ap.add_argument('--out', required=True)
    ap.add_argument('--record', default=os.path.join(HERE, 'runs', 'unet_int8_quantization.json'),
                    help='what was done, for the card and manifest')
    args = ap.parse_args()
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    torch.set_num_threads(2)
    manifest = json.load(open(os.path.join(args.bundle, 'manifest.json')))
    diffusion = manifest['diffusion']
    steps, guidance = diffusion['defaults']['steps'], diffusion['defaults']['guidance']
    wm = json.load(open(args.map))['files']
    pack = Pack(args.pack, 'cpu')
    unet = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).eval()
    text = bundle_weights.load(TextEncoder(len(pack.vocab)), args.bundle, 'text_encoder.onnx', wm).eval()
    t0 = time.time()
    batches, rows = calibration_batches(pack, unet, text, diffusion['scaling_factor'], args.per_finding, steps, guidance, args.seed)
    print(f'{len(batches)} calibration batches of {batches[0]["sample"].shape[0]} in {time.time() - t0:.0f} s', flush=True)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(batches)

        def get_next(self):
            return next(self.it, None)

    with tempfile.TemporaryDirectory() as tmp:
        folded = os.path.join(tmp, 'unet.fp32.onnx')
        print('folded', fold_fp16_casts(os.path.join(args.bundle, 'unet.onnx'), folded), 'float16 weights', flush=True)
        pre = os.path.join(tmp, 'unet.pre.onnx')
        quant_pre_process(folded, pre, skip_symbolic_shape=True)
        quantize_static(pre, args.out, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        op_types_to_quantize=args.ops.split(','))
    check = guidance_error(args.out, pack, unet, text, diffusion['scaling_factor'], steps, guidance)
    record = {'source': 'unet.onnx', 'check': check, 'source_sha256': manifest['models']['unet']['variants']['fp32']['sha256'],
              'calibration': {'rows': 'train split, %d per finding, every other without its mask' % args.per_finding,
                              'train_rows': rows.tolist(), 'noise_seed': args.seed, 'steps': steps, 'guidance': guidance,
                              'batches': len(batches), 'method': 'min-max'},
              'format': 'QDQ, per-channel int8 weights, uint8 activations', 'ops': args.ops.split(','),
              'bytes': os.path.getsize(args.out)}
    with open(args.record, 'w') as f:
        json.dump(record, f, indent=1)
    print(json.dumps({k: v for k, v in record.items() if k != 'calibration'}), flush=True)


if __name__ == '__main__':
    main()
