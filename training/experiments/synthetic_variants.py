"""The studio's random mask variants in numpy, the same recipe as src/core/mask/variants.ts
(randomVariants with DEFAULT_VARIANT_RANGES), transform.ts (flip, scale, shear, rotation
about the centre, then translation, then the elastic field; one inverse-mapped resampling)
and elastic.ts (normals from mulberry32 + Box-Muller on a control grid, cubic B-spline):
the same seed gives the same transform as the app draws.
"""
import math

import numpy as np

DEFAULT_RANGES = {
    'rotateDeg': (-10, 10), 'scaleX': (0.9, 1.1), 'scaleY': (0.9, 1.1), 'translateX': (-10, 10), 'translateY': (-10, 10),
    'shearX': (-0.05, 0.05), 'shearY': (-0.05, 0.05), 'flipXChance': 0.0, 'elasticStrength': (0, 4), 'elasticSmoothness': 32,
}
_M32 = 0xFFFFFFFF


def _imul(a, b):
    """JavaScript's Math.imul as an unsigned 32-bit result."""
    return (a * b) & _M32


def mulberry32(seed):
    """Uniforms in [0, 1) bit-identical to src/core/rng.ts mulberry32."""
    state = seed & _M32

    def uniform():
        nonlocal state
        state = (state + 0x6D2B79F5) & _M32
        t = _imul(state ^ (state >> 15), 1 | state)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & _M32) ^ t
        return ((t ^ (t >> 14)) & _M32) / 4294967296.0
    return uniform


def standard_normal(seed, count):
    uniform = mulberry32(seed)
    out = np.empty(count, np.float32)
    for i in range(0, count, 2):
        u1 = uniform() or 1 / 4294967296.0
        u2 = uniform()
        r = math.sqrt(-2 * math.log(u1))
        out[i] = r * math.cos(2 * math.pi * u2)
        if i + 1 < count:
            out[i + 1] = r * math.sin(2 * math.pi * u2)
    return out


def random_variants(count, seed, ranges=DEFAULT_RANGES):
    """`count` transforms (dicts shaped like MaskTransform) drawn as randomVariants draws them."""
    uniform = mulberry32(seed)
    pick = lambda r: r[0] + (r[1] - r[0]) * uniform()
    out = []
    for _ in range(count):
        t = {k: pick(ranges[k]) for k in ('rotateDeg', 'scaleX', 'scaleY', 'translateX', 'translateY', 'shearX', 'shearY')}
        t['flipX'] = uniform() < ranges['flipXChance']
        t['flipY'] = False
        strength = pick(ranges['elasticStrength'])
        elastic_seed = math.floor(uniform() * 4294967296.0)
        t['elastic'] = {'strength': strength, 'smoothness': ranges['elasticSmoothness'], 'seed': elastic_seed} if strength > 0 else None
        out.append(t)
    return out


def _compose(*steps):
    """2x3 matrices applied first to last, as affine.ts compose."""
    m = np.eye(3)
    for s in steps:
        m = np.vstack([np.asarray(s, float).reshape(2, 3), [0, 0, 1]]) @ m
    return m


def transform_matrix(t, side):
    c = side / 2
    a = math.radians(t['rotateDeg'])
    centred = _compose([-1 if t['flipX'] else 1, 0, 0, 0, -1 if t['flipY'] else 1, 0], [t['scaleX'], 0, 0, 0, t['scaleY'], 0],
                       [1, t['shearX'], 0, t['shearY'], 1, 0], [math.cos(a), -math.sin(a), 0, math.sin(a), math.cos(a), 0])
    return _compose([1, 0, -c, 0, 1, -c], centred[:2].ravel(), [1, 0, c, 0, 1, c], [1, 0, t['translateX'], 0, 1, t['translateY']])


def _bspline(t):
    return [(1 - t) ** 3 / 6, (3 * t ** 3 - 6 * t ** 2 + 4) / 6, (-3 * t ** 3 + 3 * t ** 2 + 3 * t + 1) / 6, t ** 3 / 6]


def elastic_field(side, strength, smoothness, seed):
    cells = math.ceil(side / smoothness) + 3
    normals = standard_normal(seed & _M32, 2 * cells * cells).astype(np.float64).reshape(cells, cells, 2)
    gain = strength / sum(w * w for w in (1 / 6, 4 / 6, 1 / 6))
    g = (np.arange(side) + 0.5) / smoothness
    j = np.floor(g).astype(int)
    w = np.stack(_bspline(g - j))  # [4, side]
    dx, dy = np.zeros((side, side)), np.zeros((side, side))
    for m in range(4):
        for n in range(4):
            node = normals[(j + m)[:, None], (j + n)[None, :]]  # [y, x, 2]
            weight = w[m][:, None] * w[n][None, :]
            dx += weight * node[..., 0]
            dy += weight * node[..., 1]
    return (dx * gain).astype(np.float32), (dy * gain).astype(np.float32)


def transform_mask(mask, t):
    """transformMask with 'linear' sampling: a 0/1 [side, side] mask warped by t."""
    side = mask.shape[0]
    inv = np.linalg.inv(transform_matrix(t, side))
    px, py = np.meshgrid(np.arange(side) + 0.5, np.arange(side) + 0.5)
    if t['elastic'] and t['elastic']['strength'] > 0:
        e = t['elastic']
        dx, dy = elastic_field(side, e['strength'], e['smoothness'], e['seed'])
        px, py = px + dx, py + dy
    x = inv[0, 0] * px + inv[0, 1] * py + inv[0, 2] - 0.5
    y = inv[1, 0] * px + inv[1, 1] * py + inv[1, 2] - 0.5
    i, j = np.floor(x).astype(int), np.floor(y).astype(int)
    tx, ty = x - i, y - j
    src = np.pad(mask > 0, 1).astype(np.float64)
    at = lambda u, v: src[np.clip(v, -1, side) + 1, np.clip(u, -1, side) + 1]
    top = at(i, j) * (1 - tx) + at(i + 1, j) * tx
    bottom = at(i, j + 1) * (1 - tx) + at(i + 1, j + 1) * tx
    return (top * (1 - ty) + bottom * ty >= 0.5).astype(np.uint8)
