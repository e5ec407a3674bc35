"""Prompt adherence and mask Dice of a generator with lung masks CROSSED between sources,
judged by two judges: the project's classifier and segmenter (the bundle's) and the
independent reference-v0 ones (../shared/models/reference-v0, trained by another run).

Issue 17: the shipped generator learned the hospital, because each mask source and its
convention flag co-occur with one finding (Shenzhen masks with tuberculosis, V7 masks
with covid-19). So every finding's class prompt is sampled with no mask and with test
masks from every mask source (shenzhen, ieee8023/V7, jsrt/SCR; the last never seen in
training by cxr-studio-v1), the convention flag set as the app sets it, and for the
Shenzhen-convention sources also without the flag (a user who does not say). Optionally
pseudo-masks of mask-less sources (`--pseudo FOLDER`: the project segmenter's V7 channel
on that folder's test images).

Every cell (finding x mask condition) uses the same masks and the same initial noise, so
cells differ only in their conditioning. Per cell: n, adherence with a Wilson 95%
interval, what each judge read the images as, and mean Dice (conditioning mask vs the
judge's segmentation; the project segmenter's channel for the mask's convention, the
reference segmenter's one channel) with a bootstrap 95% interval.

Generators: the bundle's ONNX files on onnxruntime (default), with `--unet-guided FILE` its
UNet replaced by a one-pass student (issue 18: the guidance scale an input, one UNet run per
step), or a run's PyTorch weights (`--run DIR` with train_all.py's text_encoder.npz,
unet_a.npz, unet_b.npz; the decoder and scaling factor stay the bundle's: such runs train on
the shipped encoder's latents).

    /work/venv-ort/bin/python -m training.evaluate.cross_source_adherence --n-per 16 \\
        --out training/runs/cross_source_adherence_v1.json
"""
import argparse
import csv
import json
import os
import platform
import sys
import time

import numpy as np
import torch
from PIL import Image

from training.train import train_all as T  # noqa: E402
from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(HERE, '..')
BUNDLE = os.path.join(ROOT, 'public', 'models', 'cxr-studio-v1')
DATA = os.path.join(ROOT, '..', 'shared', 'data', 'cxr256')
REFERENCE = os.path.join(ROOT, '..', 'shared', 'models', 'reference-v0')
# mask source -> (folder, convention); jsrt/SCR masks exclude the retrocardiac region like Shenzhen's
MASK_SOURCES = {'shenzhen': ('shenzhen_tb_lungseg', 'shenzhen'), 'ieee8023': ('ieee8023_covid_lungseg', 'v7'),
                'jsrt': ('jsrt_lungseg', 'shenzhen')}
PROJECT_CHANNEL = {'v7': 0, 'shenzhen': 1}


def session(path, threads=0):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    prov = [p for p in ('CUDAExecutionProvider', 'CPUExecutionProvider') if p in ort.get_available_providers()]
    return ort.InferenceSession(path, opts, providers=prov)


class OrtModule(torch.nn.Module):
    """An ONNX file in a PyTorch model's slot (torch tensors in and out)."""

    def __init__(self, path, threads, inputs, output):
        super().__init__()
        self.sess, self.inputs, self.output = session(path, threads), inputs, output

    def forward(self, *args):
        feeds = {n: a.numpy() for n, a in zip(self.inputs, args)}
        return torch.from_numpy(self.sess.run([self.output], feeds)[0])


