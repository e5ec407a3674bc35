"""Acquisition augmentation on GPU tensors: make one hospital's images look like another's.

The classifier and segmenter of v1 learned the source (issue 17): each finding came from
one hospital, and what tells hospitals apart is how the image was acquired and stored,
not anatomy. Each transform here changes one such property, applied per image with its
own probability, on batches [B,1,H,W] in [0,1] (masks, if given, follow the geometry):

  geometry   crop / zoom, aspect-ratio change, re-padding to a square (black borders of
             another width), small rotation and shift
  intensity  gamma, contrast and brightness, windowing (a narrower grey-level window)
  detail     Gaussian blur or unsharp-mask sharpening (never both), Gaussian and
             signal-dependent noise
  storage    JPEG-like block DCT quantisation (8x8, luminance table at quality 20-90)
  overlays   burned-in markers: text strips of random glyphs and solid boxes

Everything is batched torch (no per-image Python loops over pixels), so it runs on the
GPU inside the training step. `python3 -m training.data.augment --preview out.png` writes a
grid of examples from the pack; the tests are training/data/test_augment.py.
"""
import math

import torch
import torch.nn.functional as F

DEFAULT_P = {
    'geometry': 0.8, 'gamma': 0.5, 'contrast': 0.5, 'window': 0.3, 'blur': 0.25, 'sharpen': 0.2,
    'noise': 0.3, 'jpeg': 0.3, 'text': 0.3, 'boxes': 0.2,
}
# The JPEG standard's luminance quantisation table (Annex K), scaled by quality as libjpeg does.
_JPEG_LUMA = torch.tensor([
    [16, 11, 10, 16, 24, 40, 51, 61], [12, 12, 14, 19, 26, 58, 60, 55],
    [14, 13, 16, 24, 40, 57, 69, 56], [14, 17, 22, 29, 51, 87, 80, 62],
    [18, 22, 37, 56, 68, 109, 103, 77], [24, 35, 55, 64, 81, 104, 113, 92],
    [49, 64, 78, 87, 103, 121, 120, 101], [72, 92, 95, 98, 112, 100, 103, 99]], dtype=torch.float32)


def _chosen(b, p, device):
    return torch.rand(b, device=device) < p


def _u(b, lo, hi, device):
    return torch.empty(b, device=device).uniform_(lo, hi)


