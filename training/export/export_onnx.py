"""Export a training run (the .npz files train_all.py writes) to the studio's model bundle:
ONNX files, tokenizer, example masks and manifest.json (format: docs/manifest.md).

    python3 -m training.export.export_onnx --run .runs/gpu1 --out public/models/cxr-studio-v1 \
        [--data ../shared/data/cxr256]
    python3 -m training.export.export_onnx --run .runs/cont --only diffusion --metrics .runs/cont/metrics.json
        (a continued diffusion run, continue_gpu.py: replaces unet.onnx and text_encoder.onnx
        and their manifest entries in the existing bundle; the rest stays as it is)
    python3 -m training.export.export_onnx --run .runs/tail2/decoder.pt --only decoder --metrics .runs/tail2/metrics.json \
        --adherence training/runs/decoder_adherence_g5.json:tail2 --adherence training/runs/decoder_adherence.json:tail2
        (a fine-tuned VAE decoder, tune_decoder_tail.py: replaces vae_decoder.onnx and its
        manifest entry; the latent space, and so the UNet, stays)
    python3 -m training.export.export_onnx --only fast
        (the manifest's diffusion.fast settings and what they measured, from
        training/runs/sampler_adherence_dpm10_g5*.json; decoder_adherence.py --scheduler dpmpp2m)

Weights ship as float16 with a Cast to float32 in the graph ("fp32" variant: fp32
compute, half the bytes, exactly the fp16-rounded weights the run measured). The
segmenter and classifier also get an "int8" variant: per-output-channel int8 weights
behind DequantizeLinear (weight-only, fp32 compute, a quarter of the fp32 bytes).
"""
import argparse
import glob
import hashlib
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from training.data.cxrdata import CLASS_PROMPTS, CLASSES, MAX_TOKENS, PROMPT_TEMPLATE, VIEWS, read_records, tokenizer_json
from training.models.networks import (Classifier, ClassifierWithAbnormal, CondUNet, Decoder, Encoder, TextEncoder, build_segmenter,
                                      decoder_for)
from training.models.onnx_export import onnx_export
from training.models.onnx_patches import at_lower_resolution, patch_unet_for_webgpu

OPSET = 17


def load_npz(run, name):
    z = np.load(os.path.join(run, name))
    meta = json.loads(bytes(z['__meta__']).decode())
    groups = {}
    for k in z.files:
        if k == '__meta__':
            continue
        prefix, key = k.split('/', 1)
        v = z[k]
        groups.setdefault(prefix, {})[key] = torch.from_numpy(v.astype(np.float32) if v.dtype == np.float16 else v)
    return groups, meta


class EncoderMean(torch.nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, image):
        return self.enc(image)[0]


def export(model, args, path, inputs, outputs):
    model.eval()
    dyn = {n: {0: 'batch'} for n in inputs + outputs}
    with torch.no_grad():
        onnx_export(model, args, path, opset_version=OPSET, input_names=inputs, output_names=outputs,
                    dynamic_axes=dyn, do_constant_folding=True)


def export_segmenter(state, meta, path):
    """segmenter.npz's weights to ONNX with the shipped I/O (image [batch,1,256,256] ->
    logits [batch,2,256,256]) whatever its seg_size: a 128 px run gets the graph
    evaluate/segmenter_resolution.py timed (onnx_patches.at_lower_resolution). Returns the
    note for the manifest's variants ('' at 256 px)."""
    seg = build_segmenter(meta)
    seg.net.load_state_dict(state)
    export(seg.net, (torch.rand(1, 1, 256, 256),), path, ['image'], ['logits'])
    if seg.factor == 1:
        return ''
    with open(path, 'rb') as f:
        wrapped = at_lower_resolution(f.read(), seg.factor, 'pool')
    with open(path, 'wb') as f:
        f.write(wrapped)
    return f'; the network runs at {seg.size} px inside (2x2 average pooling in, bilinear upsampling of the logits out)'


