"""Tests of the 128 px segmenter (issue 18, train_all.py --seg-size 128): the exported graph
keeps the shipped I/O and computes what training scored, and the soft 128 px training masks
lose nothing of the full-resolution masks.
The exported graph runs on onnxruntime-node (training/export/onnx_node.py), the CLI's runtime.
Run: python3 -m unittest training/models/test_seg_size.py (after npm install)"""
import csv
import os
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from training.models.networks import SegAtSize, SegUNet, build_segmenter
from training.train.train_all import downsample

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '..', '..', 'shared', 'data', 'cxr256')
MASK_FOLDERS = ['shenzhen_tb_lungseg', 'jsrt_lungseg', 'ieee8023_covid_lungseg', 'covid_multiseg']


def trained_like_segunet(seed=0):
    """A SegUNet with random weights and non-trivial batch-norm statistics, so that every
    layer of the graph matters in the comparison."""
    torch.manual_seed(seed)
    net = SegUNet()
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    return net.eval()


class ExportTest(unittest.TestCase):
    def test_128_px_export_keeps_the_shipped_io_and_matches_training(self):
        import onnx
        from training.export.export_onnx import export_segmenter
        from training.export.onnx_node import run_onnx
        net = trained_like_segunet()
        meta = {'kwargs': {}, 'seg_size': 128}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'segmenter.onnx')
            note = export_segmenter(net.state_dict(), meta, path)
            self.assertIn('128 px inside', note)
            model = onnx.load(path)
            dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            self.assertEqual([(v.name, dims(v)) for v in model.graph.input], [('image', ['batch', 1, 256, 256])])
            self.assertEqual([(v.name, dims(v)) for v in model.graph.output], [('logits', ['batch', 2, 256, 256])])
            self.assertEqual(model.graph.node[0].op_type, 'AveragePool')
            image = torch.rand(3, 1, 256, 256, generator=torch.Generator().manual_seed(1))
            (logits,) = run_onnx(path, {'image': image.numpy()})
        self.assertEqual(logits.shape, (3, 2, 256, 256))
        with torch.no_grad():
            scored = SegAtSize(net, 128)(image).numpy()  # what train_all.py and loso.py score
            full = net(image).numpy()
        scale = np.abs(scored).max()
        np.testing.assert_allclose(logits, scored, rtol=0, atol=1e-4 * scale)
        self.assertGreater(np.abs(logits - full).max(), 0.05 * scale)  # and not the network at 256 px
        print(f'\n128 px export vs SegAtSize: max |diff| {np.abs(logits - scored).max():.2e}, vs the net at 256 px '
              f'{np.abs(logits - full).max():.2e} (logits up to {scale:.2f})')

    def test_256_px_run_exports_unwrapped(self):
        from training.export.export_onnx import export_segmenter
        import onnx
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'segmenter.onnx')
            self.assertEqual(export_segmenter(trained_like_segunet().state_dict(), {'kwargs': {}}, path), '')
            self.assertNotIn('AveragePool', [n.op_type for n in onnx.load(path).graph.node])

    def test_build_segmenter_reads_the_size_from_the_run(self):
        self.assertEqual(build_segmenter({}).factor, 1)  # runs before --seg-size
        self.assertEqual(build_segmenter({'seg_size': 128}).factor, 2)
        self.assertEqual(build_segmenter({'seg_size': 128})(torch.rand(2, 1, 256, 256)).shape, (2, 2, 256, 256))


@unittest.skipUnless(os.path.exists(os.path.join(DATA, 'jsrt_lungseg', 'labels.csv')), f'{DATA} is absent')
class SoftMaskTest(unittest.TestCase):
    """downsample()'s soft 128 px masks, on 24 real masks of each mask source."""

    @classmethod
    def setUpClass(cls):
        cls.masks = {}
        for folder in MASK_FOLDERS:
            with open(os.path.join(DATA, folder, 'labels.csv')) as f:
                rows = [r for r in csv.DictReader(f) if r.get('mask')][:24]
            m = np.stack([np.asarray(Image.open(os.path.join(DATA, folder, r['mask'])).convert('L')) >= 128 for r in rows])
            cls.masks[folder] = torch.from_numpy(m).float()[:, None]

    @staticmethod
    def upsampled_dice(target128, full):
        """Dice against the full mask of the best a 128 px segmenter can do with these targets:
        logits equal to the targets, upsampled as SegAtSize does, read at 0."""
        logits = torch.logit(target128.clamp(0.02, 0.98))
        pred = F.interpolate(logits, scale_factor=2.0, mode='bilinear', align_corners=False) > 0
        return (2 * (pred * full).flatten(1).sum(1) / (pred.flatten(1).sum(1) + full.flatten(1).sum(1))).min().item()

    def test_area_is_kept(self):
        for folder, full in self.masks.items():
            soft = downsample(full, 2)
            self.assertEqual(soft.shape[-2:], (128, 128))
            np.testing.assert_allclose(soft.flatten(1).sum(1) * 4, full.flatten(1).sum(1), rtol=1e-6, err_msg=folder)

    def test_soft_targets_lose_nothing_thresholded_ones_would(self):
        """The reason masks stay soft: the 0.01 Dice margin of the ship rule (README) would
        be mostly spent by thresholded targets (about 0.988 at best here) before training."""
        for folder, full in self.masks.items():
            soft = downsample(full, 2)
            self.assertGreater(self.upsampled_dice(soft, full), 0.999, folder)
            self.assertLess(self.upsampled_dice((soft >= 0.5).float(), full), 0.995, folder)


if __name__ == '__main__':
    unittest.main()
