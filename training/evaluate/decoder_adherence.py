"""Compare VAE decoders on the same generated latents: prompt adherence (class prompts)
and mask adherence of the shipped UNet's samples, decoded by each decoder and judged by
the shipped classifier and segmenter (onnxruntime), as continue_gpu.py measures them
(25 DDIM steps, guidance 3, the unconditional pass drops the mask, noise seed 1234).
With --test-prompts it also measures what continue_gpu.py measures on the test set's own
prompts (with their lung masks where they have one): prompt adherence, FID on the
classifier's features against the real test images, and MS-SSIM among 16 samples of
each class prompt.

The latents are sampled once and cached in --latents, so a second decoder costs only its
decoding. On this 2-core CPU, sampling n = 48 per finding and per folder takes ~15 min,
and the test prompts (n per finding) another ~12 min.

    /work/venv-ort/bin/python -m training.evaluate.decoder_adherence --decoder shipped \
        --decoder tail=.runs/tail1/decoder.pt --out training/runs/decoder_adherence.json
    (a distilled decoder the same way: --decoder small=DIR/decoder_small.pt, a SmallDecoder of the
    widths its weights have)
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import FOLDERS, Judge, Pack, mask_adherence  # noqa: E402
from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode, read_records  # noqa: E402
from training.models.networks import CondUNet, Decoder, TextEncoder, decoder_for  # noqa: E402
from training.train.tune_decoder_tail import high_frequency, pick, png01  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class OrtUNet(torch.nn.Module):
    """An ONNX UNet file (e.g. the int8 variant, quantize_unet.py) in the sampler's UNet
    slot, on onnxruntime's CPU provider: the latents are the ONNX model's, not PyTorch's."""

    def __init__(self, path, threads):
        super().__init__()
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])

    def forward(self, sample, timestep, ctx, mask_cond):
        out, = self.session.run(['noise_pred'], {'sample': sample.numpy(), 'timestep': timestep.float().numpy(),
                                                 'encoder_hidden_states': ctx.numpy(), 'mask_cond': mask_cond.numpy()})
        return torch.from_numpy(out)


class Capture(torch.nn.Module):
    """Stands where ddim_sample calls the decoder and keeps the final (unscaled) latent."""

    def forward(self, z):
        self.z = z
        return z


@torch.no_grad()
def dpm_sample(unet, text, ids, mask_cond, noise, steps, guidance, scaling):
    """DPM-Solver++ 2M as the studio runs it (golden_schedulers.DpmSolverPP2M, the
    reference the TypeScript scheduler is tested against), guidance as ddim_sample's with
    uncond_mask False; returns the unscaled latent the decoder gets."""
    from training.golden.golden_schedulers import DpmSolverPP2M, alphas_cumprod_for
    solver = DpmSolverPP2M(alphas_cumprod_for(), steps)
    ctx = torch.cat([text(ids), text(torch.zeros_like(ids))])
    mc2 = torch.cat([mask_cond, torch.zeros_like(mask_cond)])
    x = noise.numpy().astype(np.float32)
    for t in solver.timesteps:
        xt = torch.from_numpy(x)
        eps_c, eps_u = unet(torch.cat([xt, xt]), torch.full((2 * len(x),), float(t)), ctx, mc2).float().chunk(2)
        x = solver.step((eps_u + guidance * (eps_c - eps_u)).numpy(), x).astype(np.float32)
    return torch.from_numpy(x) / scaling


