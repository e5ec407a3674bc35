"""Tests of networks.decoder_for and decoder_adherence.load_decoder: a distilled
decoder_small.pt (a bare SmallDecoder state_dict, as distill_decoder.py saves it) loads as
the SmallDecoder it is, at its widths; a Decoder state_dict (tune_decoder_tail.py) as a Decoder.
Run: /usr/bin/python3 -m unittest training/models/test_decoder_for.py"""
import os
import tempfile
import unittest

import torch

from training.evaluate.decoder_adherence import load_decoder
from training.models.networks import Decoder, SmallDecoder


def saved_like_distill_decoder(model, folder):
    """distill_decoder.py's save: torch.save of the state_dict's CPU tensors."""
    path = os.path.join(folder, 'decoder_small.pt')
    torch.save({k: v.cpu() for k, v in model.state_dict().items()}, path)
    return path


class LoadDecoderTest(unittest.TestCase):
    def test_small_decoder_loads_at_its_widths(self):
        latent = torch.randn(2, 4, 32, 32, generator=torch.Generator().manual_seed(0))
        for ch in ((128, 96, 48), (128, 64, 32)):
            torch.manual_seed(1)
            trained = SmallDecoder(ch).eval()
            with tempfile.TemporaryDirectory() as tmp:
                name, dec = load_decoder('small=' + saved_like_distill_decoder(trained, tmp))
            self.assertEqual(name, 'small')
            self.assertIsInstance(dec, SmallDecoder)
            self.assertEqual([m.out_channels for m in dec.blocks if isinstance(m, torch.nn.Conv2d)], list(ch))
            with torch.no_grad():
                out, want = dec(latent), trained(latent)
            self.assertEqual(out.shape, (2, 1, 256, 256))
            # the same network, its weights rounded to float16 as shipped: close, not identical
            self.assertLess((out - want).abs().max().item(), 0.02 * want.abs().max().item())
            self.assertFalse(torch.equal(out, want))

    def test_decoder_state_dict_loads_as_decoder(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'decoder.pt')
            torch.save(Decoder().state_dict(), path)
            _, dec = load_decoder('tail=' + path)
        self.assertIsInstance(dec, Decoder)


if __name__ == '__main__':
    unittest.main()
