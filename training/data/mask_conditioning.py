"""The generator's mask conditioning without the source (issue 17, item 4), and the
finding x source balanced sampler it trains with.

cxr-studio-v1 learned the hospital from its mask_cond: a ground-truth lung mask came only
with Shenzhen (tuberculosis, normal) or ieee8023 (covid-19) images, each in its own
convention, with a convention flag that was 1 exactly for Shenzhen; every other image had
a pseudo-mask in the V7 convention. So the mask's shape and the flag named the source,
and with it the finding. Here every training image gets its lung mask drawn, per sample,
from the same pool of kinds whatever its source:

- the segmenter's V7 channel (includes the retrocardiac region), on every image;
- the segmenter's Shenzhen channel (excludes it), on every image, so the narrower
  convention is no longer a tuberculosis sign;
- the image's own ground-truth mask, where it has one (Shenzhen, JSRT/SCR, ieee8023/V7),
  mixed in at a lower rate so the model still sees hand-drawn outlines.

The convention flag (mask_cond channel 2, `lung_shenzhen`) is 'random' by default:
Bernoulli(0.5) whenever a lung mask is given, independent of the mask, the image and its
source, so it carries no information and the model learns to ignore it; the app may keep
sending what maskCond.ts sends. 'convention' sets it to the drawn mask's convention
(pseudo-masks of both channels on every source keep it from naming the source), 'off'
always 0. The channel layout, and so the UNet's ONNX inputs, stay those of v1.
"""
import numpy as np
import torch

LUNG_KINDS = ('pseudo_v7', 'pseudo_shenzhen', 'given')
FLAG_MODES = ('random', 'convention', 'off')


def balanced_weights(cls, source, min_group=16):
    """Sampling probability per record: every finding equally likely, and within a
    finding every source equally likely. A (finding, source) group smaller than
    min_group gets count/min_group of a source's share, so three ieee8023 'no finding'
    images are not each drawn as often as a whole hospital's normals."""
    cls, source = np.asarray(cls), np.asarray(source)
    p = np.zeros(len(cls))
    findings = sorted(set(cls.tolist()))
    for c in findings:
        in_c = cls == c
        groups = {s: np.nonzero(in_c & (source == s))[0] for s in sorted(set(source[in_c].tolist()))}
        share = {s: min(1.0, len(ix) / min_group) for s, ix in groups.items()}
        total = sum(share.values())
        for s, ix in groups.items():
            p[ix] = share[s] / total / len(ix) / len(findings)
    return p / p.sum()


def balance_table(cls, source, p, class_names):
    """{finding: {source: expected share of draws}}: what the sampler does, for the log."""
    out = {}
    for c in sorted(set(np.asarray(cls).tolist())):
        name = class_names[c] if 0 <= c < len(class_names) else str(c)
        out[name] = {s: round(float(p[(cls == c) & (source == s)].sum()), 4) for s in sorted(set(source[cls == c].tolist()))}
    return out


class MaskBank:
    """Per-image pooled masks [N,32,32] in [0,1] (torch, on the training device) and the
    rule that draws one mask_cond row per sample (see the module docstring).

    given / given_shenzhen: ground-truth lung mask and whether it is in the Shenzhen
    convention (has_given says which images have one); pseudo_v7 / pseudo_shenzhen:
    the segmenter's two channels on every image; lesion / has_lesion as in v1."""

    def __init__(self, given, has_given, given_shenzhen, pseudo_v7, pseudo_shenzhen, lesion, has_lesion,
                 p_given=0.25, p_pseudo_shenzhen=0.25, flag='random', has_lung=None):
        assert flag in FLAG_MODES, flag
        self.given, self.pseudo_v7, self.pseudo_shenzhen, self.lesion = given, pseudo_v7, pseudo_shenzhen, lesion
        dev = given.device
        as_t = lambda a: torch.as_tensor(np.asarray(a), device=dev)
        self.has_given, self.given_shenzhen, self.has_lesion = as_t(has_given).bool(), as_t(given_shenzhen).bool(), as_t(has_lesion).bool()
        # images with no lung mask of any kind (only when there is no segmenter) get the no-mask state
        self.has_lung = torch.ones(len(given), dtype=torch.bool, device=dev) if has_lung is None else as_t(has_lung).bool()
        self.p_given, self.p_pseudo_shenzhen, self.flag = p_given, p_pseudo_shenzhen, flag
        self.device = dev

    def config(self):
        return {'lung_mask_kinds': {'given (where the image has one)': self.p_given,
                                    'segmenter shenzhen channel': self.p_pseudo_shenzhen,
                                    'segmenter v7 channel': round(1 - self.p_given - self.p_pseudo_shenzhen, 4)},
                'convention_flag': self.flag, 'images_with_given_lung_mask': int(self.has_given.sum())}

    def draw(self, pick):
        """mask_cond [B,5,32,32] for the record indices pick (a device tensor)."""
        b, dev = len(pick), self.device
        u = torch.rand(b, device=dev)
        use_given = (u < self.p_given) & self.has_given[pick]
        use_shz = ~use_given & (u >= 1 - self.p_pseudo_shenzhen)
        lung = torch.where(use_shz[:, None, None], self.pseudo_shenzhen[pick], self.pseudo_v7[pick])
        lung = torch.where(use_given[:, None, None], self.given[pick], lung)
        shenzhen_convention = use_shz | (use_given & self.given_shenzhen[pick])
        if self.flag == 'random':
            flag = (torch.rand(b, device=dev) < 0.5).float()
        elif self.flag == 'convention':
            flag = shenzhen_convention.float()
        else:
            flag = torch.zeros(b, device=dev)
        ones = torch.ones(b, 1, 32, 32, device=dev)
        lung_on = self.has_lung[pick].float()[:, None, None, None]
        has_lesion = self.has_lesion[pick].float()[:, None, None, None]
        lung_part = torch.cat([lung[:, None], ones, flag[:, None, None, None] * ones], 1) * lung_on
        return torch.cat([lung_part, self.lesion[pick][:, None], has_lesion * ones], 1)