@torch.no_grad()
def sample_latents(pack, unet, text, scaling, n_per, steps, guidance, seed=1234, scheduler='ddim'):
    ac = T.alphas_cumprod('cpu')
    gen = torch.Generator(device='cpu').manual_seed(seed)
    cap = Capture()

    def sample(ids, mc):
        noise = torch.randn(len(ids), 4, 32, 32, generator=gen)
        if scheduler == 'dpmpp2m':
            return dpm_sample(unet, text, ids, mc, noise, steps, guidance, scaling)
        T.ddim_sample(unet, text, cap, ids, mc, noise, steps, guidance, scaling, ac, uncond_mask=False)
        return cap.z.clone()

    out = {}
    for name in CLASSES:
        ids = torch.as_tensor([encode(CLASS_PROMPTS[name], pack.vocab)] * n_per)
        out[f'class/{name}'] = torch.cat([sample(ids[i:i + 16], torch.zeros(len(ids[i:i + 16]), 5, 32, 32))
                                         for i in range(0, n_per, 16)])
        print(time.strftime('%H:%M:%S'), 'sampled', name, flush=True)
    for folder in FOLDERS:
        idx = np.nonzero((pack.test_folder == folder) & pack.test_has_lung)[0][:n_per]
        out[f'mask/{folder}'] = torch.cat([sample(pack.test_tokens[idx[i:i + 16]], pack.test_mask_cond(idx[i:i + 16]))
                                          for i in range(0, len(idx), 16)])
        out[f'mask_index/{folder}'] = torch.from_numpy(idx)
        print(time.strftime('%H:%M:%S'), 'sampled', folder, flush=True)
    return out


@torch.no_grad()
def sample_test_latents(pack, unet, text, scaling, n_per, steps, guidance):
    """The test set's own prompts, n_per per finding, picked as continue_gpu.measure picks
    them (rng 5); noise from its own seed so the cached class and mask latents stay valid."""
    ac = T.alphas_cumprod('cpu')
    gen = torch.Generator(device='cpu').manual_seed(4321)
    rng = np.random.default_rng(5)
    cap = Capture()
    chosen = np.concatenate([rng.choice(np.nonzero(pack.test_cls == c)[0], min(n_per, int((pack.test_cls == c).sum())), replace=False)
                           for c in range(len(CLASSES))])
    out = []
    for i in range(0, len(chosen), 16):
        p = chosen[i:i + 16]
        mc = torch.where(torch.as_tensor(pack.test_has_lung[p])[:, None, None, None], pack.test_mask_cond(p),
                         torch.zeros(len(p), 5, 32, 32))
        T.ddim_sample(unet, text, cap, pack.test_tokens[p], mc, torch.randn(len(p), 4, 32, 32, generator=gen), steps,
                      guidance, scaling, ac, uncond_mask=False)
        out.append(cap.z.clone())
    print(time.strftime('%H:%M:%S'), 'sampled', len(chosen), 'test prompts', flush=True)
    return {'test/latents': torch.cat(out), 'test/pick': torch.from_numpy(chosen)}


def load_decoder(spec, bundle=None, wm=None):
    """--decoder's "shipped" (the bundle's vae_decoder.onnx read back) or NAME=PATH: a saved
    state_dict of a Decoder (tune_decoder_tail.py) or a SmallDecoder (distill_decoder.py's
    decoder_small.pt, its widths read from the weights), rounded to float16 as
    store_weights_fp16 stores them (tensors of >= 256 values): the weights a user gets."""
    name, _, path = spec.partition('=')
    if name == 'shipped':
        return name, bundle_weights.load(Decoder(), bundle, 'vae_decoder.onnx', wm).eval()
    sd = torch.load(path, map_location='cpu')
    dec = decoder_for(sd)
    dec.load_state_dict({k: v.half().float() if v.is_floating_point() and v.numel() >= 256 else v for k, v in sd.items()})
    return name, dec.eval()


