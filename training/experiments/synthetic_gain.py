"""Does synthetic data help? (issue 22) The downstream classifier and lung segmenter
trained end to end from scratch, with and without the shipped generator's images, at
several real-data sizes, scored on sources the generator never saw.

Stages (each resumable; `all` runs pool, grid and report in order):
  pack    real images at 128x128 (.gpu/synthetic/real.npz), the conditioning masks the
          pool needs (cond.npz) and the reference-v0 judge (reference-v0/), from ../shared
  pool    the generator's images with their proxy and judge scores (synthetic_pool.py)
  grid    every (task, real-data size, arm, seed) cell (synthetic_cells.py) in parallel
          processes on one device; each finished cell is appended to OUT/cells.jsonl
  report  synthetic_report.py: JSON of every cell, RESULTS.md table, gain plot

    /usr/bin/python3 -m training.experiments.synthetic_gain --smoke            # the whole path on the CPU, tiny
    /usr/bin/python3 -m training.experiments.synthetic_gain pack               # here, once
    python3 -m training.experiments.synthetic_gain pool --out $OUT              # device session 1 (training/README.md)
    python3 -m training.experiments.synthetic_gain grid --out $OUT --resume .gpu/synthetic/cells.jsonl --deadline 540
"""
import argparse
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from training.experiments.synthetic_data import (GENERATOR_UNSEEN, SIDE, Real, read_reviewed_export, unpack_images,  # noqa: E402
                            write_cond_pack, write_real_pack)

WORK = os.path.join(HERE, '..', '.gpu', 'synthetic')
SHARED = os.environ.get('CXR_SHARED', os.path.join(HERE, '..', '..', 'shared'))
BUNDLE = os.path.join(HERE, '..', 'public', 'models', 'cxr-studio-v1')
REFERENCE_FILES = ('classifier.onnx', 'segmenter.onnx')


class Context:
    """A worker's data, on its device as uint8 tensors at the training side."""

    def __init__(self, cfg, device):
        import torch
        import torch.nn.functional as F
        from training.experiments.synthetic_data import CHANNEL
        self.cfg, self.device = cfg, torch.device(device)
        side = cfg['side']

        def images(a):
            t = torch.from_numpy(np.ascontiguousarray(a))[:, None]
            if side != SIDE:
                t = F.interpolate(t.float(), size=(side, side), mode='area').round().byte()
            return t.to(self.device)

        def masks(a):
            t = torch.from_numpy(np.ascontiguousarray(a)).float()[:, None]
            if side != SIDE:
                t = F.interpolate(t, size=(side, side), mode='area')
            return (t[:, 0] >= 0.5).byte().to(self.device)

        channel = lambda conv: torch.as_tensor([CHANNEL[c] for c in conv], device=self.device, dtype=torch.long)
        real = Real(cfg['real'])
        tr_c, tr_s = real.idx('train', 'cls'), real.idx('train', 'seg')
        te_c, te_s = real.idx('test', 'cls'), real.idx('test', 'seg')
        cls = lambda idx: torch.as_tensor(real.cls[idx], device=self.device)
        self.train = {'cls': (images(real.images[tr_c]), cls(tr_c), None),
                      'seg': (images(real.images[tr_s]), masks(real.masks[tr_s]), channel(real.convention[tr_s]))}
        self.train_labels = {'cls': self.train['cls'][1], 'seg': self.train['seg'][2]}
        self.test_images = {'cls': images(real.images[te_c]), 'seg': images(real.images[te_s])}
        self.test_targets = {'cls': cls(te_c), 'seg': masks(real.masks[te_s])}
        pool = dict(np.load(cfg['pool']))
        self.pool = pool
        pool_masks = np.unpackbits(pool['masks'], axis=2)[:, :, :SIDE]
        pool_conv = [c or 'shenzhen' for c in pool['convention']]
        self.pool_data = (images(unpack_images(pool['jpeg'], pool['offsets'])), pool['cls'].astype(np.int64),
                          masks(pool_masks), channel(pool_conv))
        self.reviews = None
        if cfg.get('reviews'):
            r = read_reviewed_export(cfg['reviews'])
            with_mask = [i for i, m in enumerate(r['masks']) if m is not None and r['convention'][i] in CHANNEL]
            with_cls = np.nonzero(r['cls'] >= 0)[0]
            self.reviews = {
                'cls': (images(r['images'][with_cls]), torch.as_tensor(r['cls'][with_cls], device=self.device), None),
                'seg': (images(r['images'][with_mask]), masks(np.stack([r['masks'][i] for i in with_mask]) if with_mask
                                                              else np.zeros((0, SIDE, SIDE), np.uint8)),
                        channel([r['convention'][i] for i in with_mask]))}

    def train_set(self, task, pos):
        import torch
        p = torch.as_tensor(pos, device=self.device)
        return tuple(None if a is None else a[p] for a in self.train[task])

    def synthetic(self, task, arm):
        import torch
        from training.experiments.synthetic_cells import synthetic_set
        if arm == 'real+reviewed':
            return self.reviews[task]
        pos = synthetic_set(self.pool, task, arm, self.cfg['cls_threshold'], self.cfg['seg_threshold'])
        if pos is None:
            return None
        imgs, cls, pm, ch = self.pool_data
        p = torch.as_tensor(pos, device=self.device, dtype=torch.long)
        if task == 'cls':
            return imgs[p], torch.as_tensor(cls[pos], device=self.device), None
        return imgs[p], pm[p], ch[p]