def rewrite_weights(src, dst, rewrite):
    """Replaces initializers: rewrite(init, users) gives None to keep one, or (new
    initializers, node that recomputes the original name), prepended to the graph.
    users: the (node, input index) pairs that read the initializer."""
    m = onnx.load(src)
    g = m.graph
    users = {}
    for n in g.node:
        for i, name in enumerate(n.input):
            users.setdefault(name, []).append((n, i))
    keep, prepend = [], []
    for init in g.initializer:
        replaced = rewrite(init, users.get(init.name, []))
        if replaced is None:
            keep.append(init)
        else:
            keep += replaced[0]
            prepend.append(replaced[1])
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(prepend + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


def store_weights_fp16(path, min_elems=256):
    """Large float32 initializers become float16 + Cast: half the download, same compute."""
    def to_fp16(init, _users):
        if init.data_type != TensorProto.FLOAT or np.prod(init.dims) < min_elems:
            return None
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name + '__fp16')
        return [half], helper.make_node('Cast', [half.name], [init.name], to=TensorProto.FLOAT)
    rewrite_weights(path, path, to_fp16)


def weight_only_int8(src, dst, min_elems=1024):
    """Conv/Gemm/MatMul weights as per-output-channel symmetric int8 + DequantizeLinear."""
    def to_int8(init, users):
        if init.data_type != TensorProto.FLOAT or np.prod(init.dims) < min_elems:
            return None
        if not users or any(u.op_type not in ('Conv', 'Gemm', 'MatMul') or i != 1 for u, i in users):
            return None
        name, w = init.name, numpy_helper.to_array(init)
        axis = 0 if users[0][0].op_type == 'Conv' else (w.ndim - 1)
        reduce = tuple(a for a in range(w.ndim) if a != axis)
        scale = np.maximum(np.abs(w).max(axis=reduce), 1e-12) / 127.0
        shape = [1] * w.ndim
        shape[axis] = -1
        q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
        inits = [numpy_helper.from_array(q, name + '__q'), numpy_helper.from_array(scale.astype(np.float32), name + '__scale'),
                 numpy_helper.from_array(np.zeros_like(scale, np.int8), name + '__zp')]
        return inits, helper.make_node('DequantizeLinear', [i.name for i in inits], [name], axis=axis)
    rewrite_weights(src, dst, to_int8)