@torch.no_grad()
def judge_decoder(dec, latents, pack, judge, reference=None):
    """reference: the classifier features of the real test images whose prompts (and
    masks) the test-prompt latents were made with, for FID at the same class mix."""
    decode = lambda z: torch.cat([((dec(z[i:i + 16]) + 1) / 2).clamp(0, 1) for i in range(0, len(z), 16)])
    res, hf = {'prompt_adherence_class_prompts': {}, 'predicted_class_prompts': {}}, {}
    for c, name in enumerate(CLASSES):
        img = decode(latents[f'class/{name}'])
        predicted = judge.classify(img)[0].argmax(1)
        res['prompt_adherence_class_prompts'][name] = round(float((predicted == c).mean()), 4)
        # where the misses go (normal images read as tuberculosis, or as pneumonia?)
        res['predicted_class_prompts'][name] = {n: int((predicted == k).sum()) for k, n in enumerate(CLASSES)}
        hf[name] = round(float(high_frequency(img).mean()), 5)
    res['prompt_adherence_min'] = min(res['prompt_adherence_class_prompts'].values())
    res['high_frequency_class_prompts'] = hf
    res.update(mask_adherence(pack, judge, {f: (latents[f'mask_index/{f}'].numpy(), decode(latents[f'mask/{f}'])) for f in FOLDERS}))
    if 'test/latents' in latents:
        chosen = latents['test/pick'].numpy()
        logits, feats = judge.classify(decode(latents['test/latents']))
        agree = logits.argmax(1) == pack.test_cls[chosen]
        res['prompt_adherence_test_prompts'] = {n: round(float(agree[pack.test_cls[chosen] == c].mean()), 4) for c, n in enumerate(CLASSES)}
        res['fid_generated_vs_test'] = round(T.fid(torch.from_numpy(feats), pack.test_features), 3)
        res['fid_n'] = {'generated': len(chosen), 'test': len(pack.test_features)}
        if reference is not None:
            res['fid_generated_vs_prompting_test_images'] = round(T.fid(torch.from_numpy(feats), torch.from_numpy(reference)), 3)
        res['ms_ssim_generated_class_prompt'] = {n: round(T.ms_ssim_mean(decode(latents[f'class/{n}'][:16])), 4) for n in CLASSES}
    return res


