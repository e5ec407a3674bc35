"""Reference computation for `cxr-studio evaluate`, in another language on the same
predictions: reads the per-image results the CLI wrote (--predictions JSON) and, for
segmentation, the predicted masks (--save-masks DIR) and the ground-truth masks, and
recomputes every headline number with scikit-learn / numpy. Prints JSON.

Run: /usr/bin/python3 -m training.evaluate.reference_evaluation PREDICTIONS.json [PRED_MASK_DIR TRUTH_MASK_DIR]

Rules, as the TypeScript summary states them: arg-max prediction (multi-label: every
class with p >= threshold, src/core/evaluation/multiLabelSummary.ts); macro (and weighted)
averages over the classes with examples in the truth, micro over the labels in truth or
prediction (sklearn `labels=`); AUC one-vs-rest per class
present in the truth; Dice/IoU with MONAI's empty-truth rule named in the settings;
bootstrap intervals from mulberry32 indices (src/core/rng.ts) and numpy percentiles."""
import json, math, os, sys
import numpy as np
from PIL import Image
from scipy.ndimage import binary_erosion, distance_transform_edt
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             jaccard_score, precision_recall_fscore_support, roc_auc_score)

from training.golden.mulberry32 import mulberry32


def interval(n, statistic, boot):
    u = mulberry32(boot['seed'])
    samples = []
    for _ in range(boot['iterations']):
        idx = np.array([int(u() * n) for _ in range(n)])
        samples.append(statistic(idx))
    samples = np.array([s for s in samples if not math.isnan(s)])
    tail = (1 - boot['level']) / 2 * 100
    return {'estimate': statistic(np.arange(n)), 'low': float(np.percentile(samples, tail)), 'high': float(np.percentile(samples, 100 - tail))}


def classification(cases, classes, settings):
    rows = [c for c in cases if 'error' not in c and c.get('classIndex') is not None and c.get('probabilities')]
    if not rows:
        return None
    y = np.array([c['classIndex'] for c in rows])
    p = np.array([c['probabilities'] for c in rows], dtype=float)
    pred = p.argmax(axis=1)
    zd = settings['zeroDivision']
    present = sorted(set(y.tolist()))
    union = sorted(set(y.tolist()) | set(pred.tolist()))
    per_p, per_r, per_f, per_s = precision_recall_fscore_support(y, pred, labels=list(range(len(classes))), zero_division=zd)
    out = {
        'confusion': confusion_matrix(y, pred, labels=list(range(len(classes)))).tolist(),
        'accuracy': float(accuracy_score(y, pred)),
        'per_class': {'precision': per_p.tolist(), 'recall': per_r.tolist(), 'f1': per_f.tolist(), 'support': per_s.tolist()},
    }
    for avg in ('macro', 'micro', 'weighted'):
        # macro and weighted over the classes with examples in the test set; micro over every class seen
        pr, rc, f, _ = precision_recall_fscore_support(y, pred, labels=union if avg == 'micro' else present, average=avg, zero_division=zd)
        out[avg] = {'precision': float(pr), 'recall': float(rc), 'f1': float(f)}
    auc = {}
    if len(present) > 1:
        for k in present:
            auc[classes[k]] = {'auc': float(roc_auc_score(y == k, p[:, k])), 'average_precision': float(average_precision_score(y == k, p[:, k]))}
        out['auc_macro'] = float(np.mean([auc[classes[k]]['auc'] for k in present]))
    out['auc'] = auc

    def auc_macro(idx):
        vals = []
        for k in present:
            t = y[idx] == k
            if t.all() or not t.any():
                return float('nan')
            vals.append(roc_auc_score(t, p[idx, k]))
        return float(np.mean(vals))

    boot = settings['bootstrap']
    out['ci'] = {
        'accuracy': interval(len(y), lambda i: float(accuracy_score(y[i], pred[i])), boot),
        'macro_f1': interval(len(y), lambda i: float(f1_score(y[i], pred[i], labels=present, average='macro', zero_division=zd)), boot),
    }
    if len(present) > 1:
        out['ci']['auc_macro'] = interval(len(y), auc_macro, boot)
    return out


def dice_iou(pred, truth, rule):
    if truth.sum() == 0 and rule == 'ignore-empty':
        return None, None
    if truth.sum() == 0:
        return (1.0 if pred.sum() == 0 else 0.0), (1.0 if pred.sum() == 0 else 0.0)
    d = 2.0 * np.logical_and(pred, truth).sum() / (pred.sum() + truth.sum())
    return float(d), float(jaccard_score(truth.ravel(), pred.ravel()))


def hd95(pred, truth):
    # MONAI compute_hausdorff_distance(percentile=95) with scipy, as training/golden/golden_metrics.py
    ep = pred ^ binary_erosion(pred)
    et = truth ^ binary_erosion(truth)
    if not ep.any() or not et.any():
        return float('nan')
    return float(max(np.percentile(distance_transform_edt(~et)[ep], 95), np.percentile(distance_transform_edt(~ep)[et], 95)))


