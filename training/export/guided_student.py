"""unet_guided.onnx, the one-pass UNet of issue 18, and its manifest entry.

With --run: the student a distill_guidance.py run trained (its unet_guided_a/b.npz; the
device tool cannot bring back the fp32 ONNX, so it is exported here). Without: the
student as distill_guidance.py starts it, the bundle's UNet with a guidance MLP whose last
layer is zero, so at any guidance scale it gives exactly the teacher's conditional
epsilon. The app's test (src/core/pipelines/generate.guided.test.ts) uses that one to
check the one-pass path against the two-pass one on real weights.

Writes OUT/unet_guided.onnx and OUT/unet_guided.manifest.json: the `models.unet_guided`
entry for manifest.json (file, sha256, bytes, inputs with `guidance`, outputs; docs/manifest.md,
"Optional one-pass UNet and named presets"). The file is prepared as the shipped unet.onnx
is (export_onnx.py): conv_in's input padded to 12 channels for the WebGPU EP
(onnx_patches.py) and float16-stored weights with float32 compute (~25 MB); --plain skips
both (fp32, ~49 MB). Never commit a file a test made.

    /usr/bin/python3 -m training.export.guided_student --out /tmp/guided              # the initial student
    /usr/bin/python3 -m training.export.guided_student --run $OUT/guidance --map .gpu/weight_map.json --out /tmp/guided
"""
import argparse
import hashlib
import json
import os

from training.export.export_onnx import store_weights_fp16
from training.models import bundle_weights
from training.models.onnx_patches import patch_unet_for_webgpu
from training.models.networks import CondUNet
from training.train import train_all as T
from training.train.distill_guidance import export


def student_from_teacher(bundle, weight_map):
    teacher = bundle_weights.load(CondUNet(mask_channels=5), bundle, 'unet.onnx', weight_map)
    student = CondUNet(mask_channels=5, guidance_input=True)
    missing = student.load_state_dict(teacher.state_dict(), strict=False)
    assert all(k.startswith('guidance_mlp') for k in missing.missing_keys) and not missing.unexpected_keys, missing
    return student, None


def student_from_run(run):
    halves = [T.read_npz(os.path.join(run, f'unet_guided_{h}.npz'), 'unet') for h in 'ab']
    meta = halves[0][1]
    student = T.load_rounded(CondUNet(mask_channels=5, guidance_input=True), {**halves[0][0], **halves[1][0]})
    return student, meta.get('distilled_steps')


def manifest_entry(path, distilled_steps):
    data = open(path, 'rb').read()
    latent = ['batch', 4, 32, 32]
    entry = {
        'task': 'denoiser',
        'variants': {'fp32': {'file': os.path.basename(path), 'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data)}},
        'inputs': [
            {'name': 'sample', 'shape': latent, 'dtype': 'float32'},
            {'name': 'timestep', 'shape': ['batch'], 'dtype': 'float32', 'range': [0, 999]},
            {'name': 'encoder_hidden_states', 'shape': ['batch', 32, 256], 'dtype': 'float32'},
            {'name': 'mask_cond', 'shape': ['batch', 5, 32, 32], 'dtype': 'float32', 'range': [0, 1]},
            {'name': 'guidance', 'shape': ['batch'], 'dtype': 'float32', 'range': [0, 20]},  # MAX_GUIDANCE, generate.ts
        ],
        'outputs': [{'name': 'noise_pred', 'shape': latent, 'dtype': 'float32'}],
    }
    if distilled_steps:
        entry['metrics'] = {'distilled_steps': distilled_steps}
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--run', help='a distill_guidance.py output folder (unet_guided_a/b.npz); absent: the untrained student')
    ap.add_argument('--map', help='weight map (bundle_weights.py map); absent: made here for unet.onnx only')
    ap.add_argument('--out', required=True)
    ap.add_argument('--plain', action='store_true', help='fp32 weights, no WebGPU padding (not as it ships)')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.run:
        student, steps = student_from_run(args.run)
    else:
        if args.map:
            weight_map = json.load(open(args.map))['files']
        else:
            vocab_size = len(json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab'])
            weight_map = bundle_weights.make_map(vocab_size, only=['unet.onnx'])
        student, steps = student_from_teacher(args.bundle, weight_map)
    path = os.path.join(args.out, 'unet_guided.onnx')
    export(student, path)
    if not args.plain:
        patch_unet_for_webgpu(path)
        store_weights_fp16(path)
    with open(os.path.join(args.out, 'unet_guided.manifest.json'), 'w') as f:
        json.dump(manifest_entry(path, steps), f, indent=1)
    print('wrote', path)


if __name__ == '__main__':
    main()