@torch.no_grad()
def judge_real(data, pack, judge, test_pick):
    """What the generated numbers compare with, at the same sizes and class mix.

    The test split is mostly normal and pneumonia while the generated set has n_per of
    each finding, and FID on the classifier's features counts that difference (compare
    fid_real_train_vs_test, balanced real train images, with fid_random_test_vs_test, a
    random subset of the test split of the same size). So the comparison that isolates
    realism is against the test images whose prompts the generated ones used
    (test_pick): the generated set vs them, and as many balanced real train images vs
    them. Also MS-SSIM among 16 real test images of each finding."""
    records = read_records(data)
    test_records = [r for r in records if r['split'] == 'test']  # pack order (pack_latents.py)
    load = lambda rs: torch.from_numpy(np.stack([png01(os.path.join(data, r['folder'], r['file'])) for r in rs]))[:, None]
    feats = lambda rs: np.concatenate([judge.classify(load(rs[i:i + 32]))[1] for i in range(0, len(rs), 32)])
    reference = feats([test_records[i] for i in test_pick])
    assert np.abs(reference[:8] - pack.test_features[test_pick[:8]].numpy()).max() < 1e-4, 'test records out of pack order'
    train = feats(pick(records, 'train', len(test_pick) // len(CLASSES), 7))
    test = pick(records, 'test', 16, 8)
    real = {'fid_real_train_vs_test': round(T.fid(torch.from_numpy(train), pack.test_features), 3),
            'fid_real_train_vs_prompting_test_images': round(T.fid(torch.from_numpy(train), torch.from_numpy(reference)), 3),
            'fid_random_test_vs_test': round(T.fid(pack.test_features[np.random.default_rng(9).choice(len(pack.test_features), len(test_pick), replace=False)],
                                                   pack.test_features), 3),
            'test_per_finding': {n: int((pack.test_cls == c).sum()) for c, n in enumerate(CLASSES)},
            'fid_n_train': len(train),
            'ms_ssim_real_test': {n: round(T.ms_ssim_mean(load([r for r in test if r['cls'] == c])), 4) for c, n in enumerate(CLASSES)}}
    return real, reference


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pack', default=os.path.join(HERE, '..', '.gpu', 'latents.npz'))
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--decoder', action='append', required=True,
                    help='"shipped" (the bundle\'s vae_decoder.onnx) or NAME=PATH to a Decoder or SmallDecoder state_dict '
                         '(.pt of tune_decoder_tail.py or distill_decoder.py, told apart by its weights; rounded to float16 as shipped)')
    ap.add_argument('--latents', default=None,
                    help='cache of the sampled latents (default .runs/adherence_latents[_<scheduler>][_<unet file>].pt)')
    ap.add_argument('--unet-onnx', default=None,
                    help='sample with this ONNX UNet on onnxruntime (e.g. the bundle\'s unet.int8.onnx) instead of the shipped weights in PyTorch')
    ap.add_argument('--n-per', type=int, default=48)
    ap.add_argument('--steps', type=int, default=25)
    ap.add_argument('--guidance', type=float, default=3.0)
    ap.add_argument('--scheduler', choices=['ddim', 'dpmpp2m'], default='ddim',
                    help='sampler of the class and mask latents (the test prompts are always DDIM)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--noise-seed', type=int, default=1234,
                    help='noise of the class and mask latents; another seed is a second, independent sample of the same size')
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'),
                    help='with --test-prompts: the real images the generated ones are compared with')
    ap.add_argument('--test-prompts', action='store_true',
                    help='also sample (once, cached) and judge the test prompts: test-prompt adherence, FID, MS-SSIM')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    if args.test_prompts and args.scheduler != 'ddim':
        ap.error('--test-prompts samples with DDIM only; measure another --scheduler without it')
    if args.latents is None:
        # one cache per sampler and UNet file, so measuring another one does not overwrite the DDIM cache
        stem = ('' if args.scheduler == 'ddim' else f'_{args.scheduler}') + \
            ('' if args.unet_onnx is None else '_' + os.path.splitext(os.path.basename(args.unet_onnx))[0].replace('.', '_'))
        args.latents = os.path.join(HERE, '..', '.runs', f'adherence_latents{stem}.pt')
    torch.set_num_threads(args.threads)
    wm = json.load(open(args.map))['files']
    pack = Pack(args.pack, 'cpu')
    judge = Judge(args.bundle)
    setting = {'n_per': args.n_per, 'steps': args.steps, 'guidance': args.guidance}
    if args.noise_seed != 1234:  # caches made before the option have no seed: they are 1234's
        setting['noise_seed'] = args.noise_seed
    if args.scheduler != 'ddim':  # caches made before the option have no scheduler: they are DDIM's
        setting['scheduler'] = args.scheduler
    if args.unet_onnx is not None:
        setting['unet_onnx'] = os.path.basename(args.unet_onnx)
        setting['unet_sha256'] = hashlib.sha256(open(args.unet_onnx, 'rb').read()).hexdigest()
    cached = torch.load(args.latents) if os.path.exists(args.latents) else None
    latents = cached['latents'] if cached is not None and cached['setting'] == setting else None
    if latents is None or (args.test_prompts and 'test/latents' not in latents):
        scaling = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['scaling_factor']
        unet = (OrtUNet(args.unet_onnx, args.threads) if args.unet_onnx is not None else
                bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).eval())
        text = bundle_weights.load(TextEncoder(len(pack.vocab)), args.bundle, 'text_encoder.onnx', wm).eval()
        t0 = time.time()
        if latents is None:
            latents = sample_latents(pack, unet, text, scaling, args.n_per, args.steps, args.guidance, args.noise_seed, args.scheduler)
        if args.test_prompts:
            latents.update(sample_test_latents(pack, unet, text, scaling, args.n_per, args.steps, args.guidance))
        setting['sampling_seconds'] = round(time.time() - t0)
        os.makedirs(os.path.dirname(os.path.abspath(args.latents)), exist_ok=True)
        torch.save({'setting': {k: setting[k] for k in ('n_per', 'steps', 'guidance', 'noise_seed', 'scheduler', 'unet_onnx', 'unet_sha256') if k in setting}, 'latents': latents}, args.latents)
    results = {'setting': {**setting, 'uncond_mask': 'none', 'noise_seed': args.noise_seed, 'scheduler': args.scheduler,
                           'judges': 'shipped classifier.onnx and segmenter.onnx on onnxruntime (CPU)'}}
    reference = None
    if args.test_prompts:
        results['real'], reference = judge_real(args.data, pack, judge, latents['test/pick'].numpy())
        print('real', json.dumps(results['real']), flush=True)
    for spec in args.decoder:
        name, dec = load_decoder(spec, args.bundle, wm)
        results[name] = judge_decoder(dec, latents, pack, judge, reference)
        print(name, json.dumps(results[name]), flush=True)
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