def segmentation(cases, settings, pred_dir, truth_dir):
    dices, ious, hds = [], [], []
    for c in cases:
        if 'error' in c or 'maskError' in c or c.get('dice') is None and c.get('mask') is None:
            continue
        if 'dice' not in c:
            continue
        stem = c['stem']
        pred = np.array(Image.open(os.path.join(pred_dir, stem + '.png'))) > 127
        truth_img = np.array(Image.open(os.path.join(truth_dir, os.path.basename(c['mask']))).convert('L')).astype(float)
        truth = truth_img >= truth_img.max() / 2 if truth_img.max() > 0 else np.zeros_like(truth_img, bool)
        d, j = dice_iou(pred, truth, settings['emptyTruth'])
        if d is not None:
            dices.append(d)
            ious.append(j)
            if settings.get('hd95'):
                h = hd95(pred, truth)
                if not math.isnan(h):
                    hds.append(h)
    dices, ious = np.array(dices), np.array(ious)
    boot = settings['bootstrap']
    out = {'n': len(dices), 'mean_dice': float(dices.mean()), 'median_dice': float(np.median(dices)), 'mean_iou': float(ious.mean()),
           'ci': {'mean_dice': interval(len(dices), lambda i: float(dices[i].mean()), boot)}}
    if settings.get('hd95'):
        hds = np.array(hds)
        out['hd95'] = {'n': len(hds), 'mean': float(hds.mean()), 'median': float(np.median(hds))}
        out['ci']['mean_hd95'] = interval(len(hds), lambda i: float(hds[i].mean()), boot)
    return out


def multi_label(cases, classes, settings):
    """Indicator matrices; predicted = p >= threshold; scores over the labels present in the
    truth or the predictions (sklearn `labels=`), macro only over labels with positives in
    the truth; AUC per label with both values in the truth."""
    rows = [c for c in cases if 'error' not in c and c.get('classIndices') is not None and c.get('probabilities')]
    if not rows:
        return None
    k = len(classes)
    Y = np.array([[1 if j in c['classIndices'] else 0 for j in range(k)] for c in rows])
    p = np.array([c['probabilities'] for c in rows])
    P = (p >= settings['threshold']).astype(int)
    zd = settings['zeroDivision']
    cols = [j for j in range(k) if Y[:, j].any() or P[:, j].any()]
    positive = [j for j in range(k) if Y[:, j].any()] or cols  # the macro average: labels with positives in the test set
    out = {'n': len(rows), 'averaged_over': [classes[j] for j in positive]}
    for avg in ('macro', 'micro', 'weighted', 'samples'):
        use = positive if avg == 'macro' else cols
        pr, rc, f, _ = precision_recall_fscore_support(Y[:, use], P[:, use], average=avg, zero_division=zd)
        out[avg] = {'precision': float(pr), 'recall': float(rc), 'f1': float(f)}
    per_p, per_r, per_f, per_s = precision_recall_fscore_support(Y, P, average=None, zero_division=zd)
    out['per_label'] = {'precision': per_p.tolist(), 'recall': per_r.tolist(), 'f1': per_f.tolist(), 'support': per_s.tolist()}
    out['subset_accuracy'] = float(accuracy_score(Y, P))
    both = [j for j in range(k) if 0 < Y[:, j].sum() < len(rows)]
    out['auc'] = {classes[j]: float(roc_auc_score(Y[:, j], p[:, j])) for j in both}
    if both:
        out['auc_macro'] = float(np.mean([out['auc'][classes[j]] for j in both]))

    def auc_macro(idx):
        vals = []
        for j in both:
            t = Y[idx, j]
            if t.all() or not t.any():
                return float('nan')
            vals.append(roc_auc_score(t, p[idx, j]))
        return float(np.mean(vals))

    def f1(avg):
        use = positive if avg == 'macro' else cols
        return lambda i: float(f1_score(Y[i][:, use], P[i][:, use], average=avg, zero_division=zd))
    boot = settings['bootstrap']
    out['ci'] = {'micro_f1': interval(len(rows), f1('micro'), boot), 'macro_f1': interval(len(rows), f1('macro'), boot),
                 'samples_f1': interval(len(rows), f1('samples'), boot),
                 'subset_accuracy': interval(len(rows), lambda i: float(accuracy_score(Y[i], P[i])), boot)}
    if both:
        out['ci']['auc_macro'] = interval(len(rows), auc_macro, boot)
    return out


def main():
    with open(sys.argv[1]) as f:
        run = json.load(f)
    if run['settings'].get('multiLabel'):
        out = {'multi_label': multi_label(run['cases'], run['classes'], run['settings'])}
    else:
        out = {'classification': classification(run['cases'], run['classes'], run['settings'])}
    if len(sys.argv) > 3:
        out['segmentation'] = segmentation(run['cases'], run['settings'], sys.argv[2], sys.argv[3])
    print(json.dumps(out))


main()
