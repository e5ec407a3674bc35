"""Leave-one-source-out (LOSO): what to expect at a hospital the models never saw.

For each source (shenzhen, nih, kermany, ieee8023 + covid_multiseg, hannover, jsrt,
tbx11k) and each METHOD (a recipe of train_all.py: baseline = v1's, robust = issue 17's),
train the classifier and, where the held-out source has lung masks, the segmenter on the
other sources' train + val images, then score every image of the held-out source (all its
splits: it is unseen). Pictures that near_duplicates.tsv finds in the held-out source too
(hannover's 8 ieee8023 images) leave training.

Scores per held-out source: finding accuracy and macro F1 over the classes it has, per
class recall / F1 / AUC (AUC only where the source has that class and another: tbx11k and
hannover have one class each), abnormal-vs-normal F1 (and AUC where both occur), lung Dice
per mask source on its convention's channel (ieee8023 held out leaves no V7 masks to train
on: its Dice is then the Shenzhen channel's, marked cross_convention).

Every (source, method, model) is one job and one process. The segmenter jobs run at once on
the one GPU, then the classifier jobs, each with the same wall-clock budget as the others of
its kind, so every method gets the same share of the GPU. A job writes its
JSON when done; the parent merges finished jobs into loso.json and loso.md after each one,
so a timeout loses only unfinished jobs. `--full` adds jobs with nothing held out (the
shipping candidates: segmenter.npz and classifier.npz of the first method, measured on the
test splits as train_all.py does).

`--seg-sizes 256,128` trains every segmenter job at both sizes (train_all.py --seg-size;
issue 18). A 128 px segmenter is scored like a 256 px one: its logits upsampled to 256 px
(networks.SegAtSize, what export_onnx.py ships) against the full-resolution masks. Its
results carry the method name `<method>@128px`, and loso.md gets a table of the two sizes
side by side per held-out mask source, for the README's rule (ship 128 px only if within
0.01 Dice of 256 px on every one). --full's 128 px segmenter is segmenter_128.npz.

GPU (see training/README.md, "Next GPU session: source-robust models"):
    python3 -m training.evaluate.loso --pack .pack/cxr256.npz --out $OUT
CPU smoke (tiny budgets, 12 images per folder and split):
    python3 -m training.evaluate.loso --pack .pack/cxr256.npz --out /tmp/loso --smoke --sources jsrt,hannover
Outputs in --out: loso.json, loso.md, log.txt (and with --full: segmenter.npz, classifier.npz).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ['shenzhen', 'nih', 'kermany', 'ieee8023', 'hannover', 'jsrt', 'tbx11k']
MASK_SOURCES = {'shenzhen', 'ieee8023', 'jsrt'}
FULL = 'none'  # the fold with nothing held out
TARGETS = {'tuberculosis_auc': 0.85, 'covid19_auc': 0.80, 'abnormal_f1': 0.85, 'lung_dice': 0.95}
SEG_SIZE_MARGIN = 0.01  # README: ship the 128 px segmenter only if its held-out Dice stays within this of 256 px's


def method_label(method, seg_size=256):
    """The method's name in loso.json's folds and loso.md: the recipe, plus the segmenter's
    size where it is not 256 px."""
    return method if seg_size == 256 else f'{method}@{seg_size}px'


def parse_job(job):
    """'source:method:model[:seg_size]' -> (source, method, model, seg_size)."""
    source, method, model_kind, *size = job.split(':')
    return source, method, model_kind, int(size[0]) if size else 256


def hold_out(data, source):
    """Turn a loaded train_all.Data into one fold: the held-out source's images become
    split 'heldout', the others' val images join train, and any picture that is also in
    the held-out source leaves training."""
    held = data.source == source
    also_there = np.array([source in r.get('dup_sources', []) for r in data.records])
    data.trainable = data.trainable & ~held & ~also_there
    data.split = np.where(held, 'heldout', np.where(data.split == 'val', 'train', data.split))
    return int(also_there.sum())


def run_job(args):
    """One (source, method, model) job in this process; writes WORK/<job>.json."""
    import torch
    from training.train import train_all as T
    source, method, model_kind, seg_size = parse_job(args.job)
    name = f'{source}_{method}_{model_kind}' + ('' if seg_size == 256 else f'_{seg_size}')
    T.LOG = os.path.join(args.work, name + '.log')
    dev = torch.device('cuda' if torch.cuda.is_available() and not args.smoke else 'cpu')
    if dev.type == 'cuda':
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    data = T.Data(args.pack, dev, args.workers, per_group=12 if args.smoke else 0)
    res = {'source': source, 'method': method, 'model': model_kind, 'recipe': T.RECIPES[method]}
    if source != FULL:
        res['removed_as_duplicates'] = hold_out(data, source)
    train = data.idx('train', any_class=True)
    res['train_images'] = int(len(train))
    res['train_sources'] = sorted(set(data.source[train]))
    out_dir = args.out if source == FULL else args.work
    bs = dict(seg=4, cls=8) if args.smoke else dict(seg=32, cls=64)
    t0 = time.time()
    if model_kind == 'segmenter':
        res['seg_size'] = seg_size
        filename = 'segmenter.npz' if seg_size == 256 else f'segmenter_{seg_size}.npz'
        model = T.train_segmenter(data, args.seg_seconds, bs['seg'], out_dir, method, save=source == FULL, size=seg_size,
                                  filename=filename)
        res['train_mask_sources'] = {c: sorted(set(data.source[i] for i in data.idx('train', with_lung=True, any_class=True)
                                                   if data.convention[i] == c)) for c in T.CONVENTION_CHANNEL}
        if source == FULL:
            res['metrics'] = saved_metrics(os.path.join(out_dir, filename))
        else:
            res['scores'] = heldout_dice(T, model, data, res['train_mask_sources'])
    else:
        model = T.train_classifier(data, args.cls_seconds, bs['cls'], out_dir, method, save=source == FULL)
        if source == FULL:
            res['metrics'] = saved_metrics(os.path.join(out_dir, 'classifier.npz'))
        else:
            idx = np.nonzero(data.split == 'heldout')[0]
            prob, p_ab, _ = T.classifier_outputs(model, data, idx)
            res['scores'] = T.classifier_scores(prob, p_ab, data.cls[idx], data.abnormal[idx])
    res['seconds'] = round(time.time() - t0, 1)
    res['device'] = torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu'
    tmp = os.path.join(args.work, name + '.json.tmp')
    with open(tmp, 'w') as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, os.path.join(args.work, name + '.json'))


def saved_metrics(path):
    """The metrics train_all.py measured on the val and test splits and saved beside the weights."""
    return json.loads(bytes(np.load(path)['__meta__']).decode())['metrics']


def heldout_dice(T, model, data, train_mask_sources):
    """Dice of the held-out source's masks on its convention's channel, or on the other
    channel (cross_convention) when no training source had its convention."""
    idx = np.nonzero((data.split == 'heldout') & (data.lung_index >= 0))[0]
    out = {}
    for conv in sorted(set(data.convention[idx])):
        sel = idx[data.convention[idx] == conv]
        cross = not train_mask_sources.get(conv)
        if cross:
            data.convention[sel] = 'shenzhen' if conv == 'v7' else 'v7'
        out[conv] = T.dice_summary(T.lung_dice(model, data, sel), cross_convention=cross)
        data.convention[sel] = conv
    return out


def score_bundle(args):
    """Score an exported bundle's classifier and segmenter (onnxruntime, CPU) on sources
    it never trained on, in the same format as a fold: v1 never saw hannover, jsrt or
    tbx11k, so these are true held-out numbers for the shipped models."""
    import onnxruntime as ort
    import torch
    from training.train import train_all as T
    os.makedirs(args.work, exist_ok=True)
    method = os.path.basename(os.path.normpath(args.score_bundle))
    sess = {k: ort.InferenceSession(os.path.join(args.score_bundle, f'{k}.onnx'), providers=['CPUExecutionProvider'])
            for k in ('classifier', 'segmenter')}
    data = T.Data(args.pack, torch.device('cpu'), args.workers or 1, per_group=12 if args.smoke else 0)

    def run(kind, idx, bs=16):
        outs = [sess[kind].run(None, {'image': data.images01(idx[i:i + bs]).numpy()}) for i in range(0, len(idx), bs)]
        return [np.concatenate(parts) for parts in zip(*outs)]
    for source in args.sources.split(','):
        idx = np.nonzero(data.source == source)[0]
        logits, _, *abnormal = run('classifier', idx)
        prob = torch.softmax(torch.from_numpy(logits), 1).numpy()
        p_ab = 1 / (1 + np.exp(-abnormal[0][:, 0])) if abnormal else 1 - prob[:, 0]
        res = {'source': source, 'method': method, 'model': 'classifier', 'recipe': 'exported bundle, never trained on this source',
               'scores': T.classifier_scores(prob, p_ab, data.cls[idx], data.abnormal[idx])}
        with open(os.path.join(args.work, f'{source}_{method}_classifier.json'), 'w') as f:
            json.dump(res, f, indent=1)
        masked = idx[data.lung_index[idx] >= 0]
        if len(masked):
            (seg,) = run('segmenter', masked)
            out = {}
            for conv in sorted(set(data.convention[masked])):
                sel = data.convention[masked] == conv
                pred = torch.from_numpy(seg[sel, T.CONVENTION_CHANNEL[conv]] > 0).float()
                out[conv] = T.dice_summary(T.dice(pred, data.lung_masks(masked[sel])[:, 0]).numpy(), cross_convention=False)
            with open(os.path.join(args.work, f'{source}_{method}_segmenter.json'), 'w') as f:
                json.dump({'source': source, 'method': method, 'model': 'segmenter', 'scores': out}, f, indent=1)
        print(source, json.dumps(res['scores'])[:400], flush=True)


# ---------------------------------------------------------------- parent: schedule, merge, table

def jobs_for(sources, methods, models, full, seg_sizes=(256,)):
    """Job names 'source:method:model', ':<size>' appended to segmenter jobs not at 256 px."""
    seg = [':segmenter' + ('' if size == 256 else f':{size}') for size in seg_sizes]
    jobs = []
    for s in sources:
        for m in methods:
            if 'classifier' in models:
                jobs.append(f'{s}:{m}:classifier')
            if 'segmenter' in models and s in MASK_SOURCES:
                jobs += [f'{s}:{m}{kind}' for kind in seg]
    if full:
        for kind in models:
            jobs += [f'{FULL}:{methods[0]}{k}' for k in seg] if kind == 'segmenter' else [f'{FULL}:{methods[0]}:{kind}']
    return jobs


def merge(work, config):
    folds = {}
    for name in sorted(os.listdir(work)):
        if name.endswith('.json'):
            with open(os.path.join(work, name)) as f:
                r = json.load(f)
            label = method_label(r['method'], r.get('seg_size', 256))
            folds.setdefault(r['source'], {}).setdefault(label, {})[r['model']] = r
    return {'config': config, 'targets': TARGETS, 'folds': folds}


def _fmt(v):
    return '-' if v is None else f'{v:.3f}' if isinstance(v, float) else str(v)


def table(result):
    """Markdown: one row per held-out source and method, then a summary per method."""
    lines = ['| held-out source | method | n | classes | finding accuracy | macro F1 (present) | '
             'AUC (or recall) per class | abnormal F1 | lung Dice |', '|' + '---|' * 9]
    summary = {}
    for source in [s for s in SOURCES if s in result['folds']]:
        for method, models in sorted(result['folds'][source].items()):
            c = models.get('classifier', {}).get('scores', {})
            per = c.get('per_class', {})
            cells = [f"{k} {v['auc']:.3f}" if 'auc' in v else f"{k} recall {v['recall']:.3f}" for k, v in per.items()]
            seg = models.get('segmenter', {}).get('scores', {})
            dice = ', '.join(f"{conv} {v['dice_mean']:.3f}" + (' (cross-convention)' if v.get('cross_convention') else '')
                             for conv, v in seg.items()) or '-'
            ab = c.get('abnormal', {})
            both = bool(ab) and ab['n_normal'] > 0 and ab['n_abnormal'] > 0
            ab_cell = _fmt(ab.get('f1')) if both or not ab else f"{_fmt(ab.get('f1'))} (no {'normals' if ab['n_normal'] == 0 else 'abnormals'})"
            lines.append(f"| {source} | {method} | {c.get('n', '-')} | {', '.join(c.get('classes_present', [])) or '-'} | "
                         f"{_fmt(c.get('accuracy'))} | {_fmt(c.get('macro_f1_present'))} | {'; '.join(cells) or '-'} | "
                         f"{ab_cell} | {dice} |")
            s = summary.setdefault(method, {'abnormal_f1': [], 'macro_f1': [], 'dice': [], 'targets_met': 0, 'targets': 0})
            if both:  # on a one-class source F1 is recall in disguise (precision is 1 or 0)
                s['abnormal_f1'].append(ab['f1'])
                s['targets'] += 1
                s['targets_met'] += ab['f1'] >= TARGETS['abnormal_f1']
            if 'macro_f1_present' in c:
                s['macro_f1'].append(c['macro_f1_present'])
            for cls, key in (('tuberculosis', 'tuberculosis_auc'), ('covid19', 'covid19_auc')):
                if 'auc' in per.get(cls, {}):
                    s['targets'] += 1
                    s['targets_met'] += per[cls]['auc'] >= TARGETS[key]
            for v in seg.values():
                if not v.get('cross_convention'):
                    s['dice'].append(v['dice_mean'])
                    s['targets'] += 1
                    s['targets_met'] += v['dice_mean'] >= TARGETS['lung_dice']
    lines += ['', '| method | mean abnormal F1 | mean macro F1 (present) | mean lung Dice | targets met |', '|---|---|---|---|---|']
    mean = lambda xs: float(np.mean(xs)) if xs else None
    for method, s in sorted(summary.items()):
        n_ab = len(s['abnormal_f1'])
        lines.append(f"| {method} | {_fmt(mean(s['abnormal_f1']))} ({n_ab} source{'' if n_ab == 1 else 's'}) | "
                     f"{_fmt(mean(s['macro_f1']))} | {_fmt(mean(s['dice']))} ({len(s['dice'])}) | {s['targets_met']} of {s['targets']} |")
    lines += ['', 'Abnormal F1 counts only where a source has both normal and abnormal images (JSRT: its lung nodules '
              'are abnormal). A one-class source (Hannover, TBX11K) shows recall only, which a shortcut can inflate.',
              f"Targets: tuberculosis AUC >= {TARGETS['tuberculosis_auc']}, covid-19 AUC >= {TARGETS['covid19_auc']}, "
              f"abnormal-vs-normal F1 >= {TARGETS['abnormal_f1']}, lung Dice >= {TARGETS['lung_dice']} (own convention)."]
    return '\n'.join(lines) + '\n' + seg_size_table(result)


def seg_size_table(result):
    """Markdown: held-out lung Dice of each method's segmenter at 128 px beside 256 px, per
    held-out mask source and convention, and whether every one is within SEG_SIZE_MARGIN
    ('' when no fold has a 128 px segmenter)."""
    rows, verdict = [], {}
    for source in [s for s in SOURCES if s in result['folds']]:
        fold = result['folds'][source]
        for label in sorted(fold):
            if '@' not in label or 'segmenter' not in fold[label]:
                continue
            method = label.split('@')[0]
            small = fold[label]['segmenter']['scores']
            big = fold.get(method, {}).get('segmenter', {}).get('scores', {})
            for conv, v in small.items():
                if conv not in big:
                    continue
                diff = v['dice_mean'] - big[conv]['dice_mean']
                ok = diff >= -SEG_SIZE_MARGIN
                verdict.setdefault(label, []).append(ok)
                cross = ' (cross-convention)' if v.get('cross_convention') else ''
                rows.append(f"| {source} | {conv}{cross} | {method} | {big[conv]['dice_mean']:.3f} | {v['dice_mean']:.3f} | "
                            f"{diff:+.3f} | {'yes' if ok else 'no'} |")
    if not rows:
        return ''
    lines = ['', f'Segmenter at 128 px vs 256 px (held-out lung Dice; 128 px ships only if within {SEG_SIZE_MARGIN} of '
             '256 px on every held-out mask source):', '',
             '| held-out source | mask convention | method | 256 px | 128 px | 128 - 256 | within |', '|' + '---|' * 7, *rows, '']
    lines += [f"{label}: {sum(oks)} of {len(oks)} within {SEG_SIZE_MARGIN}" + (' (all)' if all(oks) else '')
              for label, oks in sorted(verdict.items())]
    return '\n'.join(lines) + '\n'


def last_error(work, job):
    """The last line a failed job wrote to its stderr (the exception, for a crash), so the
    device call's output tail says why without fetching the job files."""
    path = os.path.join(work, job.replace(':', '_') + '.err')
    with open(path, errors='replace') as f:
        lines = [line.strip() for line in f if line.strip()]
    return lines[-1][:300] if lines else 'nothing on stderr'


