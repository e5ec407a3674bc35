"""One UNet pass per step, and fewer steps (issue 18), distilled from the shipped UNet.

Stage 1, guidance distillation (Meng et al. 2023, "On distillation of guided diffusion
models"): a student CondUNet(guidance_input=True), initialised from the teacher (its
guidance embedding starts at zero), learns eps_u + w (eps_c - eps_u) of the teacher in
one pass, for w drawn from [--w-min, --w-max] and the guidance scale as an input. The
unconditional pass is the manifest's (empty prompt, no mask: uncond_mask "none").

Stage 2, progressive distillation (Salimans & Ho 2022) on the app's DDIM grid: a student
that takes N steps on round(linspace(999, 0, N)) (the grid ddim.ts uses, final alpha 1)
learns to land where its teacher lands in two DDIM steps (t_i -> midpoint -> t_{i+1});
the epsilon that makes one DDIM step reach the teacher's x_{t_{i+1}} is the target.
Halvings: --steps 20,10,5 (each stage's student becomes the next stage's teacher).

Data: the latents pack (pack_latents.py), conditioned as the generator trains
(mask_conditioning.py: masks that do not name the source, prompts with their drops);
x_t is a train latent noised to t. Neither judge is in the loss.

Export: unet_guided.onnx has the shipped UNet's inputs plus `guidance` float32 [N]; with
it the app runs ONE pass per step (batch 1, the conditional prompt and mask) instead of
the [cond, uncond] pair, and the student's step count on the same DDIM grid. What
src/core/pipelines/generate.ts must change: when the manifest's unet inputs list
`guidance`, skip the unconditional row (and the negative prompt, which the student does
not know) and feed `guidance` = the chosen scale; generatorSpec.ts gains that input and
a `distilled_steps` default.

    # device: python3 -m training.train.distill_guidance --pack .gpu/latents.npz --map .gpu/weight_map.json --out $OUT --minutes 8
    # CPU smoke: /usr/bin/python3 -m training.train.distill_guidance --pack .gpu/smoke/latents.npz --map .gpu/weight_map.json --smoke --out /tmp/dg
Outputs: unet_guided_a/b.npz (train_all.py's format, one file per stage: the last
stage's), unet_guided.onnx (if it fits the 16 MiB limit, else only the npz), metrics.json, log.txt.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import Pack  # noqa: E402
from training.models.networks import CondUNet, TextEncoder, count_params  # noqa: E402
from training.models.onnx_export import export_or_log, onnx_export  # noqa: E402


def ddim_step(x, eps, a_t, a_next):
    x0 = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
    return a_next.sqrt() * x0 + (1 - a_next).sqrt() * eps


def eps_for(x, x_next, a_t, a_next):
    """The epsilon with which one DDIM step from x (alpha a_t) lands on x_next (alpha a_next)."""
    return (x_next - (a_next / a_t).sqrt() * x) / ((1 - a_next).sqrt() - (a_next * (1 - a_t) / a_t).sqrt())


def grid(n):
    """The app's DDIM timesteps for n steps, and the alpha after each (the last is 1)."""
    return np.round(np.linspace(999, 0, n)).astype(np.int64)


class Batches:
    """Training inputs: noised train latents with their (dropped-as-in-training) prompt ids and mask_cond."""

    def __init__(self, pack, bank, bs):
        self.pack, self.bank, self.bs = pack, bank, bs
        self.tokens = torch.as_tensor(pack.tokens, device=pack.device)
        self.rng = np.random.default_rng(11)

    def __call__(self):
        dev, bs = self.pack.device, self.bs
        pick = torch.as_tensor(self.rng.integers(0, len(self.pack.cls), bs), device=dev)
        mc = self.bank.draw(pick)
        mc[torch.rand(bs, device=dev) < 0.3, 0:3] = 0
        mc[:, 3:5] = 0
        variant = torch.randint(0, 8, (bs,), device=dev)
        return self.pack.latents[pick], self.tokens[pick, variant], mc