def file_entry(out, name, **extra):
    path = os.path.join(out, name)
    with open(path, 'rb') as f:
        data = f.read()
    return {'file': name, 'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data), **extra}


def example_masks(data_dir, out):
    """Mean training lung mask per convention (an aggregate of many masks, not any one
    patient's), thresholded at 0.5, as starting points for the Generate and Masks pages."""
    from PIL import Image
    os.makedirs(os.path.join(out, 'examples'), exist_ok=True)
    entries = []
    recs = read_records(data_dir)
    for conv, label in (('v7', 'includes the retrocardiac region'), ('shenzhen', 'excludes the retrocardiac region')):
        acc, n = np.zeros((256, 256)), 0
        for r in recs:
            if r['convention'] == conv and r['split'] == 'train':
                acc += np.asarray(Image.open(os.path.join(data_dir, r['folder'], r['mask'])).convert('L')) > 127
                n += 1
        name = f'examples/lung_mean_{conv}.png'
        Image.fromarray(((acc / n) >= 0.5).astype(np.uint8) * 255).save(os.path.join(out, name))
        entries.append(file_entry(out, name, layer='lung', convention=conv,
                                  description=f'mean of {n} training lung masks ({label})'))
    return entries


def io_spec(name, shape, dtype='float32', **extra):
    return {'name': name, 'shape': shape, 'dtype': dtype, **extra}


def export_diffusion(run, o):
    """text_encoder.onnx and unet.onnx (float32 weights; fp16 storage comes after) from a
    run's npz files; returns the text encoder's meta (vocab, unet mask channels)."""
    g, te_meta = load_npz(run, 'text_encoder.npz')
    text = TextEncoder(len(te_meta['vocab']))
    text.load_state_dict(g['text_encoder'])
    export(text, (torch.zeros(1, MAX_TOKENS, dtype=torch.long),), o('text_encoder.onnx'), ['input_ids'], ['last_hidden_state'])
    ga, _ = load_npz(run, 'unet_a.npz')
    gb, _ = load_npz(run, 'unet_b.npz')
    mask_channels = te_meta['unet']['mask_channels']
    unet = CondUNet(mask_channels=len(mask_channels))
    unet.load_state_dict({**ga['unet'], **gb['unet']})
    export(unet, (torch.randn(1, 4, 32, 32), torch.tensor([500.0]), torch.randn(1, MAX_TOKENS, 256), torch.rand(1, len(mask_channels), 32, 32)),
           o('unet.onnx'), ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond'], ['noise_pred'])
    patch_unet_for_webgpu(o('unet.onnx'))  # conv_in's 4 + 5 input channels padded to 12: onnx_patches.py
    return te_meta


FAST = {'steps': 10, 'guidance': 5.0, 'scheduler': 'dpmpp2m'}


def fast_preset(runs_dir):
    """diffusion.fast: DPM-Solver++ 2M at half the defaults' UNet runs, with what it
    measured pooled over its noise samples (decoder_adherence.py --scheduler dpmpp2m
    --steps 10 --guidance 5: runs/sampler_adherence_dpm10_g5*.json); None before that."""
    files = sorted(glob.glob(os.path.join(runs_dir, 'sampler_adherence_dpm10_g5*.json')))
    if not files:
        return None
    runs = [json.load(open(f)) for f in files]
    for r in runs:
        s = r['setting']
        assert (s['steps'], s['guidance'], s.get('scheduler')) == (FAST['steps'], FAST['guidance'], FAST['scheduler']), s
    pa = {c: round(float(np.mean([r['shipped']['prompt_adherence_class_prompts'][c] for r in runs])), 3) for c in CLASSES}
    dice = round(float(np.mean([r['shipped']['mask_adherence_mean'] for r in runs])), 3)
    n = sum(r['setting']['n_per'] for r in runs)
    return {**FAST, 'measured': f"Half the UNet runs of the defaults. Measured at these settings (n = {n} per finding, "
                                f"{len(runs)} noise samples): prompt adherence "
                                + ', '.join(f'{c} {v:g}' for c, v in pa.items()) + f"; mask Dice {dice:g}."}


def export_fast_only(args):
    """Writes diffusion.fast into an existing bundle's manifest from runs/."""
    path = os.path.join(args.out, 'manifest.json')
    manifest = json.load(open(path))
    fast = fast_preset(args.runs)
    assert fast, f'no sampler_adherence_dpm10_g5*.json in {args.runs}'
    manifest['diffusion']['fast'] = fast
    with open(path, 'w') as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(fast))


def export_diffusion_only(args):
    """Re-exports the UNet and text encoder of a continued run into an existing bundle."""
    o = lambda n: os.path.join(args.out, n)
    manifest = json.load(open(o('manifest.json')))
    shipped_vocab = json.load(open(o('tokenizer.json')))['model']['vocab']
    assert load_npz(args.run, 'text_encoder.npz')[1]['vocab'] == shipped_vocab, \
        'the continued run has another vocabulary than the bundle\'s tokenizer'
    te_meta = export_diffusion(args.run, o)
    for name in ('text_encoder', 'unet'):
        store_weights_fp16(o(f'{name}.onnx'))
        manifest['models'][name]['variants']['fp32'] = file_entry(args.out, f'{name}.onnx', note='float16-stored weights, float32 compute')
    if args.metrics:
        manifest['models']['unet']['metrics'] = json.load(open(args.metrics))
    manifest['models']['unet']['training'] = {k: v for k, v in te_meta.items() if k not in ('vocab', 'text_encoder', 'unet')}
    with open(o('manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    for name in ('text_encoder.onnx', 'unet.onnx'):
        print(f'{name}: {os.path.getsize(o(name)) / 2**20:.2f} MiB')


def export_decoder_only(args):
    """Puts a fine-tuned VAE decoder (a Decoder state_dict, tune_decoder_tail.py's
    decoder.pt, or a SmallDecoder one, distill_decoder.py's decoder_small.pt: decoder_for
    tells them apart) into an existing bundle: vae_decoder.onnx, its manifest entry (file,
    sha256, bytes) and, from --metrics (tune_decoder_tail.py's metrics.json), what it measured."""
    o = lambda n: os.path.join(args.out, n)
    manifest = json.load(open(o('manifest.json')))
    state = torch.load(args.run, map_location='cpu')
    dec = decoder_for(state)
    dec.load_state_dict(state)
    export(dec, (torch.randn(1, 4, 32, 32),), o('vae_decoder.onnx'), ['latent'], ['image'])
    store_weights_fp16(o('vae_decoder.onnx'))
    entry = manifest['models']['vae_decoder']
    entry['variants']['fp32'] = file_entry(args.out, 'vae_decoder.onnx', note='float16-stored weights, float32 compute')
    entry['params'] = sum(p.numel() for p in dec.parameters())
    if args.metrics:
        run = json.load(open(args.metrics))
        previous = entry.get('metrics', {})
        # A continued fine-tune (--resume) measures "before" as the stage it continues: the
        # earlier stages stay listed, and so do the numbers from before any fine-tune.
        # Installing the same run again (to add a sample, say) must not list it as its own earlier stage.
        earlier = [e for e in previous.get('earlier_stages', []) + ([previous['fine_tuned']] if 'fine_tuned' in previous else [])
                   if e.get('training') != run['training']]
        entry['metrics'] = {'fine_tuned': {k: run[k] for k in ('before', 'after', 'training')},
                            **({'earlier_stages': earlier} if earlier else {}),
                            'before_fine_tuning': previous.get('before_fine_tuning', previous)}
        # The encoder's PSNR was measured through run 1's decoder: say so, next to the pair's
        # PSNR with the decoder that now ships.
        enc = manifest['models']['vae_encoder']
        first = enc.get('metrics', {})
        enc['metrics'] = {'with_run1_decoder': first.get('with_run1_decoder', first),
                          'with_shipped_decoder': {k: run['after'][k] for k in ('psnr_test', 'n_test')}}
    if args.adherence:
        # The generator's numbers change with its decoder: the UNet entry (which the Generate
        # page reads) takes decoder_adherence.py's measurement of this decoder at the default
        # guidance (the first --adherence); further ones are kept under guidance_<g>, and the
        # numbers of the decoder before any fine-tune under with_previous_decoder. A further
        # one at the default guidance with another noise seed is a second sample: the class-
        # prompt and mask adherence become the mean of the samples (one sample of 48 moves by
        # up to 0.125), each sample kept under samples.
        previous = manifest['models']['unet'].get('metrics', {})
        metrics, samples = {}, []
        for i, spec in enumerate(args.adherence):
            path, _, key = spec.partition(':')
            measured = json.load(open(path))
            s, m = measured['setting'], measured[key]
            one = {'measured': f"training/evaluate/decoder_adherence.py ({os.path.basename(path)}:{key}): the shipped UNet's latents decoded "
                               f"by this vae_decoder, {s['steps']} DDIM steps, guidance {s['guidance']}, uncond_mask none, "
                               f"{s['n_per']} per finding/folder; see MODEL_CARD.md",
                   **{k: m[k] for k in ('mask_adherence_mean', 'prompt_adherence_class_prompts', 'prompt_adherence_test_prompts',
                                        'fid_generated_vs_test', 'fid_generated_vs_prompting_test_images',
                                        'ms_ssim_generated_class_prompt') if k in m},
                   'mask_adherence': {f: v['generated'] for f, v in m['mask_adherence'].items()}}
            if i == 0 or s['guidance'] == first['guidance']:
                samples.append({'noise_seed': s.get('noise_seed', 1234), 'file': f'{os.path.basename(path)}:{key}',
                                'prompt_adherence_class_prompts': m['prompt_adherence_class_prompts'],
                                'mask_adherence_mean': m['mask_adherence_mean'], 'mask_adherence': one['mask_adherence']})
            if i == 0:
                first = s
                metrics.update(one)
            elif s['guidance'] != first['guidance']:
                metrics[f"guidance_{s['guidance']:g}"] = one
        if len(samples) > 1:
            mean = lambda xs: round(sum(xs) / len(xs), 4)
            metrics['prompt_adherence_class_prompts'] = {c: mean([x['prompt_adherence_class_prompts'][c] for x in samples])
                                                         for c in samples[0]['prompt_adherence_class_prompts']}
            metrics['mask_adherence_mean'] = mean([x['mask_adherence_mean'] for x in samples])
            metrics['mask_adherence'] = {f: mean([x['mask_adherence'][f] for x in samples]) for f in samples[0]['mask_adherence']}
            metrics['measured'] += (f"; class-prompt and mask adherence: the mean of {len(samples)} samples (noise seeds "
                                    + ', '.join(str(x['noise_seed']) for x in samples) + f", n = {len(samples) * first['n_per']} "
                                    'per finding), the other numbers from the first')
            metrics['samples'] = samples
        metrics['with_previous_decoder'] = previous.get('with_previous_decoder', previous)
        manifest['models']['unet']['metrics'] = metrics
    with open(o('manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print(f'vae_decoder.onnx: {os.path.getsize(o("vae_decoder.onnx")) / 2**20:.2f} MiB')


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument('--run', help='the training run (all but --only fast)')
    ap.add_argument('--runs', default=os.path.join(here, 'runs'), help='measurement JSONs (training/runs)')
    ap.add_argument('--out', default=os.path.join(here, '..', 'public', 'models', 'cxr-studio-v1'))
    ap.add_argument('--data', default=os.path.join(here, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--only', choices=['diffusion', 'decoder', 'fast'],
                    help='diffusion: re-export only the UNet and text encoder of --run (a directory) into an existing '
                         'bundle; decoder: only the VAE decoder, --run being a Decoder state_dict (.pt); fast: only the '
                         'manifest\'s diffusion.fast settings, from --runs')
    ap.add_argument('--metrics', help='with --only: a JSON of metrics for the manifest entry (diffusion: generation '
                                      'metrics; decoder: tune_decoder_tail.py\'s metrics.json)')
    ap.add_argument('--adherence', action='append',
                    help='with --only decoder: FILE:KEY, decoder_adherence.py\'s JSON and the key of this decoder in it; the '
                         'first (measured at the default guidance) becomes the UNet entry\'s generation metrics, further ones '
                         'are kept beside it under guidance_<g>')
    args = ap.parse_args()
    if args.only == 'fast':
        export_fast_only(args)
        return
    if not args.run:
        ap.error('--run is required')
    if args.only:
        (export_diffusion_only if args.only == 'diffusion' else export_decoder_only)(args)
        return
    os.makedirs(args.out, exist_ok=True)
    run_metrics = json.load(open(os.path.join(args.run, 'metrics.json')))
    o = lambda n: os.path.join(args.out, n)
    img = torch.rand(1, 1, 256, 256)
    models, manifests = {}, {}

    g, seg_meta = load_npz(args.run, 'segmenter.npz')
    seg_note = export_segmenter(g['segmenter'], seg_meta, o('segmenter.onnx'))
    g, cls_meta = load_npz(args.run, 'classifier.npz')
    cls_kwargs = cls_meta.get('kwargs', {})
    cls = Classifier(**cls_kwargs)
    cls.load_state_dict(g['classifier'])
    abnormal = cls_kwargs.get('abnormal', False)  # issue 17's optional abnormal-vs-normal output
    export(ClassifierWithAbnormal(cls) if abnormal else cls, (img,), o('classifier.onnx'), ['image'],
           ['logits', 'features'] + (['abnormal'] if abnormal else []))
    for name in ('segmenter', 'classifier'):
        weight_only_int8(o(f'{name}.onnx'), o(f'{name}.int8.onnx'))
    g, ae_meta = load_npz(args.run, 'autoencoder.npz')
    enc, dec = Encoder(), Decoder()
    enc.load_state_dict(g['encoder'])
    dec.load_state_dict(g['decoder'])
    export(EncoderMean(enc), (img * 2 - 1,), o('vae_encoder.onnx'), ['image'], ['latent_mean'])
    export(dec, (torch.randn(1, 4, 32, 32),), o('vae_decoder.onnx'), ['latent'], ['image'])
    te_meta = export_diffusion(args.run, o)
    vocab, mask_channels = te_meta['vocab'], te_meta['unet']['mask_channels']
    for name in ('segmenter', 'classifier', 'vae_encoder', 'vae_decoder', 'text_encoder', 'unet'):
        store_weights_fp16(o(f'{name}.onnx'))

    with open(o('tokenizer.json'), 'w') as f:
        json.dump(tokenizer_json(vocab), f)
    with open(o('tokenizer_config.json'), 'w') as f:
        json.dump({'tokenizer_class': 'PreTrainedTokenizerFast', 'pad_token': '[PAD]', 'unk_token': '[UNK]',
                   'model_max_length': MAX_TOKENS, 'padding_side': 'right'}, f, indent=1)

    img01 = {'size': 256, 'channels': 1, 'scale': 1 / 255, 'offset': 0.0}
    variants = lambda name, int8=False, note='': {
        'fp32': file_entry(args.out, f'{name}.onnx', note='float16-stored weights, float32 compute' + note),
        **({'int8': file_entry(args.out, f'{name}.int8.onnx', note='int8 weight-only, float32 compute' + note)} if int8 else {})}
    models = {
        'segmenter': {'task': 'segmentation', 'variants': variants('segmenter', True, seg_note),
                      'inputs': [io_spec('image', ['batch', 1, 256, 256], range=[0, 1])],
                      'outputs': [io_spec('logits', ['batch', 2, 256, 256])],
                      'preprocess': img01, 'postprocess': {'activation': 'sigmoid', 'threshold': 0.5},
                      'channels': [{'name': 'lung', 'convention': 'includes the retrocardiac region (ieee8023 / V7 masks)'},
                                   {'name': 'lung_shenzhen', 'convention': 'excludes the retrocardiac region (Shenzhen and JSRT/SCR masks)'}],
                      'params': seg_meta['params'], 'metrics': seg_meta['metrics']},
        'classifier': {'task': 'classification', 'variants': variants('classifier', True),
                       'inputs': [io_spec('image', ['batch', 1, 256, 256], range=[0, 1])],
                       'outputs': [io_spec('logits', ['batch', 4]), io_spec('features', ['batch', 256])]
                       + ([io_spec('abnormal', ['batch', 1], activation='sigmoid',
                                   note='abnormal-vs-normal logit (any finding, lung nodule included)')] if abnormal else []),
                       'preprocess': img01, 'postprocess': {'activation': 'softmax'},
                       'params': cls_meta['params'], 'metrics': cls_meta['metrics']},
        'vae_encoder': {'task': 'vae-encoder', 'variants': variants('vae_encoder'),
                        'inputs': [io_spec('image', ['batch', 1, 256, 256], range=[-1, 1])],
                        'outputs': [io_spec('latent_mean', ['batch', 4, 32, 32])],
                        'preprocess': {'size': 256, 'channels': 1, 'scale': 2 / 255, 'offset': -1.0},
                        'params': ae_meta['encoder']['params'], 'metrics': ae_meta['metrics']},
        'vae_decoder': {'task': 'vae-decoder', 'variants': variants('vae_decoder'),
                        'inputs': [io_spec('latent', ['batch', 4, 32, 32], note='unscaled: unet latent / scaling_factor')],
                        'outputs': [io_spec('image', ['batch', 1, 256, 256], range=[-1, 1])],
                        'params': ae_meta['decoder']['params'], 'metrics': ae_meta['metrics']},
        'text_encoder': {'task': 'text-encoder', 'variants': variants('text_encoder'),
                         'inputs': [io_spec('input_ids', ['batch', MAX_TOKENS], 'int64')],
                         'outputs': [io_spec('last_hidden_state', ['batch', MAX_TOKENS, 256])],
                         'params': te_meta['text_encoder']['params']},
        'unet': {'task': 'denoiser', 'variants': variants('unet'),
                 'inputs': [io_spec('sample', ['batch', 4, 32, 32]), io_spec('timestep', ['batch'], range=[0, 999]),
                            io_spec('encoder_hidden_states', ['batch', MAX_TOKENS, 256]),
                            io_spec('mask_cond', ['batch', len(mask_channels), 32, 32], range=[0, 1])],
                 'outputs': [io_spec('noise_pred', ['batch', 4, 32, 32])],
                 'params': te_meta['unet']['params'], 'metrics': run_metrics.get('generation', {})},
    }
    mask_spec = {
        'lung': {'name': 'lung', 'kind': 'mask', 'layer': 'lung'},
        'lung_given': {'name': 'lung_given', 'kind': 'given', 'layer': 'lung'},
        'lung_shenzhen': {'name': 'lung_shenzhen', 'kind': 'convention', 'layer': 'lung', 'value': 'shenzhen'},
        'lesion': {'name': 'lesion', 'kind': 'mask', 'layer': 'lesion'},
        'lesion_given': {'name': 'lesion_given', 'kind': 'given', 'layer': 'lesion'},
    }
    findings = ['no finding', 'pneumonia', 'bacterial pneumonia', 'viral pneumonia', 'tuberculosis', 'covid-19 pneumonia']
    manifest = {
        'format': 'cxr-studio-manifest/1',
        'id': 'cxr-studio-v1',
        'name': 'CXR Studio v1 (trained by this project)',
        'license': 'research use only, non-commercial, no redistribution of the training images; '
                   'inherits the terms of shared/data/cxr256 (see MODEL_CARD.md)',
        'card': 'MODEL_CARD.md',
        'classes': CLASSES,
        'models': models,
        'tokenizer': {**file_entry(args.out, 'tokenizer.json'), 'max_length': MAX_TOKENS, 'pad_id': 0,
                      'config': 'tokenizer_config.json'},
        'diffusion': {
            'latent_shape': [4, 32, 32], 'scaling_factor': ae_meta['scaling_factor'], 'num_train_timesteps': 1000,
            'beta_schedule': 'scaled_linear', 'beta_start': 0.00085, 'beta_end': 0.012, 'prediction_type': 'epsilon',
            'mask_pool': 8, 'mask_channels': [mask_spec[c] for c in mask_channels],
            # guidance against the no-mask state: mask adherence 0.932 vs 0.888 when the
            # unconditional pass keeps the mask (training/runs/metrics_run3.json)
            'uncond_mask': 'none',
            # guidance 5 since the fine-tuned decoder (commit 186524d: normal and pneumonia
            # prompts followed more often at the same mask adherence)
            'defaults': {'steps': 20, 'guidance': 5.0, 'scheduler': 'ddim'},
            # no diffusion.fast here: training/runs measured the bundle that ships, not this new
            # export; measure it (decoder_adherence.py --scheduler dpmpp2m), then --only fast
        },
        'prompt': {
            'template': PROMPT_TEMPLATE,
            'findings': findings,
            'vocabulary': sorted(w for w in vocab if w not in ('[PAD]', '[UNK]')),
            'views': list(VIEWS.values()), 'ages': ['adult', 'pediatric'], 'sexes': ['male', 'female'],
            'examples': list(CLASS_PROMPTS.values()) + ['chest x-ray, bacterial pneumonia, pediatric',
                                                         'chest x-ray, covid-19 pneumonia, ap supine view, adult male'],
            'class_prompts': CLASS_PROMPTS,
        },
    }
    if os.path.isdir(args.data):
        manifest['example_masks'] = example_masks(args.data, args.out)
    with open(o('manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    for name in sorted(os.listdir(args.out)):
        if name.endswith('.onnx'):
            print(f'{name}: {os.path.getsize(o(name)) / 2**20:.2f} MiB')


if __name__ == '__main__':
    main()
