"""Tests of training/data/augment.py (run: /usr/bin/python3 -m unittest training/data/test_augment.py)."""
import io
import os
import sys
import unittest

import numpy as np
import torch
from PIL import Image

from training.data import augment  # noqa: E402

OFF = {k: 0.0 for k in augment.DEFAULT_P}


def phantom(b=4, size=64):
    """A smooth chest-like phantom: two dark ellipses (lungs) on a bright body."""
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing='ij')
    lungs = (((xx + 0.4) / 0.3) ** 2 + (yy / 0.6) ** 2 < 1) | (((xx - 0.4) / 0.3) ** 2 + (yy / 0.6) ** 2 < 1)
    img = 0.8 - 0.5 * lungs.float() + 0.05 * torch.cos(6 * xx)
    return img.expand(b, 1, size, size).clone(), lungs.float().expand(b, 1, size, size).clone()


class AugmentTest(unittest.TestCase):
    def test_all_off_but_geometry_keeps_image_near_identity(self):
        torch.manual_seed(0)
        x, m = phantom()
        y, my = augment.acquisition_augment(x, m, p=OFF)
        self.assertEqual(y.shape, x.shape)
        # only the mild always-on affine (zoom 0.95-1.05, rotation up to 8 degrees) is left
        dice = 2 * (my * m).sum() / (my.sum() + m.sum())
        self.assertGreater(float(dice), 0.8)

    def test_output_range_and_binary_masks_with_everything_on(self):
        torch.manual_seed(1)
        x, m = phantom(8)
        y, my = augment.acquisition_augment(x, m, p={k: 1.0 for k in augment.DEFAULT_P})
        self.assertGreaterEqual(float(y.min()), 0.0)
        self.assertLessEqual(float(y.max()), 1.0)
        self.assertTrue(torch.equal(my, (my > 0.5).float()))
        self.assertGreater(float((y - x).abs().mean()), 0.01)

    def test_masks_follow_the_image_geometry(self):
        torch.manual_seed(2)
        x, m = phantom(8)
        y, my = augment.acquisition_augment(x, m, p={**OFF, 'geometry': 1.0})
        # after the same warp, the mask still covers the dark lungs and not the bright body
        inside = my > 0.5
        self.assertGreater(float((y[inside] < 0.5).float().mean()), 0.95)
        outside = y[~inside]
        self.assertLess(float(((outside < 0.5) & (outside > 0.02)).float().mean()), 0.05)  # padding is ~0

    def test_jpeg_like_matches_pil_jpeg_error_scale(self):
        x, _ = phantom(1, 64)
        x = (x + 0.05 * torch.randn_like(x)).clamp(0, 1)
        for q in (30, 90):
            ours = augment.jpeg_like(x, torch.tensor([float(q)]))
            buf = io.BytesIO()
            Image.fromarray((x[0, 0].numpy() * 255).round().astype(np.uint8)).save(buf, 'JPEG', quality=q)
            pil = torch.from_numpy(np.asarray(Image.open(buf), np.float32) / 255)
            err_ours = float((ours[0, 0] - x[0, 0]).abs().mean())
            err_pil = float((pil - x[0, 0]).abs().mean())
            # same quantisation table, no chroma: errors agree within a factor of 1.5
            self.assertLess(abs(np.log(err_ours / err_pil)), np.log(1.5), (q, err_ours, err_pil))

    def test_blur_removes_fine_detail_and_sharpen_adds_it(self):
        torch.manual_seed(3)
        x, _ = phantom(4)
        x = (x + 0.03 * torch.randn_like(x)).clamp(0, 1)
        fine = lambda t: float((t - augment.gaussian_blur(t, torch.ones(t.shape[0]))).abs().mean())
        blurred = augment.detail(x, {**OFF, 'blur': 1.0})
        sharpened = augment.detail(x, {**OFF, 'sharpen': 1.0})
        self.assertLess(fine(blurred), 0.6 * fine(x))
        self.assertGreater(fine(sharpened), 1.2 * fine(x))

    def test_overlays_draw_bright_marks_outside_the_centre(self):
        torch.manual_seed(4)
        x = torch.zeros(16, 1, 64, 64)
        y = augment.overlays(x, {**OFF, 'text': 1.0, 'boxes': 1.0})
        drawn = y > 0.5
        self.assertTrue(bool(drawn.flatten(1).any(1).all()))
        self.assertEqual(int(drawn[:, :, 24:40, 24:40].sum()), 0)


if __name__ == '__main__':
    unittest.main()
