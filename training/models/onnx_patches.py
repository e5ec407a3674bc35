"""Graph edits that keep an exported model's function and dodge an execution-provider bug.

pad_conv_input_channels: onnxruntime-web 1.30's WebGPU EP computes a 3x3 Conv wrongly for
some input-channel counts (measured on SwiftShader, Chromium 156, every output off by the
size of the output itself: 6, 9 and 15 channels wrong; 1-5, 7, 8, 10-14 and 16 right; 1x1
convs always right). The UNet's conv_in sees 9 channels (4 latent + 5 mask), so the whole
UNet disagreed with WASM (max |diff| 3.9) and the app ran it on WASM. Zero-padding that
input to 12 channels (a Pad node, and zero weights for the new channels) computes the same
sums and takes the EP's correct path.

    /usr/bin/python3 -m training.models.onnx_patches public/models/cxr-studio-v1/unet.onnx   # in place
export_onnx.py applies it to every UNet it exports; bundle_weights.py strips the zero
channels when it reads weights back.

at_lower_resolution: the same model behind a downsample of its image input and a bilinear
upsample of its output, so a fully convolutional net runs at 1/factor the resolution with
its I/O unchanged (issue 18: the segmenter at 128 px inside the shipped 256 px I/O;
networks.SegAtSize is the PyTorch twin that training scores with).
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

def pad_conv_input_channels(model: onnx.ModelProto, node_name: str, multiple: int = 4) -> bool:
    """Pad `node_name`'s data input with zero channels up to a multiple of `multiple` (measured
    right on the EP: 4, 8, 12, 16), and its weight (an initializer, or an fp16-stored initializer
    behind a Cast) with zero input channels. Returns False when nothing needs padding
    (idempotent)."""
    g = model.graph
    node = next(n for n in g.node if n.name == node_name)
    inits = {i.name: i for i in g.initializer}
    weight_name = node.input[1]
    cast = next((n for n in g.node if n.op_type == 'Cast' and n.output[0] == weight_name), None)
    stored = inits[cast.input[0] if cast else weight_name]
    weight = numpy_helper.to_array(stored)
    channels = weight.shape[1]
    to = -(-channels // multiple) * multiple
    if to == channels:
        return False
    padded = np.zeros((weight.shape[0], to) + weight.shape[2:], dtype=weight.dtype)
    padded[:, :channels] = weight
    stored.CopyFrom(numpy_helper.from_array(padded, stored.name))
    pads_name = f'{node_name}/channel_pads'
    g.initializer.append(numpy_helper.from_array(np.array([0, 0, 0, 0, 0, to - channels, 0, 0], np.int64), pads_name))
    padded_input = f'{node_name}/padded_input'
    at = list(g.node).index(node)
    g.node.insert(at, helper.make_node('Pad', [node.input[0], pads_name], [padded_input], name=f'{node_name}/ChannelPad', mode='constant'))
    node.input[0] = padded_input
    return True


def patch_unet_for_webgpu(path: str) -> bool:
    model = onnx.load(path)
    changed = pad_conv_input_channels(model, '/conv_in/Conv')
    if changed:
        onnx.checker.check_model(model)
        onnx.save(model, path)
    return changed


def at_lower_resolution(model_bytes: bytes, factor: int, downsample: str = 'pool') -> bytes:
    """The same weights behind a downsample of the first input by `factor` ('pool': factor x
    factor average pooling; 'resize': bilinear Resize) and a bilinear Resize (half-pixel
    centres, as PyTorch's align_corners=False) of the first output back up. Declared I/O
    shapes stay as they were; intermediate value_info is dropped (it held full-size shapes)."""
    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    image, logits = graph.input[0].name, graph.output[0].name
    for node in graph.node:
        node.input[:] = ['image_small' if name == image else name for name in node.input]
        node.output[:] = ['logits_small' if name == logits else name for name in node.output]
    if downsample == 'pool':
        first = helper.make_node('AveragePool', [image], ['image_small'], kernel_shape=[factor, factor], strides=[factor, factor])
    else:
        graph.initializer.append(numpy_helper.from_array(np.array([1, 1, 1 / factor, 1 / factor], np.float32), 'down_scales'))
        first = helper.make_node('Resize', [image, '', 'down_scales'], ['image_small'], mode='linear')
    graph.initializer.append(numpy_helper.from_array(np.array([1, 1, factor, factor], np.float32), 'up_scales'))
    last = helper.make_node('Resize', ['logits_small', '', 'up_scales'], [logits], mode='linear')
    nodes = [first, *graph.node, last]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    return model.SerializeToString()

if __name__ == '__main__':
    for p in sys.argv[1:]:
        print(p, 'patched' if patch_unet_for_webgpu(p) else 'already patched')
