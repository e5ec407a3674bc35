"""Continue training the shipped diffusion model (UNet + text encoder) on the GPU, and
measure it before and after, from the bundle itself: no .npz from an earlier run, no
images (the pack holds latents; see pack_latents.py).

On the device (the bundle travels with the tree; .gpu is carried):
    python3 -m training.train.continue_gpu --pack .gpu/latents.npz --map .gpu/weight_map.json --out $OUT
Writes, progressively: log.txt, metrics.json (after each measurement), and after
training unet_a.npz, unet_b.npz, text_encoder.npz (train_all.py's format: export them
with `export_onnx.py --run DIR --only diffusion`).

The segmenter and classifier that judge the images are the shipped ONNX files, run by
onnxruntime, so the numbers are those of the models a user has.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode  # noqa: E402
from training.data.mask_conditioning import MaskBank  # noqa: E402
from training.models.networks import CondUNet, Decoder, TextEncoder  # noqa: E402

# The finding alone, no age group: what a user who names only a finding gets.
FINDING_PROMPTS = {'normal': 'chest x-ray, no finding', 'pneumonia': 'chest x-ray, pneumonia',
                   'tuberculosis': 'chest x-ray, tuberculosis', 'covid19': 'chest x-ray, covid-19 pneumonia'}
FOLDERS = ('shenzhen_tb_lungseg', 'ieee8023_covid_lungseg')
CHANNEL = {'shenzhen': 1, 'v7': 0}


class Judge:
    """The shipped segmenter and classifier through onnxruntime, on torch images [n,1,256,256] in [0,1].
    Where Python has no onnxruntime (Debian packages none: a fresh CI machine), through
    onnxruntime-node instead (export/onnx_node.py), which is slower per call and enough for the
    CPU smoke runs that tests make."""

    def __init__(self, bundle):
        try:
            import onnxruntime as ort
        except ImportError:
            from training.export.onnx_node import NodeSession
            self.seg = NodeSession(os.path.join(bundle, 'segmenter.onnx'))
            self.cls = NodeSession(os.path.join(bundle, 'classifier.onnx'))
        else:
            prov = [p for p in ('CUDAExecutionProvider', 'CPUExecutionProvider') if p in ort.get_available_providers()]
            self.seg = ort.InferenceSession(os.path.join(bundle, 'segmenter.onnx'), providers=prov)
            self.cls = ort.InferenceSession(os.path.join(bundle, 'classifier.onnx'), providers=prov)
        self.providers = self.seg.get_providers()

    def _run(self, sess, img, names):
        outs = [[] for _ in names]
        for i in range(0, img.shape[0], 64):
            res = sess.run(names, {'image': img[i:i + 64].float().cpu().numpy()})
            for o, r in zip(outs, res):
                o.append(r)
        return [np.concatenate(o) for o in outs]

    def classify(self, img):
        logits, feats = self._run(self.cls, img, ['logits', 'features'])
        return logits, feats

    def lungs(self, img, channel):
        return self._run(self.seg, img, ['logits'])[0][:, channel] > 0


class Pack:
    """The latents pack on the training device, shaped as train_diffusion reads data."""

    def __init__(self, path, dev):
        z = np.load(path)
        self.z = z
        self.device = dev
        self.latents = torch.from_numpy(z['latents_q'].astype(np.float32) * z['latents_scale'][:, :, None, None]).to(dev)
        f = lambda a: torch.from_numpy(a.astype(np.float32)).to(dev)
        ones = torch.ones(len(z['cls']), 1, 32, 32, device=dev)
        self.source = z['source'] if 'source' in z.files else None
        if 'pseudo_v7' in z.files:  # issue 17's pack: both segmenter channels on every image (mask_conditioning.py)
            self.bank = lambda **kw: MaskBank(f(z['lung_gt']) / 255, z['has_gt'], z['gt_shenzhen'], f(z['pseudo_v7']) / 255,
                                              f(z['pseudo_shenzhen']) / 255, f(z['lesion']) / 255, z['lesion_given'].astype(bool), **kw)
            lung = np.where(z['has_gt'][:, None, None], z['lung_gt'], z['pseudo_v7'])
            given, shenzhen = np.ones(len(lung)), z['gt_shenzhen']
        else:
            self.bank = None
            lung, given, shenzhen = z['lung'], z['lung_given'], z['lung_shenzhen']
        # v1's conditioning (a fixed mask per image, flag = Shenzhen source), for --mask-flag v1
        self.mask_cond = torch.cat([f(lung)[:, None] / 255, f(given)[:, None, None, None] * ones,
                                    f(shenzhen)[:, None, None, None] * ones, f(z['lesion'])[:, None] / 255,
                                    f(z['lesion_given'])[:, None, None, None] * ones], 1)
        self.cls = z['cls']
        self.tokens = z['tokens'].astype(np.int64)
        self.vocab = json.loads(bytes(z['vocab']).decode())
        self.test_cls, self.test_folder = z['test_cls'], z['test_folder']
        self.test_tokens = torch.from_numpy(z['test_tokens'].astype(np.int64)).to(dev)
        self.test_lung = torch.from_numpy(np.unpackbits(z['test_lung'], axis=2).astype(np.float32)).to(dev)
        self.test_has_lung, self.test_convention = z['test_has_lung'], z['test_convention']
        self.test_features = torch.from_numpy(z['test_features'])

    def idx(self, split):
        assert split == 'train'
        return np.arange(len(self.cls))

    def test_mask_cond(self, idx):
        """As a user gives a lung mask: ground truth, given, its convention; no lesion."""
        out = torch.zeros(len(idx), 5, 32, 32, device=self.device)
        out[:, 0:1] = F.avg_pool2d(self.test_lung[idx][:, None], 8)
        out[:, 1] = 1.0
        out[:, 2] = torch.as_tensor(self.test_convention[idx] == 'shenzhen', device=self.device, dtype=torch.float32)[:, None, None]
        return out


@torch.no_grad()
def measure(unet, text, dec, pack, judge, scaling, steps, g, uncond_mask, n_per):
    dev, ac = pack.device, T.alphas_cumprod(pack.device)
    gen = torch.Generator(device='cpu').manual_seed(1234)
    rng = np.random.default_rng(5)
    sample = lambda ids, mc: T.ddim_sample(unet, text, dec, ids, mc, torch.randn(len(ids), 4, 32, 32, generator=gen).to(dev),
                                           steps, g, scaling, ac, uncond_mask=uncond_mask)
    res = {}
    for label, prompts in (('class_prompts', CLASS_PROMPTS), ('finding_prompts', FINDING_PROMPTS)):
        adh, imgs = {}, {}
        for c, name in enumerate(CLASSES):
            ids = torch.as_tensor([encode(prompts[name], pack.vocab)] * n_per, device=dev)
            img = sample(ids, torch.zeros(n_per, 5, 32, 32, device=dev))
            adh[name] = round(float((judge.classify(img)[0].argmax(1) == c).mean()), 4)
            imgs[name] = img
        res[f'prompt_adherence_{label}'] = adh
        res[f'prompt_adherence_{label}_min'] = min(adh.values())
        if label == 'class_prompts':
            try:
                res['ms_ssim_generated_class_prompt'] = {k: round(T.ms_ssim_mean(v[:16]), 4) for k, v in imgs.items()}
            except Exception as e:  # torchmetrics missing: the rest stands
                res['ms_ssim'] = f'not measured: {e!r}'
    # the test set's own prompts (and lung masks where it has them): adherence and FID
    pick = np.concatenate([rng.choice(np.nonzero(pack.test_cls == c)[0], min(n_per, int((pack.test_cls == c).sum())), replace=False)
                           for c in range(4)])
    feats, agree = [], []
    for i in range(0, len(pick), 64):
        p = pick[i:i + 64]
        mc = torch.where(torch.as_tensor(pack.test_has_lung[p], device=dev)[:, None, None, None], pack.test_mask_cond(p),
                         torch.zeros(len(p), 5, 32, 32, device=dev))
        logits, f = judge.classify(sample(pack.test_tokens[p], mc))
        feats.append(torch.from_numpy(f))
        agree.append(logits.argmax(1) == pack.test_cls[p])
    agree = np.concatenate(agree)
    res['prompt_adherence_test_prompts'] = {n: round(float(agree[pack.test_cls[pick] == c].mean()), 4) for c, n in enumerate(CLASSES)}
    res['fid_generated_vs_test'] = round(T.fid(torch.cat(feats), pack.test_features), 3)
    generated = {}
    for folder in FOLDERS:
        idx = np.nonzero((pack.test_folder == folder) & pack.test_has_lung)[0][:n_per]
        generated[folder] = (idx, sample(pack.test_tokens[idx], pack.test_mask_cond(idx)))
    res.update(mask_adherence(pack, judge, generated))
    return res


def mask_adherence(pack, judge, generated):
    """generated: {folder: (test indices, images made with their lung masks)}. Mean Dice
    between each conditioning mask and the segmenter's lungs (the folder's convention)."""
    md = {}
    for folder, (idx, img) in generated.items():
        pred = torch.from_numpy(judge.lungs(img, CHANNEL[pack.test_convention[idx[0]]]).astype(np.float32)).to(pack.device)
        md[folder] = {'generated': round(float(T.dice(pred, pack.test_lung[idx]).mean()), 4), 'n': len(idx)}
    return {'mask_adherence': md, 'mask_adherence_mean': round(float(np.mean([v['generated'] for v in md.values()])), 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', required=True)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--deadline', type=float, default=470, help='seconds after start by which everything is saved')
    ap.add_argument('--max-train-seconds', type=float, default=300)
    ap.add_argument('--lr', type=float, default=1e-4)
    ap.add_argument('--joint-drop', type=float, default=0.1)
    ap.add_argument('--n-per', type=int, default=48)
    ap.add_argument('--smoke', action='store_true', help='CPU: a few steps, tiny measurement')
    args = ap.parse_args()
    dev = T.start_run(args.out, args.smoke, vars(args))
    manifest = json.load(open(os.path.join(args.bundle, 'manifest.json')))
    scaling = manifest['diffusion']['scaling_factor']
    wm = json.load(open(args.map))['files']
    pack = Pack(args.pack, dev)
    unet = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).to(dev).eval()
    text = bundle_weights.load(TextEncoder(len(pack.vocab)), args.bundle, 'text_encoder.onnx', wm).to(dev).eval()
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).to(dev).eval()
    judge = Judge(args.bundle)
    T.log(f'{len(pack.cls)} train latents; judge providers {judge.providers}')
    real = np.argmax(pack.z['test_logits'], 1)
    metrics = {'device': str(dev), 'args': vars(args),
               'classifier_recall_on_real_test_images': {n: round(float((real[pack.test_cls == c] == c).mean()), 4)
                                                          for c, n in enumerate(CLASSES)},
               'before': {}, 'after': {}}
    save = lambda: json.dump(metrics, open(os.path.join(args.out, 'metrics.json'), 'w'), indent=1)
    n_per = 4 if args.smoke else args.n_per
    steps = 2 if args.smoke else 25
    configs = [(steps, 3.0, True), (steps, 3.0, False), (steps, 2.0, False), (steps, 5.0, False)]
    key = lambda c: f'steps{c[0]}_g{c[1]}_{"uncond_keeps_mask" if c[2] else "uncond_drops_mask"}'
    t, done = time.time(), 0
    for c in configs:  # a slow judge (no CUDA in onnxruntime) leaves time for training first
        if done and time.time() - T.T0 > 0.3 * args.deadline:
            T.log('before: skipping', key(c), '(time)')
            continue
        metrics['before'][key(c)] = measure(unet, text, dec, pack, judge, scaling, *c, n_per)
        T.log('before', key(c), json.dumps(metrics['before'][key(c)]))
        save()
        done += 1
    per_config = (time.time() - t) / done
    after_n = max(1, min(len(configs), int(0.35 * args.deadline / per_config)))
    train_s = min(args.max_train_seconds, args.deadline - (time.time() - T.T0) - per_config * after_n - 20)
    train_s = 5 if args.smoke else max(train_s, 60)
    T.log(f'measuring took {per_config:.1f}s per configuration; training for {train_s:.0f}s')
    sd = lambda m: {k: v.detach().cpu().numpy() for k, v in m.state_dict().items()}
    unet, text, meta = T.train_diffusion(pack, pack.latents, pack.mask_cond, pack.vocab, train_s, 32 if args.smoke else 256,
                                         args.out, init={'unet': sd(unet), 'text_encoder': sd(text)}, lr=args.lr,
                                         tokens=pack.tokens, joint_drop=args.joint_drop)
    metrics['training'] = {k: v for k, v in meta.items() if k != 'vocab'}
    save()
    for c in [configs[1], configs[0]] + configs[2:]:  # the likeliest default first
        if time.time() - T.T0 > args.deadline - per_config:
            T.log('deadline: not measuring', key(c))
            continue
        metrics['after'][key(c)] = measure(unet, text, dec, pack, judge, scaling, *c, n_per)
        T.log('after', key(c), json.dumps(metrics['after'][key(c)]))
        save()
    T.log('done')


if __name__ == '__main__':
    main()
