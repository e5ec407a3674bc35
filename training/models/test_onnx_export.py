"""onnx_export and export_or_log (training/models/onnx_export.py): real exports of a tiny network."""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))
from training.models.onnx_export import export_or_log, onnx_export  # noqa: E402

try:
    import onnx
except ImportError:  # Debian: python3-onnx
    onnx = None


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


class OnnxExportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, 'tiny.onnx')

    def tearDown(self):
        self.tmp.cleanup()

    @unittest.skipIf(onnx is None, 'needs the onnx package (python3-onnx)')
    def test_names_opset_and_dynamic_batch_as_asked(self):
        onnx_export(Tiny().eval(), (torch.randn(1, 1, 8, 8),), self.path, opset_version=17, input_names=['image'],
                    output_names=['logits'], dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}})
        model = onnx.load(self.path)
        onnx.checker.check_model(model)
        self.assertEqual([i.name for i in model.graph.input], ['image'])
        self.assertEqual([o.name for o in model.graph.output], ['logits'])
        self.assertEqual(model.opset_import[0].version, 17)  # the TorchScript exporter keeps it; torch.export's lifts it to 18+
        for value in (model.graph.input[0], model.graph.output[0]):
            dims = value.type.tensor_type.shape.dim
            self.assertEqual(dims[0].dim_param, 'batch')
            self.assertEqual([d.dim_value for d in dims[1:]], [1, 8, 8] if value.name == 'image' else [2, 8, 8])

    def test_export_or_log_keeps_going_after_a_failed_export(self):
        logged = []

        class Unexportable(torch.nn.Module):
            def forward(self, x):
                return torch.linalg.eigh(x)[0]  # the exporter has no ONNX form for it

        def failing():
            onnx_export(Unexportable(), (torch.eye(3),), self.path, opset_version=17)

        self.assertFalse(export_or_log(failing, 'identity.onnx', logged.append))
        self.assertEqual(len(logged), 1)
        self.assertIn('export of identity.onnx failed', logged[0])
        self.assertTrue(export_or_log(lambda: onnx_export(Tiny().eval(), (torch.randn(1, 1, 8, 8),), self.path), 'tiny.onnx', logged.append))
        self.assertEqual(len(logged), 1)
        self.assertTrue(os.path.getsize(self.path) > 0)


if __name__ == '__main__':
    unittest.main()