def train_guidance(student, teacher, text, batches, ac, budget, lr, w_range, dev):
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    sched = T.Schedule(opt, lr, budget, warmup_steps=20)
    last = None
    while sched.step():
        z0, ids, mc = batches()
        bs = len(z0)
        t = torch.randint(0, 1000, (bs,), device=dev)
        a = ac[t][:, None, None, None]
        zt = a.sqrt() * z0 + (1 - a).sqrt() * torch.randn_like(z0)
        w = torch.empty(bs, device=dev).uniform_(*w_range)
        with torch.no_grad(), T.autocast(dev):
            ctx_c, ctx_u = text(ids), text(torch.zeros_like(ids))
            eps_c, eps_u = teacher(torch.cat([zt, zt]), torch.cat([t, t]).float(), torch.cat([ctx_c, ctx_u]),
                                   torch.cat([mc, torch.zeros_like(mc)])).float().chunk(2)
            target = eps_u + w[:, None, None, None] * (eps_c - eps_u)
        with T.autocast(dev):
            pred = student(zt, t.float(), ctx_c, mc, w).float()
        loss = ((pred - target) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        last = loss.item()
        if sched.step_n % 200 == 0:
            T.log(f'guidance step {sched.step_n}: loss {last:.5f}')
    return {'steps': sched.step_n, 'last_loss': last}


def train_halving(student, teacher, text, batches, ac, n_student, budget, lr, w_range, dev):
    """Student: n_student DDIM steps on grid(n_student); teacher: two steps per student step."""
    ts = torch.as_tensor(grid(n_student), device=dev)
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    sched = T.Schedule(opt, lr, budget, warmup_steps=20)
    one = torch.ones(1, device=dev)
    last = None
    while sched.step():
        z0, ids, mc = batches()
        bs = len(z0)
        i = torch.randint(0, n_student, (bs,), device=dev)
        t = ts[i]
        t_next_idx = (i + 1).clamp(max=n_student - 1)
        is_last = i == n_student - 1
        a_t = ac[t][:, None, None, None]
        a_next = torch.where(is_last, one, ac[ts[t_next_idx]])[:, None, None, None]
        mid = torch.where(is_last, t, (t + ts[t_next_idx]) // 2)
        a_mid = torch.where(is_last, one, ac[mid])[:, None, None, None]
        w = torch.empty(bs, device=dev).uniform_(*w_range)
        with torch.no_grad(), T.autocast(dev):
            ctx = text(ids)
            zt = a_t.sqrt() * z0 + (1 - a_t).sqrt() * torch.randn_like(z0)
            e1 = teacher(zt, t.float(), ctx, mc, w).float()
            x_mid = ddim_step(zt, e1, a_t, a_mid)
            e2 = teacher(x_mid, mid.float(), ctx, mc, w).float()
            x_two = torch.where(is_last[:, None, None, None], x_mid, ddim_step(x_mid, e2, a_mid, a_next))
            target = torch.where(is_last[:, None, None, None], e1, eps_for(zt, x_two, a_t, a_next))
        with T.autocast(dev):
            pred = student(zt, t.float(), ctx, mc, w).float()
        # weight by the alpha of the landing point, as the x-space error it makes (min-SNR-like, bounded)
        weight = ((1 - a_next) / a_next.clamp(min=1e-4)).clamp(min=0.05, max=5.0).flatten()
        loss = (weight * ((pred - target) ** 2).flatten(1).mean(1)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        last = loss.item()
        if sched.step_n % 200 == 0:
            T.log(f'{n_student}-step student, step {sched.step_n}: loss {last:.5f}')
    return {'steps': sched.step_n, 'last_loss': last, 'grid': grid(n_student).tolist()}


class OnePass(torch.nn.Module):
    """A guided student in the sampler's [cond, uncond] slot: it runs once, on the
    conditional half, and returns its epsilon for both halves, so the sampler's
    eps_u + g (eps_c - eps_u) is exactly the student's output at scale g."""

    def __init__(self, student, guidance):
        super().__init__()
        self.student, self.guidance = student, guidance

    def forward(self, sample, timestep, ctx, mask_cond):
        n = len(sample) // 2
        g = torch.full((n,), float(self.guidance), device=sample.device)
        eps = self.student(sample[:n], timestep[:n], ctx[:n], mask_cond[:n], g)
        return torch.cat([eps, eps])


def export(student, path):
    student = student.eval().cpu()
    inputs = (torch.randn(1, 4, 32, 32), torch.tensor([500.0]), torch.randn(1, 32, 256), torch.rand(1, 5, 32, 32), torch.tensor([5.0]))
    names = ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond', 'guidance']
    with torch.no_grad():
        onnx_export(student, inputs, path, opset_version=17, input_names=names, output_names=['noise_pred'],
                    dynamic_axes={n: {0: 'batch'} for n in names + ['noise_pred']}, do_constant_folding=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', required=True)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=8, help='all stages together')
    ap.add_argument('--steps', default='20,10,5', help='halvings after guidance distillation: the first is the guided student\'s own grid')
    ap.add_argument('--w-min', type=float, default=2.0)
    ap.add_argument('--w-max', type=float, default=8.0)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=5e-5)
    ap.add_argument('--reference', help='reference-v0 folder: measure teacher and student by both judges at the end')
    ap.add_argument('--smoke', action='store_true')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    T.LOG = os.path.join(args.out, 'log.txt')
    dev = torch.device('cuda' if torch.cuda.is_available() and not args.smoke else 'cpu')
    torch.manual_seed(0)
    wm = json.load(open(args.map))['files']
    pack = Pack(args.pack, dev)
    bank = pack.bank() if pack.bank is not None else None
    assert bank is not None, 'the pack predates issue 17 (no pseudo_v7): re-run pack_latents.py'
    teacher = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).to(dev).eval().requires_grad_(False)
    text = bundle_weights.load(TextEncoder(len(pack.vocab)), args.bundle, 'text_encoder.onnx', wm).to(dev).eval().requires_grad_(False)
    student = CondUNet(mask_channels=5, guidance_input=True).to(dev)
    missing = student.load_state_dict(teacher.state_dict(), strict=False)
    assert all(k.startswith('guidance_mlp') for k in missing.missing_keys) and not missing.unexpected_keys, missing
    halvings = [int(s) for s in args.steps.split(',')][1:]
    total = 20.0 if args.smoke else args.minutes * 60
    share = total / (1 + len(halvings))  # equal wall time per stage
    batches = Batches(pack, bank, 4 if args.smoke else args.batch)
    ac = T.alphas_cumprod(dev)
    w_range = (args.w_min, args.w_max)
    T.log(f'student {count_params(student)} parameters; stages: guidance, then {halvings} steps; {share:.0f}s each on {dev}')
    metrics = {'args': vars(args), 'device': str(dev), 'stages': {}}
    t0 = time.time()
    metrics['stages']['guidance'] = train_guidance(student, teacher, text, batches, ac, share, args.lr, w_range, dev)
    T.log('guidance stage', json.dumps(metrics['stages']['guidance']))
    for n in halvings:
        frozen = CondUNet(mask_channels=5, guidance_input=True).to(dev)
        frozen.load_state_dict(student.state_dict())
        frozen.eval().requires_grad_(False)
        metrics['stages'][f'{n}_steps'] = train_halving(student, frozen, text, batches, ac, n, share, args.lr, w_range, dev)
        T.log(f'{n}-step stage', json.dumps(metrics['stages'][f'{n}_steps']))
        del frozen
    metrics['seconds'] = round(time.time() - t0, 1)
    student.eval()
    if args.reference:  # both judges, cross-source, at the student's step count vs the teacher at the defaults
        from training.evaluate import cross_source_adherence as X
        from training.models.networks import Decoder
        dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).to(dev).eval()
        scaling = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['scaling_factor']
        judges = [X.Judge(args.bundle, 0, 'project'), X.Judge(args.reference, 0, 'reference_v0')]
        n_per = 2 if args.smoke else 16
        conditions = X.conditions_from_pack(pack, n_per)
        findings = X.CLASSES
        if args.smoke:
            conditions = {k: v for k, v in conditions.items() if k in ('none', 'shenzhen')}
            findings = ['covid19', 'tuberculosis']
        for name, unet, steps in (('teacher_20_steps_two_passes', teacher, 20),
                                  (f'student_{halvings[-1] if halvings else 20}_steps_one_pass', OnePass(student, 5.0), halvings[-1] if halvings else 20)):
            with torch.no_grad():
                cells = X.measure_cells(unet, text, dec, scaling, pack.vocab, conditions, judges, n_per, 2 if args.smoke else steps, 5.0, 7, dev,
                                        findings=findings)
            metrics[name] = {'summary': X.summarize(cells, [j.name for j in judges]), 'cells': cells}
            T.log(name, json.dumps(metrics[name]['summary']))
    T.save_diffusion(args.out, T.rounded_state(student), T.rounded_state(text),
                     {'vocab': pack.vocab, 'unet': {'mask_channels': T.MASK_CHANNELS, 'guidance_input': True},
                      'distilled_steps': halvings[-1] if halvings else None})
    os.remove(os.path.join(args.out, 'text_encoder.npz'))  # unchanged: the bundle's
    for half in ('a', 'b'):
        os.replace(os.path.join(args.out, f'unet_{half}.npz'), os.path.join(args.out, f'unet_guided_{half}.npz'))
    with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=1)
    onnx_path = os.path.join(args.out, 'unet_guided.onnx')
    # last, and allowed to fail: the npz halves are the result; the ONNX file can be made again here
    if export_or_log(lambda: export(student, onnx_path), 'unet_guided.onnx', T.log) and os.path.getsize(onnx_path) > 15.5 * 2**20:
        os.remove(onnx_path)  # fp32 file: over the device tool's limit
    T.log('done')


if __name__ == '__main__':
    main()