_CTX = None


def _init_worker(cfg, device, threads):
    global _CTX
    import torch
    torch.set_num_threads(threads)
    if device == 'cuda':
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    _CTX = Context(cfg, device)


def _run(args):
    cell, deadline, estimate = args
    from training.experiments.synthetic_cells import run_cell
    if time.time() + estimate > deadline:
        return dict(cell, skipped='deadline')
    try:
        return run_cell(_CTX, cell)
    except Exception as e:  # one failing cell must not end the session's other cells
        import traceback
        return dict(cell, skipped=f'error: {e!r}', traceback=traceback.format_exc()[-2000:])


def plan_cells(cfg):
    """Seed-major order, so a session that stops early has whole seeds."""
    from training.experiments.synthetic_cells import ARMS
    cells = []
    for seed in range(cfg['seeds']):
        for task in cfg['tasks']:
            arms = ARMS[task] + (['real+reviewed'] if task in cfg.get('reviewed_tasks', []) else [])
            for size in cfg['sizes']:
                if size == 'rare' and task == 'seg':
                    continue  # a rare finding is a classification setting; masks have no finding
                for arm in arms:
                    cells.append({'key': f'{task}/{size}/{arm}/seed{seed}', 'task': task, 'size': size, 'arm': arm,
                                  'seed': seed, 'config_id': cfg['config_id']})
    return cells


def config(args, out):
    cfg = {
        'real': args.real, 'pool': args.pool, 'reviews': args.reviews, 'side': args.side, 'models': args.models,
        'steps': {'cls': args.cls_steps, 'seg': args.seg_steps}, 'batch': {'cls': args.cls_batch, 'seg': args.seg_batch},
        'lr': args.lr, 'syn_share': args.syn_share, 'cls_threshold': args.cls_threshold, 'seg_threshold': args.seg_threshold,
        'rare_class': args.rare_class, 'rare_count': args.rare_count, 'sizes': args.sizes.split(','), 'seeds': args.seeds,
        'tasks': args.tasks.split(','),
    }
    from training.data.cxrdata import CLASSES
    cfg['rare_class'] = CLASSES.index(args.rare_class)
    cfg['rare_class_name'] = args.rare_class
    pool_meta = json.loads(str(np.load(args.pool)['meta']))
    what = {k: v for k, v in cfg.items() if k not in ('real', 'pool', 'reviews', 'seeds', 'sizes', 'tasks')}
    what['pool'], what['real'] = pool_meta, json.loads(str(np.load(args.real)['meta']))
    if args.reviews:
        from training.experiments.synthetic_data import CHANNEL
        r = read_reviewed_export(args.reviews)
        usable = {'cls': int((r['cls'] >= 0).sum()),
                  'seg': sum(m is not None and c in CHANNEL for m, c in zip(r['masks'], r['convention']))}
        cfg['reviews_accepted'] = {'rows': r['rows'], 'accepted': r['accepted'], **usable}
        cfg['reviewed_tasks'] = [t for t, n in usable.items() if n]
        what['reviews'] = cfg['reviews_accepted']
    cfg['config_id'] = hashlib.sha1(json.dumps(what, sort_keys=True).encode()).hexdigest()[:12]
    return cfg, pool_meta