def write_outputs(out, work, config):
    result = merge(work, config)
    for name, text in (('loso.json', json.dumps(result, indent=1)), ('loso.md', table(result))):
        tmp = os.path.join(out, name + '.tmp')
        with open(tmp, 'w') as f:
            f.write(text)
        os.replace(tmp, os.path.join(out, name))
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--methods', default='baseline,robust', help='comma-separated train_all.RECIPES')
    ap.add_argument('--sources', default=','.join(SOURCES))
    ap.add_argument('--models', default='classifier,segmenter', help='which models to train per fold')
    ap.add_argument('--full', action='store_true', help='also train the first method on every source (to ship)')
    ap.add_argument('--seg-sizes', default='256', help='comma-separated px each segmenter job trains at (256,128: both; '
                                                       'train_all.py --seg-size)')
    ap.add_argument('--seg-seconds', type=float, default=150, help='wall-clock training budget of each segmenter job')
    ap.add_argument('--cls-seconds', type=float, default=180, help='wall-clock training budget of each classifier job')
    ap.add_argument('--parallel', type=int, default=0, help='jobs at once within a group (0: all)')
    ap.add_argument('--one-group', action='store_true', help='run segmenter and classifier jobs at once, not one group after the other')
    ap.add_argument('--deadline', type=float, default=460, help='seconds after start: unfinished jobs are stopped')
    ap.add_argument('--workers', type=int, default=0, help='JPEG decode processes per job (0: cores / jobs)')
    ap.add_argument('--smoke', action='store_true', help='CPU, 12 images per folder and split, tiny batches')
    ap.add_argument('--score-bundle', help='instead of training: score this exported bundle (onnxruntime) on --sources '
                                           'it never trained on (v1: hannover,jsrt,tbx11k)')
    ap.add_argument('--job', help=argparse.SUPPRESS)
    ap.add_argument('--work', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.job:
        run_job(args)
        return
    if args.score_bundle:
        os.makedirs(args.out, exist_ok=True)
        args.work = args.work or os.path.join(args.out, 'jobs')
        score_bundle(args)
        print(table(write_outputs(args.out, args.work, {k: v for k, v in vars(args).items() if k not in ('job', 'work')})))
        return

    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    # job files stay off $OUT on the GPU machine (8 files come back); smoke runs keep them
    work = args.work or (os.path.join(args.out, 'jobs') if args.smoke else '/tmp/loso-jobs')
    os.makedirs(work, exist_ok=True)
    for name in os.listdir(work):  # a warm machine keeps /tmp: never merge an earlier call's jobs
        if name.endswith(('.json', '.log', '.err')):
            os.remove(os.path.join(work, name))
    methods, sources = args.methods.split(','), args.sources.split(',')
    seg_sizes = [int(x) for x in args.seg_sizes.split(',')]
    jobs = jobs_for(sources, methods, args.models.split(','), args.full, seg_sizes)
    parallel = args.parallel or len(jobs)
    workers = args.workers or max(1, (os.cpu_count() or 1) // min(parallel, len(jobs)))
    config = {k: v for k, v in vars(args).items() if k not in ('job', 'work')}
    config.update(jobs=jobs, parallel=parallel)
    log_path = os.path.join(args.out, 'log.txt')

    def log(msg):
        line = f'[{time.time() - t0:6.1f}s] {msg}'
        print(line, flush=True)
        with open(log_path, 'a') as f:
            f.write(line + '\n')

    log(f'{len(jobs)} jobs, {parallel} at once, {workers} decode workers each: {jobs}')
    # Segmenter jobs first, then classifier jobs (--one-group: all at once). A segmenter
    # step costs several classifier steps, so sharing the GPU with fewer jobs evens the steps.
    kinds = [k for k in ('segmenter', 'classifier') if any(parse_job(j)[2] == k for j in jobs)]
    groups = [jobs] if args.one_group else [[j for j in jobs if parse_job(j)[2] == k] for k in kinds]
    pending, running, done = list(groups.pop(0)), {}, []
    while pending or running or groups:
        if not pending and not running:
            pending = list(groups.pop(0))
        while pending and len(running) < parallel:
            job = pending.pop(0)
            cmd = [sys.executable, '-m', __spec__.name, '--job', job, '--work', work, '--pack', args.pack,
                   '--out', args.out, '--seg-seconds', str(args.seg_seconds), '--cls-seconds', str(args.cls_seconds),
                   '--workers', str(workers)] + (['--smoke'] if args.smoke else [])
            running[job] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, job.replace(':', '_') + '.err'), 'w'))
        for job, proc in list(running.items()):
            if proc.poll() is not None:
                del running[job]
                done.append(job)
                log(f'{job} finished (exit {proc.returncode})' + (f': {last_error(work, job)}' if proc.returncode else ''))
                write_outputs(args.out, work, config)
        if time.time() - t0 > args.deadline:
            for job, proc in running.items():
                proc.kill()
                log(f'{job} stopped at the deadline')
            break
        time.sleep(1)
    result = write_outputs(args.out, work, config)
    with open(log_path, 'a') as f:
        for name in sorted(os.listdir(work)):
            if name.endswith(('.log', '.err')) and os.path.getsize(os.path.join(work, name)):
                with open(os.path.join(work, name)) as g:
                    f.write(f'\n--- {name} ---\n' + g.read()[-4000:])
    n_results = sum(len(m) for f in result['folds'].values() for m in f.values())
    log(f"done: {n_results} results of {len(jobs)} jobs")
    print(table(result))
    if not n_results:  # a device call that trained nothing must not read as a success
        sys.exit(1)


if __name__ == '__main__':
    main()
