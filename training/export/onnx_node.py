"""An exported ONNX graph's outputs from Python through onnxruntime-node (onnx_node.mjs), the
runtime the studio's CLI uses: Debian packages no Python onnxruntime, so the tests that run an
exported graph use this and need only `npm install` and Debian's python3-torch.

    from training.export.onnx_node import run_onnx
    (logits,) = run_onnx('segmenter.onnx', {'image': array})   # float32 inputs, outputs in graph order
    NodeSession('classifier.onnx').run(['logits', 'features'], {'image': array})   # InferenceSession-like
"""
import json
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TYPES = {'float32': np.float32, 'float16': np.float16, 'int64': np.int64, 'int32': np.int32, 'uint8': np.uint8,
         'int8': np.int8, 'bool': np.bool_}


def run_onnx_named(model, feeds):
    """Run `model` (a path) on `feeds` ({input name: array}, cast to float32) and return
    {output name: numpy array} in the graph's output order."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for i, (name, value) in enumerate(feeds.items()):
            array = np.ascontiguousarray(value, dtype='<f4')
            file = os.path.join(tmp, f'in{i}.bin')
            array.tofile(file)
            inputs.append({'name': name, 'dims': list(array.shape), 'file': file})
        spec = os.path.join(tmp, 'spec.json')
        with open(spec, 'w') as f:
            json.dump({'model': os.path.abspath(model), 'inputs': inputs, 'out': tmp}, f)
        run = subprocess.run(['node', os.path.join(ROOT, 'training', 'export', 'onnx_node.mjs'), spec], cwd=ROOT,
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f'onnxruntime-node failed on {model}:\n{run.stderr}')
        outputs = json.load(open(os.path.join(tmp, 'outputs.json')))
        return {o['name']: np.fromfile(os.path.join(tmp, f'{i}.bin'), dtype=TYPES[o['type']]).reshape(o['dims'])
                for i, o in enumerate(outputs)}


def run_onnx(model, feeds):
    """The outputs of `model` on `feeds` as a list, in the graph's output order."""
    return list(run_onnx_named(model, feeds).values())


class NodeSession:
    """The part of onnxruntime.InferenceSession that the judges use (`run(names, feeds)`), on
    onnxruntime-node: one node process per call, so for CPU smoke runs, not for GPU throughput."""

    def __init__(self, path):
        self.path = path

    def get_providers(self):
        return ['onnxruntime-node (CPU)']

    def run(self, names, feeds):
        outputs = run_onnx_named(self.path, feeds)
        return [outputs[n] for n in (names or outputs)]