def grid(args, log):
    import torch
    cfg, pool_meta = config(args, args.out)
    real = Real(args.real)
    te = real.idx('test', 'cls')
    header = {'config': dict(cfg, rare_class=cfg['rare_class_name']), 'pool': pool_meta,
              'test': {'sources': real.meta['test_sources'], 'cls_labels': real.cls[te].tolist(),
                       'cls_sources': real.source[te].tolist(), 'seg_n': int(len(real.idx('test', 'seg'))),
                       'seg_sources': sorted(set(real.source[real.idx('test', 'seg')].tolist()))},
              'train': {'cls_n': int(len(real.idx('train', 'cls'))), 'seg_n': int(len(real.idx('train', 'seg')))}}
    cells_path = os.path.join(args.out, 'cells.jsonl')
    done = {}
    for path in [p for p in (args.resume, cells_path) if p and os.path.exists(p)]:
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                if row.get('config_id') == cfg['config_id'] and 'skipped' not in row:
                    done[row['key']] = row
    with open(cells_path, 'w') as f:
        f.write(json.dumps({'header': header}) + '\n')
        for row in done.values():
            f.write(json.dumps(row) + '\n')
    todo = [c for c in plan_cells(cfg) if c['key'] not in done]
    device = 'cuda' if torch.cuda.is_available() and not args.smoke else 'cpu'
    log(f'grid: {len(done)} cells already done, {len(todo)} to run on {device} with {args.workers} workers; '
        f'train cls {header["train"]["cls_n"]} / seg {header["train"]["seg_n"]}, test cls {len(te)} / seg '
        f'{header["test"]["seg_n"]} ({", ".join(header["test"]["sources"])}); config {cfg["config_id"]}')
    deadline = args.t0 + args.deadline
    threads = max(1, (os.cpu_count() or 2) // max(1, args.workers))
    finished, durations = 0, []
    estimate = lambda: 1.2 * (np.mean(durations) if durations else 0.0)

    def record(row):
        nonlocal finished
        with open(cells_path, 'a') as f:
            f.write(json.dumps(row) + '\n')
        if row.get('skipped', '').startswith('error'):
            log(f"{row['key']}: FAILED {row['skipped']}\n{row['traceback']}")
        if 'skipped' not in row:
            finished += 1
            durations.append(row['seconds'])
            log(f"{row['key']}: {row['seconds']:.0f}s, n_real {row['n_real']}, n_synthetic {row['n_synthetic']}, "
                f"loss {row['last_loss']}")

    if args.workers <= 1:
        _init_worker(cfg, device, threads)
        for cell in todo:
            row = _run((cell, deadline, estimate()))
            record(row)
    else:
        ctx = mp.get_context('spawn')
        with ctx.Pool(args.workers, initializer=_init_worker, initargs=(cfg, device, threads)) as pool:
            it = pool.imap_unordered(_run, [(c, deadline, 0.0) for c in todo])
            for _ in todo:
                try:
                    row = it.next(timeout=max(1.0, deadline - time.time()))
                except mp.TimeoutError:
                    log('grid: deadline reached, stopping the workers')
                    pool.terminate()
                    break
                record(row)
    left = len(todo) - finished
    log(f'grid: {finished} cells finished this run, {left} left; mean {np.mean(durations) if durations else 0:.1f}s per cell')
    return cells_path, left


def make_pool(args, log):
    import torch
    from training.experiments.synthetic_pool import make_pool as build
    device = 'cuda' if torch.cuda.is_available() and not args.smoke else 'cpu'
    n = build(args.bundle, args.map, args.cond, args.reference, args.pool, args.n_class, args.n_mask, steps=args.pool_steps,
              guidance=args.guidance, batch=args.pool_batch, deadline=args.t0 + args.deadline, device=device, log=log)
    mib = os.path.getsize(args.pool) / 2**20
    log(f'pool: {n} images in {args.pool} ({mib:.1f} MiB)')
    if mib > 16:
        log('pool: too large to come back from the device (16 MiB a file): make it again with a smaller --n-class / --n-mask')


def pack(args, log):
    from training.data.cxrdata import SOURCES
    unknown = set(args.test_sources.split(',')) - set(SOURCES.values())
    if unknown:
        raise SystemExit(f'--test-sources: unknown {sorted(unknown)}; sources are {sorted(set(SOURCES.values()))}')
    os.makedirs(os.path.dirname(os.path.abspath(args.real)), exist_ok=True)
    n_train, n_test = write_real_pack(args.data, args.test_sources.split(','), args.real, args.limit_per_folder)
    write_cond_pack(args.real, args.cond)
    os.makedirs(args.reference, exist_ok=True)
    for name in REFERENCE_FILES:
        shutil.copyfile(os.path.join(SHARED, 'models', 'reference-v0', name), os.path.join(args.reference, name))
    log(f'pack: {n_train} train and {n_test} test images in {args.real} ({os.path.getsize(args.real) / 2**20:.1f} MiB), '
        f'cond {os.path.getsize(args.cond) / 2**10:.0f} KiB, reference-v0 judge in {args.reference}')


def ensure_map(args, log):
    """A readable weight map (bundle_weights.py map), made here if absent or unreadable (another
    process may be rewriting the shared one: the smoke preset then makes its own)."""
    try:
        with open(args.map) as f:
            json.load(f)['files']
        return
    except (OSError, ValueError, KeyError):
        pass
    from training.models import bundle_weights
    import torch
    if args.smoke:
        args.map = os.path.join(args.out, 'weight_map.json')
    vocab = json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab']
    log(f'{args.map} is absent or unreadable: mapping the bundle (bundle_weights.py map, ~1 min)')
    os.makedirs(os.path.dirname(os.path.abspath(args.map)), exist_ok=True)
    with open(args.map + '.tmp', 'w') as f:
        json.dump({'torch': torch.__version__, 'vocab_size': len(vocab), 'files': bundle_weights.make_map(len(vocab))}, f)
    os.replace(args.map + '.tmp', args.map)


# The smoke preset proves the path, never the numbers; no deadline cuts it short (a shared CPU is slow).
SMOKE = {'limit_per_folder': 12, 'n_class': 1, 'n_mask': 1, 'pool_steps': 2, 'pool_batch': 8, 'side': 64, 'models': 'smoke',
         'cls_steps': 2, 'seg_steps': 2, 'cls_batch': 8, 'seg_batch': 4, 'sizes': '10,rare', 'seeds': 3, 'rare_count': 2,
         'workers': 1, 'resamples': 50, 'cls_threshold': 0.3, 'seg_threshold': 0.6, 'deadline': 24 * 3600}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('stage', nargs='?', default='all', choices=['pack', 'pool', 'grid', 'report', 'all'])
    ap.add_argument('--smoke', action='store_true', help='the whole path (pack, pool, grid, report) tiny, on the CPU')
    ap.add_argument('--out', default=None, help='cells.jsonl, log.txt, pool and report go here')
    ap.add_argument('--data', default=os.path.join(SHARED, 'data', 'cxr256'))
    ap.add_argument('--test-sources', default=','.join(GENERATOR_UNSEEN),
                    help='held-out sources (cxrdata SOURCES); the default ones the generator never saw')
    ap.add_argument('--limit-per-folder', type=int, default=0)
    ap.add_argument('--real', default=os.path.join(WORK, 'real.npz'))
    ap.add_argument('--cond', default=os.path.join(WORK, 'cond.npz'))
    ap.add_argument('--reference', default=os.path.join(WORK, 'reference-v0'))
    ap.add_argument('--pool', default=None, help='pool .npz (default OUT/pool.npz)')
    ap.add_argument('--bundle', default=BUNDLE)
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--n-class', type=int, default=350, help='pool images per finding (class prompts)')
    ap.add_argument('--n-mask', type=int, default=300, help='pool images per mask source (each + one variant)')
    ap.add_argument('--pool-steps', type=int, default=20)
    ap.add_argument('--pool-batch', type=int, default=128)
    ap.add_argument('--guidance', type=float, default=5.0)
    ap.add_argument('--reviews', default=None, help="the Curate page's dataset export (zip or folder): adds real+reviewed")
    ap.add_argument('--tasks', default='cls,seg')
    ap.add_argument('--sizes', default='5,10,25,100,rare', help='percent of the training split, and rare')
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--rare-class', default='tuberculosis')
    ap.add_argument('--rare-count', type=int, default=20, help='real images of the rare class in the rare setting')
    ap.add_argument('--side', type=int, default=SIDE)
    ap.add_argument('--models', default='full', choices=['full', 'smoke'])
    ap.add_argument('--cls-steps', type=int, default=1500)
    ap.add_argument('--seg-steps', type=int, default=1500)
    ap.add_argument('--cls-batch', type=int, default=64)
    ap.add_argument('--seg-batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--syn-share', type=float, default=0.5, help='share of each batch drawn from the synthetic set')
    ap.add_argument('--cls-threshold', type=float, default=0.5, help='proxy filter: p(prompted finding) >= this')
    ap.add_argument('--seg-threshold', type=float, default=0.9, help='proxy filter: Dice(segmenter, mask) >= this')
    ap.add_argument('--workers', type=int, default=6, help='parallel cell processes on the one device')
    ap.add_argument('--resume', default=None, help='an earlier cells.jsonl: its finished cells (same config) are kept')
    ap.add_argument('--deadline', type=float, default=540, help='seconds after start by which everything is saved')
    ap.add_argument('--resamples', type=int, default=1000)
    args = ap.parse_args()
    args.t0 = time.time()
    if args.smoke:
        args.out = args.out or '/tmp/synthetic_smoke'
        for k, v in SMOKE.items():
            setattr(args, k, v)
        args.real, args.cond = os.path.join(args.out, 'real.npz'), os.path.join(args.out, 'cond.npz')
        args.reference = os.path.join(args.out, 'reference-v0')
    if args.out is None:
        ap.error('--out is required (or --smoke)')
    os.makedirs(args.out, exist_ok=True)
    args.pool = args.pool or os.path.join(args.out, 'pool.npz')
    log_path = os.path.join(args.out, 'log.txt')

    def log(msg):
        line = f'{time.strftime("%H:%M:%S")} {time.time() - args.t0:6.0f}s {msg}'
        print(line, flush=True)
        with open(log_path, 'a') as f:
            f.write(line + '\n')

    stages = ['pack', 'pool', 'grid', 'report'] if args.smoke else ['pool', 'grid', 'report'] if args.stage == 'all' else [args.stage]
    if 'pool' in stages and os.path.exists(args.pool) and args.stage == 'all' and not args.smoke:
        stages.remove('pool')
        log(f'pool: using {args.pool}')
    for stage in stages:
        if stage == 'pack':
            pack(args, log)
        elif stage == 'pool':
            ensure_map(args, log)
            make_pool(args, log)
        elif stage == 'grid':
            grid(args, log)
        else:
            from training.experiments.synthetic_report import render
            render(os.path.join(args.out, 'cells.jsonl'), args.out, args.resamples)
            log(f'report: {args.out}/synthetic_gain.json, .md, .png')


if __name__ == '__main__':
    main()