def load_generator(args):
    """(unet, text, decoder, vocab, scaling, description)."""
    manifest = json.load(open(os.path.join(args.bundle, 'manifest.json')))
    scaling = manifest['diffusion']['scaling_factor']
    dec = OrtModule(os.path.join(args.bundle, 'vae_decoder.onnx'), args.threads, ['latent'], 'image')
    if args.run is None:
        vocab = json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab']
        text = OrtModule(os.path.join(args.bundle, 'text_encoder.onnx'), args.threads, ['input_ids'], 'last_hidden_state')
        described = f'{os.path.basename(os.path.normpath(args.bundle))} ONNX files on onnxruntime'
        if args.unet_guided:
            from training.train.distill_guidance import OnePass
            student = OrtModule(args.unet_guided, args.threads,
                                ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond', 'guidance'], 'noise_pred')
            unet = OnePass(student, args.guidance or manifest['diffusion']['defaults']['guidance'])
            return unet, text, dec, vocab, scaling, f'{described}, the UNet replaced by the one-pass student {args.unet_guided}'
        unet = OrtModule(os.path.join(args.bundle, 'unet.onnx'), args.threads,
                         ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond'], 'noise_pred')
        return unet, text, dec, vocab, scaling, described
    from training.models.networks import CondUNet, TextEncoder
    text_sd, meta = T.read_npz(os.path.join(args.run, 'text_encoder.npz'), 'text_encoder')
    vocab = meta['vocab']
    text = T.load_rounded(TextEncoder(len(vocab)), text_sd).eval()
    unet_sd = {**T.read_npz(os.path.join(args.run, 'unet_a.npz'), 'unet')[0], **T.read_npz(os.path.join(args.run, 'unet_b.npz'), 'unet')[0]}
    unet = T.load_rounded(CondUNet(mask_channels=len(meta['unet']['mask_channels'])), unet_sd).eval()
    return unet, text, dec, vocab, scaling, f'{args.run} (PyTorch, fp16-rounded weights) with the bundle\'s decoder'


class Judge:
    """A classifier and a segmenter (ONNX) on [n,1,256,256] images in [0,1]."""

    def __init__(self, folder, threads, name):
        self.name = name
        self.cls = session(os.path.join(folder, 'classifier.onnx'), threads)
        self.seg = session(os.path.join(folder, 'segmenter.onnx'), threads)

    def read(self, img):
        """The classifier's (logits [n,4], features [n,256]); the features are what FID is taken on."""
        img = img.float().cpu().numpy() if torch.is_tensor(img) else img
        runs = [self.cls.run(['logits', 'features'], {'image': img[i:i + 16]}) for i in range(0, len(img), 16)]
        return np.concatenate([r[0] for r in runs]), np.concatenate([r[1] for r in runs])

    def classify(self, img):
        return self.read(img)[0].argmax(1)

    def lungs(self, img, convention):
        img = img.float().cpu().numpy() if torch.is_tensor(img) else img
        logits = np.concatenate([self.seg.run(['logits'], {'image': img[i:i + 16]})[0] for i in range(0, len(img), 16)])
        ch = PROJECT_CHANNEL[convention] if logits.shape[1] == 2 else 0
        return logits[:, ch] > 0


def read_png01(path):
    return np.asarray(Image.open(path).convert('L'), np.float32) / 255.0


def test_masks(data, folder, n, seed):
    """n test-split lung masks of a folder (seeded pick), full resolution, bool [n,256,256]."""
    with open(os.path.join(data, folder, 'labels.csv'), encoding='utf-8', errors='replace') as f:
        rows = [r for r in csv.DictReader(f) if r['split'] == 'test' and r.get('mask')]
    rows.sort(key=lambda r: r['file'])
    pick = np.random.default_rng(seed).choice(len(rows), min(n, len(rows)), replace=False)
    return [rows[i]['file'] for i in pick], np.stack([read_png01(os.path.join(data, folder, rows[i]['mask'])) > 0.5 for i in pick])


def pseudo_masks(data, folder, n, seed, judge):
    """n test images of a mask-less folder, segmented by the judge's V7 (includes retrocardiac) channel."""
    with open(os.path.join(data, folder, 'labels.csv'), encoding='utf-8', errors='replace') as f:
        rows = sorted((r for r in csv.DictReader(f) if r['split'] == 'test'), key=lambda r: r['file'])
    pick = np.random.default_rng(seed).choice(len(rows), min(n, len(rows)), replace=False)
    img = torch.from_numpy(np.stack([read_png01(os.path.join(data, folder, rows[i]['file'])) for i in pick]))[:, None]
    return [rows[i]['file'] for i in pick], judge.lungs(img, 'v7')


def mask_cond(masks, flag):
    """As the app builds it (maskCond.ts): pooled lung, lung given, convention flag; no lesion."""
    m = torch.from_numpy(masks.astype(np.float32))[:, None]
    out = torch.zeros(len(masks), 5, 32, 32)
    out[:, 0:1] = torch.nn.functional.avg_pool2d(m, 8)
    out[:, 1] = 1.0
    out[:, 2] = float(flag)
    return out


def wilson(k, n, z=1.96):
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(float(c - h), 4), round(float(c + h), 4)]


def bootstrap_mean(x, seed=0, reps=2000):
    x = np.asarray(x, np.float64)
    means = x[np.random.default_rng(seed).integers(0, len(x), (reps, len(x)))].mean(1)
    return [round(float(np.quantile(means, 0.025)), 4), round(float(np.quantile(means, 0.975)), 4)]


def judge_cell(judges, img, finding, masks, convention, features=None):
    """Each judge's reading of one cell's images; features (a dict), when given, gets each
    judge's classifier features of the images under the judge's name."""
    out = {}
    c = CLASSES.index(finding)
    for j in judges:
        logits, feats = j.read(img)
        pred = logits.argmax(1)
        if features is not None:
            features[j.name] = feats
        k = int((pred == c).sum())
        res = {'adherence': round(k / len(pred), 4), 'adherence_ci95': wilson(k, len(pred)),
               'read_as': {n: int((pred == i).sum()) for i, n in enumerate(CLASSES)}}
        if masks is not None:
            d = T.dice(torch.from_numpy(j.lungs(img, convention).astype(np.float32)), torch.from_numpy(masks.astype(np.float32))).numpy()
            res['mask_dice'] = round(float(d.mean()), 4)
            res['mask_dice_ci95'] = bootstrap_mean(d)
        out[j.name] = res
    return out


@torch.no_grad()
def sample_images(unet, text, dec, ids, mc, noise, steps, guidance, scaling, ac, scheduler='ddim'):
    """Images in [0,1] as the studio samples them: DDIM (train_all.ddim_sample) or DPM-Solver++ 2M
    (decoder_adherence.dpm_sample, the golden reference of the studio's scheduler; CPU only), both
    with the unconditional pass dropping the mask."""
    if scheduler == 'ddim':
        return T.ddim_sample(unet, text, dec, ids, mc, noise, steps, guidance, scaling, ac, uncond_mask=False)
    if scheduler != 'dpmpp2m':
        raise ValueError(f'scheduler: expected ddim or dpmpp2m, received {scheduler}')
    from training.evaluate.decoder_adherence import dpm_sample
    latent = dpm_sample(unet, text, ids.cpu(), mc.cpu(), noise.cpu(), steps, guidance, scaling)
    with torch.no_grad():
        img = dec(latent).float()
    return ((img + 1) / 2).clamp(0, 1)


def measure_cells(unet, text, dec, scaling, vocab, conditions, judges, n, steps, guidance, noise_seed, device='cpu', t0=None,
                  findings=CLASSES, on_cell=None, scheduler='ddim', features=None):
    """Every finding's class prompt under every condition {name: (files, masks bool [k,256,256]
    or None, flag, convention)}, the same noise in every cell; judged by every judge.
    on_cell(cells) after each cell (a slow CPU run keeps what it measured). features (a dict),
    when given, gets each cell's classifier features per judge as float16 [k,256] under
    'judge/finding/condition' (for FID: sampler_sweep.py)."""
    ac = T.alphas_cumprod(device)
    noise = torch.randn(n, 4, 32, 32, generator=torch.Generator().manual_seed(noise_seed)).to(device)
    cells = {}
    for finding in findings:
        ids = torch.as_tensor([encode(CLASS_PROMPTS[finding], vocab)] * n, device=device)
        for name, (files, masks, flag, convention) in conditions.items():
            k = len(masks) if masks is not None else n
            mc = torch.zeros(k, 5, 32, 32) if masks is None else mask_cond(masks, flag)
            img = sample_images(unet, text, dec, ids[:k], mc.to(device), noise[:k], steps, guidance, scaling, ac, scheduler)
            got = {}
            cells[f'{finding}/{name}'] = {'n': k, **judge_cell(judges, img, finding, masks, convention, got)}
            if features is not None:
                features.update({f'{j}/{finding}/{name}': f.astype(np.float16) for j, f in got.items()})
            if t0 is not None:
                print(f'[{time.time() - t0:6.0f}s] {finding}/{name}',
                      json.dumps({j.name: cells[f"{finding}/{name}"][j.name]['adherence'] for j in judges}), flush=True)
            if on_cell is not None:
                on_cell(cells)
    return cells


def conditions_from_pack(pack, n, unflagged=('shenzhen',)):
    """The same conditions from a latents pack (pack_latents.py), for the device: the
    first n test masks of each mask source, pseudo-masks of the mask-less sources."""
    out = {'none': (None, None, 0, None)}
    lung = lambda packed: np.unpackbits(packed, axis=-1).astype(bool)
    for src, (folder, convention) in MASK_SOURCES.items():
        idx = np.nonzero((pack.z['test_folder'] == folder) & pack.z['test_has_lung'])[0][:n]
        if len(idx) == 0:
            continue
        flag = int(convention == 'shenzhen')
        out[src] = (idx.tolist(), lung(pack.z['test_lung'][idx]), flag, convention)
        if flag and src in unflagged:
            out[f'{src}_noflag'] = (idx.tolist(), out[src][1], 0, convention)
    if 'cross_folder' in pack.z.files:
        for folder in sorted(set(pack.z['cross_folder'].tolist())):
            idx = np.nonzero(pack.z['cross_folder'] == folder)[0][:n]
            out[f'pseudo_{folder}'] = (idx.tolist(), lung(pack.z['cross_lung'][idx]), 0, 'v7')
    return out


def checkpoint_score(summary, baseline=None, dice_floor=0.93, text_drop=0.03):
    """The selection rule (issue 17, item 3): a generator's score is the worst finding's
    adherence over the mask-crossed cells by the WORSE of the two judges, so neither judge
    alone can pick it. Not eligible (score None, with the reasons) when either judge's mean
    mask Dice is under dice_floor, or, against a baseline summary (the shipped generator
    measured the same way), any finding's text-only adherence falls by more than
    text_drop by either judge."""
    reasons = []
    for j, s in summary.items():
        if s['mask_dice_mean'] is None or s['mask_dice_mean'] < dice_floor:
            reasons.append(f'{j}: mask Dice {s["mask_dice_mean"]} < {dice_floor}')
        if baseline is not None:
            for f, v in s['text_only'].items():
                if v < baseline[j]['text_only'][f] - text_drop:
                    reasons.append(f'{j}: text-only {f} {v} < {baseline[j]["text_only"][f]} - {text_drop}')
    score = min((s['worst_mask_cell'] for s in summary.values() if s['worst_mask_cell'] is not None), default=0.0)
    return {'score': score, 'eligible': not reasons, 'reasons': reasons}


def summarize(cells, judges):
    """Per judge: the worst finding over mask-crossed cells, mean Dice, text-only adherence."""
    out = {}
    for j in judges:
        crossed = {k: v[j] for k, v in cells.items() if not k.endswith('/none')}
        text_only = {k.split('/')[0]: v[j]['adherence'] for k, v in cells.items() if k.endswith('/none')}
        per_finding = {f: min(v['adherence'] for k, v in crossed.items() if k.startswith(f + '/'))
                       for f in CLASSES if any(k.startswith(f + '/') for k in crossed)}
        dice = [v['mask_dice'] for v in crossed.values()]
        out[j] = {'text_only': text_only, 'worst_mask_cell_per_finding': per_finding,
                  'worst_mask_cell': min(per_finding.values(), default=None),
                  'mask_dice_mean': round(float(np.mean(dice)), 4) if dice else None,
                  'mask_dice_worst_cell': min(dice, default=None)}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=BUNDLE)
    ap.add_argument('--run', default=None, help="a train_all.py / continue_gpu.py output folder: its UNet and text encoder")
    ap.add_argument('--unet-guided', default=None,
                    help='a one-pass student ONNX file (guided_student.py; the bundle\'s unet_guided) in the UNet\'s place: one run per step at --guidance')
    ap.add_argument('--data', default=DATA)
    ap.add_argument('--reference', default=REFERENCE)
    ap.add_argument('--n-per', type=int, default=16, help='images per cell')
    ap.add_argument('--steps', type=int, default=None, help='sampler steps (default: the manifest\'s)')
    ap.add_argument('--scheduler', choices=['ddim', 'dpmpp2m'], default='ddim',
                    help='dpmpp2m: DPM-Solver++ 2M, the Generate page\'s fast preset (CPU)')
    ap.add_argument('--guidance', type=float, default=None, help='default: the manifest\'s')
    ap.add_argument('--noise-seed', type=int, default=7)
    ap.add_argument('--mask-seed', type=int, default=0)
    ap.add_argument('--sources', default='shenzhen,ieee8023,jsrt')
    ap.add_argument('--pseudo', action='append', default=[], help='a mask-less folder: its test images\' pseudo-masks as a mask source')
    ap.add_argument('--unflagged', default='shenzhen', help='Shenzhen-convention sources also measured without the flag (comma list, or "")')
    ap.add_argument('--findings', default=','.join(CLASSES), help='class prompts to measure, in this order')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--baseline', default=None, help="an earlier output (the shipped generator's): text-only drop for the selection rule")
    ap.add_argument('--out', required=True)
    ap.add_argument('--features', default=None, help="also write each cell's classifier features per judge here (.npz, float16)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    defaults = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['defaults']
    steps = args.steps or defaults['steps']
    guidance = args.guidance or defaults['guidance']
    unet, text, dec, vocab, scaling, described = load_generator(args)
    judges = [Judge(args.bundle, args.threads, 'project'), Judge(args.reference, args.threads, 'reference_v0')]

    conditions = {'none': (None, None, 0, None)}
    for src in args.sources.split(','):
        folder, convention = MASK_SOURCES[src]
        files, masks = test_masks(args.data, folder, args.n_per, args.mask_seed)
        flag = int(convention == 'shenzhen')
        conditions[src] = (files, masks, flag, convention)
        if flag and src in args.unflagged.split(','):
            conditions[f'{src}_noflag'] = (files, masks, 0, convention)
    for folder in args.pseudo:
        files, masks = pseudo_masks(args.data, folder, args.n_per, args.mask_seed, judges[0])
        conditions[f'pseudo_{folder}'] = (files, masks, 0, 'v7')

    n = args.n_per
    findings = args.findings.split(',')
    baseline = json.load(open(args.baseline))['summary'] if args.baseline else None

    def write(cells, complete):
        result = {
            'generator': described,
            'setting': {'prompts': CLASS_PROMPTS, 'steps': steps, 'guidance': guidance, 'scheduler': args.scheduler,
                        'uncond_mask': 'none (the unconditional pass drops the mask, as the manifest says)',
                        'noise_seed': args.noise_seed, 'mask_seed': args.mask_seed, 'n_per_cell': n,
                        'same_noise_and_masks_in_every_cell': True},
            'conditions': {k: {'mask_files': v[0], 'folder': MASK_SOURCES[k.replace('_noflag', '')][0] if k.replace('_noflag', '') in MASK_SOURCES else k,
                               'convention_flag': v[2], 'convention': v[3]} for k, v in conditions.items()},
            'judges': {'project': f'{os.path.basename(os.path.normpath(args.bundle))} classifier.onnx + segmenter.onnx (channel of the mask\'s convention)',
                       'reference_v0': 'shared/models/reference-v0 classifier.onnx + segmenter.onnx (one lung channel, both conventions)'},
            'summary': summarize(cells, [j.name for j in judges]),
            'cells': cells,
            'measured_on': f'{platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs (shared), '
                           f'onnxruntime + torch {torch.__version__}, {time.strftime("%Y-%m-%d")}, {time.time() - t0:.0f} s',
        }
        result['complete'] = complete
        if complete:
            result['selection'] = checkpoint_score(result['summary'], baseline)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        if args.features:
            # before the JSON: a complete JSON beside missing features would be taken as done
            np.savez_compressed(args.features, **features)
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)
        return result

    features = {}
    cells = measure_cells(unet, text, dec, scaling, vocab, conditions, judges, n, steps, guidance, args.noise_seed, t0=t0,
                          findings=findings, on_cell=lambda c: write(c, False), scheduler=args.scheduler,
                          features=features if args.features else None)
    print(json.dumps(write(cells, len(findings) == len(CLASSES))['summary'], indent=1))


if __name__ == '__main__':
    main()