def geometry(x, masks, on, rot_deg=8.0):
    """Per image: zoom (0.85-1.2: <1 re-pads with black, >1 crops), an extra squeeze of one
    axis (aspect 0.8-1.0: narrower or shorter, as images padded to a square from another
    shape), rotation and shift. Images off `on` keep a mild affine only."""
    b, dev = x.shape[0], x.device
    zoom = torch.where(on, _u(b, 0.85, 1.2, dev), _u(b, 0.95, 1.05, dev))
    squeeze = torch.where(on, _u(b, 0.8, 1.0, dev), torch.ones(b, device=dev))
    horizontal = torch.rand(b, device=dev) < 0.5
    sx = zoom * torch.where(horizontal, squeeze, torch.ones_like(squeeze))
    sy = zoom * torch.where(horizontal, torch.ones_like(squeeze), squeeze)
    a = (torch.rand(b, device=dev) * 2 - 1) * math.radians(rot_deg)
    shift = torch.where(on, torch.full((b,), 0.08, device=dev), torch.full((b,), 0.04, device=dev))
    tx, ty = (torch.rand(2, b, device=dev) * 2 - 1) * shift
    cos, sin = torch.cos(a), torch.sin(a)
    theta = torch.stack([torch.stack([cos / sx, -sin / sx, tx], 1), torch.stack([sin / sy, cos / sy, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    return out, [(F.grid_sample(m, grid, mode='bilinear', padding_mode='zeros', align_corners=False) > 0.5).float()
                 for m in masks]


def intensity(x, p):
    b, dev = x.shape[0], x.device
    shape = (b, 1, 1, 1)
    g = torch.where(_chosen(b, p['gamma'], dev), torch.exp(_u(b, -0.45, 0.45, dev)), torch.ones(b, device=dev))
    x = x.clamp(1e-4, 1) ** g.view(shape)
    on = _chosen(b, p['contrast'], dev)
    c = torch.where(on, _u(b, 0.6, 1.4, dev), torch.ones(b, device=dev)).view(shape)
    br = torch.where(on, _u(b, -0.12, 0.12, dev), torch.zeros(b, device=dev)).view(shape)
    x = ((x - 0.5) * c + 0.5 + br).clamp(0, 1)
    on = _chosen(b, p['window'], dev)
    lo = torch.where(on, _u(b, 0.0, 0.25, dev), torch.zeros(b, device=dev)).view(shape)
    hi = torch.where(on, _u(b, 0.75, 1.0, dev), torch.ones(b, device=dev)).view(shape)
    return ((x - lo) / (hi - lo)).clamp(0, 1)


def _gauss_kernels(sigma, k=9):
    r = torch.arange(k, device=sigma.device, dtype=torch.float32) - k // 2
    g = torch.exp(-r[None] ** 2 / (2 * sigma[:, None] ** 2))
    return g / g.sum(1, keepdim=True)


def gaussian_blur(x, sigma):
    """Per-image Gaussian blur (separable, one grouped conv per axis)."""
    b, _, h, w = x.shape
    k = _gauss_kernels(sigma)
    y = x.reshape(1, b, h, w)
    y = F.conv2d(F.pad(y, (4, 4, 0, 0), mode='reflect'), k[:, None, None, :], groups=b)
    y = F.conv2d(F.pad(y, (0, 0, 4, 4), mode='reflect'), k[:, None, :, None], groups=b)
    return y.reshape(b, 1, h, w)


def detail(x, p):
    b, dev = x.shape[0], x.device
    blur = _chosen(b, p['blur'], dev)
    sharpen = _chosen(b, p['sharpen'], dev) & ~blur
    if blur.any() or sharpen.any():
        sigma = torch.where(blur, _u(b, 0.6, 1.8, dev), _u(b, 0.8, 1.5, dev))
        soft = gaussian_blur(x, sigma)
        amount = _u(b, 0.5, 1.5, dev).view(b, 1, 1, 1)
        x = torch.where(blur.view(b, 1, 1, 1), soft, x)
        x = torch.where(sharpen.view(b, 1, 1, 1), (x + amount * (x - soft)).clamp(0, 1), x)
    on = _chosen(b, p['noise'], dev).view(b, 1, 1, 1)
    sd = _u(b, 0.005, 0.04, dev).view(b, 1, 1, 1)
    shot = torch.rand(b, 1, 1, 1, device=dev) < 0.5  # signal-dependent (quantum) vs additive
    noise = torch.randn_like(x) * sd * torch.where(shot, x.clamp(0, 1).sqrt() * 1.5, torch.ones_like(x))
    return torch.where(on, (x + noise).clamp(0, 1), x)


def _dct_matrix(n=8, device=None):
    k = torch.arange(n, dtype=torch.float32, device=device)
    m = torch.cos(math.pi * (2 * k[None] + 1) * k[:, None] / (2 * n)) * math.sqrt(2.0 / n)
    m[0] /= math.sqrt(2.0)
    return m


def jpeg_like(x, quality):
    """Luminance JPEG without entropy coding (which is lossless): 8x8 block DCT, quantised
    by the standard table scaled for `quality` (per image, 1-100), inverse DCT."""
    b, _, h, w = x.shape
    dev = x.device
    d = _dct_matrix(8, dev)
    q = quality.float().clamp(1, 100)
    scale = torch.where(q < 50, 5000.0 / q, 200.0 - 2 * q) / 100.0
    table = (_JPEG_LUMA.to(dev)[None] * scale.view(b, 1, 1)).clamp(min=1.0).view(b, 1, 1, 8, 8)
    blocks = (x * 255 - 128).reshape(b, h // 8, 8, w // 8, 8).permute(0, 1, 3, 2, 4)
    coef = d @ blocks @ d.T
    coef = torch.round(coef / table) * table
    out = (d.T @ coef @ d).permute(0, 1, 3, 2, 4).reshape(b, 1, h, w)
    return ((out + 128) / 255).clamp(0, 1)


def storage(x, p):
    b, dev = x.shape[0], x.device
    on = _chosen(b, p['jpeg'], dev)
    if not on.any():
        return x
    y = jpeg_like(x, _u(b, 20, 90, dev))
    return torch.where(on.view(b, 1, 1, 1), y, x)


def overlays(x, p, glyphs=6):
    """Burned-in text (a strip of random 3x5 glyphs, placed at random size and position)
    and solid markers, drawn at a bright grey, as on figure crops and bedside films."""
    b, dev = x.shape[0], x.device
    out = x
    on = _chosen(b, p['text'], dev)
    if on.any():
        n = int(torch.randint(2, glyphs + 1, (1,)))
        strip = (torch.rand(b, 1, 5, n * 4, device=dev) < 0.5).float()
        strip[..., 3::4] = 0  # a blank column between glyphs
        height = _u(b, 0.03, 0.08, dev)  # glyph height as a fraction of the image
        width = height * n * 4 / 5
        cx, cy = _u(b, -0.8, 0.8, dev), torch.where(torch.rand(b, device=dev) < 0.5, _u(b, -0.9, -0.6, dev), _u(b, 0.6, 0.9, dev))
        zeros = torch.zeros(b, device=dev)
        theta = torch.stack([torch.stack([1 / width, zeros, -cx / width], 1), torch.stack([zeros, 1 / height, -cy / height], 1)], 1)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        ink = F.grid_sample(strip, grid, mode='nearest', padding_mode='zeros', align_corners=False)
        level = _u(b, 0.7, 1.0, dev).view(b, 1, 1, 1)
        out = torch.where((ink > 0.5) & on.view(b, 1, 1, 1), level.expand_as(x), out)
    on = _chosen(b, p['boxes'], dev)
    if on.any():
        h, w = x.shape[2:]
        yy = torch.linspace(0, 1, h, device=dev).view(1, h, 1)
        xx = torch.linspace(0, 1, w, device=dev).view(1, 1, w)
        # markers sit near the left or right edge, never over the lungs (a box there reads as a lesion)
        x0 = torch.where(torch.rand(b, device=dev) < 0.5, _u(b, 0.01, 0.12, dev), _u(b, 0.8, 0.9, dev)).view(b, 1, 1)
        y0 = _u(b, 0.02, 0.9, dev).view(b, 1, 1)
        bw, bh = _u(b, 0.02, 0.08, dev).view(b, 1, 1), _u(b, 0.02, 0.08, dev).view(b, 1, 1)
        box = (xx >= x0) & (xx < x0 + bw) & (yy >= y0) & (yy < y0 + bh)
        level = _u(b, 0.6, 1.0, dev).view(b, 1, 1, 1)
        out = torch.where(box[:, None] & on.view(b, 1, 1, 1), level.expand_as(x), out)
    return out


def acquisition_augment(x, *masks, p=None):
    """x [B,1,H,W] in [0,1] (H, W multiples of 8), masks [B,1,H,W] binary -> augmented x
    and masks (geometry only). p: probability per transform, DEFAULT_P where missing."""
    p = {**DEFAULT_P, **(p or {})}
    x, masks = geometry(x, list(masks), _chosen(x.shape[0], p['geometry'], x.device))
    x = intensity(x, p)
    x = detail(x, p)
    x = overlays(x, p)
    x = storage(x, p)
    return [x, *masks]


if __name__ == '__main__':
    import argparse
    import io
    import json
    import numpy as np
    from PIL import Image
    ap = argparse.ArgumentParser()
    ap.add_argument('--pack', default='.pack/cxr256.npz')
    ap.add_argument('--preview', required=True, help='PNG: originals (top row) and three augmented rows')
    args = ap.parse_args()
    z = np.load(args.pack)
    recs = json.loads(bytes(z['records']).decode())
    off, jpeg = z['offsets'], z['jpeg']
    pick = np.random.default_rng(0).choice(len(recs), 8, replace=False)
    imgs = torch.from_numpy(np.stack([np.asarray(Image.open(io.BytesIO(jpeg[off[i]:off[i + 1]].tobytes())))
                                      for i in pick])).float()[:, None] / 255
    torch.manual_seed(0)
    rows = [imgs] + [acquisition_augment(imgs)[0] for _ in range(3)]
    grid = torch.cat([torch.cat(list(r[:, 0]), 1) for r in rows], 0)
    Image.fromarray((grid.numpy() * 255).astype(np.uint8)).save(args.preview)
    print('wrote', args.preview, [recs[i]['source'] for i in pick])
