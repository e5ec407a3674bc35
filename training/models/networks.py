"""The project's networks: lung segmenter, finding classifier, autoencoder, text encoder
and the text- and mask-conditioned denoising UNet.

Written for both Debian's torch 1.13 (CPU smoke runs, ONNX export here) and torch 2.x
(GPU training), with only ONNX-exportable ops (opset 17): attention is plain matmuls.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- segmenter

class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SegUNet(nn.Module):
    """256x256 image in [0,1] -> lung logits, one channel per mask convention:
    0 = includes the retrocardiac region (ieee8023 / V7), 1 = excludes it (Shenzhen)."""

    def __init__(self, ch=(16, 32, 64, 128, 256), out_channels=2):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = 1
        for c in ch:
            self.enc.append(ConvBNReLU(cin, c))
            cin = c
        self.dec = nn.ModuleList(ConvBNReLU(ch[i + 1] + ch[i], ch[i]) for i in reversed(range(len(ch) - 1)))
        self.head = nn.Conv2d(ch[0], out_channels, 1)

    def forward(self, image):
        x = (image - 0.5) / 0.25
        skips = []
        for i, block in enumerate(self.enc):
            x = block(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        skips.pop()
        for block in self.dec:
            x = F.interpolate(x, scale_factor=2.0, mode='bilinear', align_corners=False)
            x = block(torch.cat([x, skips.pop()], 1))
        return self.head(x)


SEG_SIZES = (256, 128)  # train_all.py --seg-size: the resolution the SegUNet itself runs at


class SegAtSize(nn.Module):
    """The shipped segmenter's I/O (256 px image in, 256 px logits out) around a SegUNet that
    runs at `size` px: 2x2 average pooling in, bilinear upsampling of the logits out (half
    pixel centres). Identity at 256. onnx_patches.at_lower_resolution is the same graph for
    an exported SegUNet (export_onnx.py, evaluate/segmenter_resolution.py);
    test_seg_size.py holds the two to the same numbers."""

    def __init__(self, net, size=256, full=256):
        super().__init__()
        assert full % size == 0, (size, full)
        self.net, self.size, self.factor = net, size, full // size

    def forward(self, image):
        if self.factor == 1:
            return self.net(image)
        logits = self.net(F.avg_pool2d(image, self.factor))
        return F.interpolate(logits, scale_factor=float(self.factor), mode='bilinear', align_corners=False)


def build_segmenter(meta=None):
    """The segmenter a train_all.py segmenter.npz describes: SegUNet(**kwargs) inside
    SegAtSize(seg_size); runs saved before --seg-size have none, so 256."""
    meta = meta or {}
    return SegAtSize(SegUNet(**meta.get('kwargs', {})), meta.get('seg_size', 256))

# ---------------------------------------------------------------- classifier

class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


class Classifier(nn.Module):
    """256x256 image in [0,1] -> (logits over CLASSES, 256-d penultimate features); with
    abnormal=True also an abnormal-vs-normal logit [N,1], returned only when asked
    (forward(image, with_abnormal=True)), so two-output callers keep working."""

    def __init__(self, num_classes=4, stem=32, widths=(64, 128, 192, 256), blocks=(1, 2, 2, 1), dropout=0.2,
                 abnormal=False):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, stem, 5, 2, 2, bias=False), nn.BatchNorm2d(stem), nn.ReLU(inplace=True))
        layers, cin = [], stem
        for w, n in zip(widths, blocks):
            for i in range(n):
                layers.append(BasicBlock(cin, w, 2 if i == 0 else 1))
                cin = w
        self.layers = nn.Sequential(*layers)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, num_classes)
        self.abnormal_fc = nn.Linear(cin, 1) if abnormal else None

    def forward(self, image, with_abnormal=False):
        x = self.layers(self.stem((image - 0.5) / 0.25))
        features = x.mean(dim=(2, 3))
        dropped = self.drop(features)
        if with_abnormal:
            return self.fc(dropped), features, self.abnormal_fc(dropped)
        return self.fc(dropped), features


class ClassifierWithAbnormal(nn.Module):
    """The three-output graph that export_onnx.py writes: logits, features, abnormal."""

    def __init__(self, classifier):
        super().__init__()
        self.classifier = classifier

    def forward(self, image):
        return self.classifier(image, with_abnormal=True)


# ---------------------------------------------------------------- autoencoder

def group_norm(c):
    return nn.GroupNorm(8 if c < 64 else 32, c)


class ResBlock(nn.Module):
    """GroupNorm-SiLU-conv residual block; adds a projected embedding when emb_dim > 0."""

    def __init__(self, cin, cout, emb_dim=0):
        super().__init__()
        self.norm1, self.conv1 = group_norm(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb_dim, cout) if emb_dim else None
        self.norm2, self.conv2 = group_norm(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb=None):
        h = self.conv1(F.silu(self.norm1(x)))
        if self.emb is not None:
            h = h + self.emb(F.silu(emb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + (x if self.skip is None else self.skip(x))


class Encoder(nn.Module):
    """256x256 image in [-1,1] -> latent mean and log-variance, 4x32x32."""

    def __init__(self, ch=(32, 64, 128, 128), z=4):
        super().__init__()
        self.conv_in = nn.Conv2d(1, ch[0], 3, padding=1)
        blocks, cin = [], ch[0]
        for i, c in enumerate(ch):
            blocks.append(ResBlock(cin, c))
            if i < len(ch) - 1:
                blocks.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
            cin = c
        self.blocks = nn.Sequential(*blocks, ResBlock(cin, cin))
        self.out = nn.Sequential(group_norm(cin), nn.SiLU(), nn.Conv2d(cin, 2 * z, 3, padding=1))

    def forward(self, image):
        mean, logvar = self.out(self.blocks(self.conv_in(image))).chunk(2, 1)
        return mean, logvar


class Decoder(nn.Module):
    """Latent 4x32x32 (unscaled) -> 256x256 image in [-1,1] (unclamped)."""

    def __init__(self, ch=(192, 160, 64, 32), z=4):
        super().__init__()
        self.conv_in = nn.Conv2d(z, ch[0], 3, padding=1)
        blocks, cin = [ResBlock(ch[0], ch[0])], ch[0]
        for i, c in enumerate(ch):
            blocks.append(ResBlock(cin, c))
            if i < len(ch) - 1:
                blocks += [nn.Upsample(scale_factor=2.0, mode='nearest'), nn.Conv2d(c, c, 3, padding=1)]
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Sequential(group_norm(cin), nn.SiLU(), nn.Conv2d(cin, 1, 3, padding=1))

    def forward(self, latent):
        return self.out(self.blocks(self.conv_in(latent)))


class SmallDecoder(nn.Module):
    """The Decoder's I/O at a fraction of its cost (issue 18: a decoder of <= 0.4 s in
    WASM on 2 cores), distilled from it (distill_decoder.py): one ResBlock per level at
    32, 64 and 128 px, and the last 2x as a pixel shuffle of 4 channels, so no
    convolution runs at 256x256, where the Decoder spends most of its time."""

    def __init__(self, ch=(128, 64, 32), z=4):
        super().__init__()
        blocks, cin = [nn.Conv2d(z, ch[0], 3, padding=1)], ch[0]
        for i, c in enumerate(ch):
            if i:
                blocks += [nn.Upsample(scale_factor=2.0, mode='nearest'), nn.Conv2d(cin, c, 3, padding=1)]
            blocks.append(ResBlock(c, c))
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Sequential(group_norm(cin), nn.SiLU(), nn.Conv2d(cin, 4, 3, padding=1), nn.PixelShuffle(2))

    def forward(self, latent):
        return self.out(self.blocks(latent))


def decoder_for(state_dict):
    """An empty Decoder or SmallDecoder shaped for a saved state_dict (a .pt of
    tune_decoder_tail.py or distill_decoder.py, which save bare state_dicts): a SmallDecoder
    starts with a plain convolution (blocks.0.weight) where a Decoder has conv_in, and its
    widths are the output channels of its plain convolutions, one per level."""
    if 'conv_in.weight' in state_dict:
        return Decoder()
    convs = sorted((int(k.split('.')[1]), v) for k, v in state_dict.items()
                   if k.startswith('blocks.') and k.count('.') == 2 and k.endswith('.weight') and v.dim() == 4)
    return SmallDecoder(tuple(v.shape[0] for _, v in convs), z=convs[0][1].shape[1])


# ---------------------------------------------------------------- text encoder

class Attention(nn.Module):
    def __init__(self, dim, ctx_dim=None, heads=4):
        super().__init__()
        ctx_dim = ctx_dim or dim
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(ctx_dim, dim, bias=False)
        self.v = nn.Linear(ctx_dim, dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        b, n, d = x.shape
        h, hd = self.heads, d // self.heads
        q = self.q(x).reshape(b, n, h, hd).transpose(1, 2)
        k = self.k(ctx).reshape(b, -1, h, hd).transpose(1, 2)
        v = self.v(ctx).reshape(b, -1, h, hd).transpose(1, 2)
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(hd)), dim=-1)
        return self.out(torch.matmul(w, v).transpose(1, 2).reshape(b, n, d))


class FeedForward(nn.Sequential):
    def __init__(self, dim, mult=4):
        super().__init__(nn.Linear(dim, dim * mult), nn.GELU(), nn.Linear(dim * mult, dim))


class TextEncoder(nn.Module):
    """input_ids int64 [N,32] -> last_hidden_state [N,32,dim]. Pads are attended to like
    any token, so the all-[PAD] prompt is a fixed 'unconditional' embedding."""

    def __init__(self, vocab_size, dim=256, layers=3, heads=4, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_len, dim))
        self.layers = nn.ModuleList(nn.ModuleList([nn.LayerNorm(dim), Attention(dim, heads=heads),
                                                   nn.LayerNorm(dim), FeedForward(dim)]) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids):
        x = self.tok(input_ids) + self.pos
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x))
            x = x + ff(ln2(x))
        return self.norm(x)


# ---------------------------------------------------------------- denoiser

class SpatialTransformer(nn.Module):
    """Self-attention (optional), cross-attention to the text, feed-forward."""

    def __init__(self, c, ctx_dim, heads=4, self_attn=True):
        super().__init__()
        self.norm = group_norm(c)
        self.proj_in = nn.Conv2d(c, c, 1)
        self.self_attn = (nn.LayerNorm(c), Attention(c, heads=heads)) if self_attn else None
        if self_attn:
            self.ln_self, self.attn_self = self.self_attn
        self.ln_cross, self.attn_cross = nn.LayerNorm(c), Attention(c, ctx_dim, heads)
        self.ln_ff, self.ff = nn.LayerNorm(c), FeedForward(c, 2)
        self.proj_out = nn.Conv2d(c, c, 1)

    def forward(self, x, ctx):
        b, c, hgt, wid = x.shape
        t = self.proj_in(self.norm(x)).flatten(2).transpose(1, 2)
        if self.self_attn is not None:
            t = t + self.attn_self(self.ln_self(t))
        t = t + self.attn_cross(self.ln_cross(t), ctx)
        t = t + self.ff(self.ln_ff(t))
        return x + self.proj_out(t.transpose(1, 2).reshape(b, c, hgt, wid))


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32, device=t.device) * (-math.log(10000.0) / half))
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class CondUNet(nn.Module):
    """Epsilon prediction on scaled latents [N,4,32,32], conditioned on the timestep, the
    text (cross-attention, plus its token mean added to the timestep embedding: a strong
    global signal for the finding) and mask_cond [N,C,32,32] (concatenated to the input
    and re-injected at every resolution)."""

    def __init__(self, mask_channels=5, ctx_dim=256, ch=(96, 160, 192), attn=(False, True, True),
                 cross_at_top=True, heads=4, z=4, guidance_input=False):
        super().__init__()
        temb = ch[0] * 4
        self.ch0 = ch[0]
        self.time_mlp = nn.Sequential(nn.Linear(ch[0], temb), nn.SiLU(), nn.Linear(temb, temb))
        # guidance_input (distill_guidance.py): the guidance scale is an input, embedded like
        # the timestep; its last layer starts at zero, so a student starts as its teacher.
        self.guidance_mlp = None
        if guidance_input:
            self.guidance_mlp = nn.Sequential(nn.Linear(ch[0], temb), nn.SiLU(), nn.Linear(temb, temb))
            nn.init.zeros_(self.guidance_mlp[2].weight)
            nn.init.zeros_(self.guidance_mlp[2].bias)
        self.text_pool = nn.Linear(ctx_dim, temb)
        self.conv_in = nn.Conv2d(z + mask_channels, ch[0], 3, padding=1)
        self.mask_in = nn.ModuleList(nn.Conv2d(mask_channels, c, 1) for c in ch)

        def xf(c, level):
            if attn[level]:
                return SpatialTransformer(c, ctx_dim, heads, self_attn=True)
            if level == 0 and cross_at_top:
                return SpatialTransformer(c, ctx_dim, heads, self_attn=False)
            return None

        self.down_res, self.down_xf, self.downsample = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        skip_ch, cin = [ch[0]], ch[0]
        for lvl, c in enumerate(ch):
            self.down_res.append(ResBlock(cin, c, temb))
            self.down_xf.append(xf(c, lvl) or nn.Identity())
            skip_ch.append(c)
            cin = c
            if lvl < len(ch) - 1:
                self.downsample.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
                skip_ch.append(c)
        self.mid1, self.mid_xf, self.mid2 = ResBlock(cin, cin, temb), SpatialTransformer(cin, ctx_dim, heads), ResBlock(cin, cin, temb)
        self.up_res, self.up_xf, self.upsample = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for lvl in reversed(range(len(ch))):
            c = ch[lvl]
            for _ in range(2):
                self.up_res.append(ResBlock(cin + skip_ch.pop(), c, temb))
                self.up_xf.append(xf(c, lvl) or nn.Identity())
                cin = c
            if lvl > 0:
                self.upsample.append(nn.Conv2d(c, c, 3, padding=1))
        self.out = nn.Sequential(group_norm(cin), nn.SiLU(), nn.Conv2d(cin, z, 3, padding=1))
        self.levels = len(ch)

    def _attend(self, xf, h, ctx):
        return h if isinstance(xf, nn.Identity) else xf(h, ctx)

    def forward(self, sample, timestep, encoder_hidden_states, mask_cond, guidance=None):
        ctx = encoder_hidden_states
        emb = self.time_mlp(timestep_embedding(timestep, self.ch0)) + self.text_pool(ctx.mean(dim=1))
        if self.guidance_mlp is not None:
            emb = emb + self.guidance_mlp(timestep_embedding(guidance * 100.0, self.ch0))
        masks = [mask_cond]
        for _ in range(self.levels - 1):
            masks.append(F.avg_pool2d(masks[-1], 2))
        h = self.conv_in(torch.cat([sample, mask_cond], 1))
        skips = [h]
        for lvl in range(self.levels):
            h = self.down_res[lvl](h, emb) + self.mask_in[lvl](masks[lvl])
            h = self._attend(self.down_xf[lvl], h, ctx)
            skips.append(h)
            if lvl < self.levels - 1:
                h = self.downsample[lvl](h)
                skips.append(h)
        h = self.mid2(self.mid_xf(self.mid1(h, emb), ctx), emb)
        i = 0
        for lvl in reversed(range(self.levels)):
            for _ in range(2):
                h = self.up_res[i](torch.cat([h, skips.pop()], 1), emb)
                h = self._attend(self.up_xf[i], h, ctx)
                i += 1
            if lvl > 0:
                h = self.upsample[self.levels - 1 - lvl](F.interpolate(h, scale_factor=2.0, mode='nearest'))
        return self.out(h)


def count_params(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == '__main__':
    for name, m in [('seg', SegUNet()), ('cls', Classifier()), ('enc', Encoder()), ('dec', Decoder()),
                    ('text', TextEncoder(40)), ('unet', CondUNet())]:
        print(name, count_params(m))
    u = CondUNet()
    y = u(torch.randn(2, 4, 32, 32), torch.tensor([10.0, 500.0]), torch.randn(2, 32, 256), torch.rand(2, 5, 32, 32))
    print(y.shape, SegUNet()(torch.rand(1, 1, 256, 256)).shape, [t.shape for t in Classifier()(torch.rand(2, 1, 256, 256))])
    print(Decoder()(Encoder()(torch.rand(1, 1, 256, 256))[0]).shape, TextEncoder(40)(torch.zeros(2, 32, dtype=torch.long)).shape)
