"""Make testdata/user-models/classifier-imagenet.int8.onnx: the shipped int8 classifier as a user's
ImageNet-style model would take its input, for the tests of per-channel normalization.

A model fine-tuned from an ImageNet backbone takes 3 channels, each normalized with torchvision's
mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). This file puts three nodes in front of
cxr-studio-v1's classifier.int8.onnx: undo that normalization per channel (x * std + mean, back to
pixel / 255) and average the channels into the one gray channel the classifier reads. Fed with the
right per-channel scale and offset, it gives the shipped classifier's outputs; fed with one scale for
all channels (pixel / 255), every channel is off by its mean and std and the outputs move.

Usage: python3 scripts/make_imagenet_classifier.py   (needs the `onnx` package; checks the result
with onnxruntime when that is installed)
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "public" / "models" / "cxr-studio-v1" / "classifier.int8.onnx"
OUT = REPO / "testdata" / "user-models" / "classifier-imagenet.int8.onnx"
MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1)


def wrap(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    (gray,) = [i for i in graph.input if i.name == "image"]
    rgb = helper.make_tensor_value_info("rgb", TensorProto.FLOAT, ["batch", 3, 256, 256])
    graph.initializer.extend([numpy_helper.from_array(STD, "imagenet_std"), numpy_helper.from_array(MEAN, "imagenet_mean")])
    front = [
        helper.make_node("Mul", ["rgb", "imagenet_std"], ["rgb_times_std"], name="undo_imagenet_std"),
        helper.make_node("Add", ["rgb_times_std", "imagenet_mean"], ["rgb_unit"], name="undo_imagenet_mean"),
        helper.make_node("ReduceMean", ["rgb_unit"], ["image"], axes=[1], keepdims=1, name="rgb_to_gray"),
    ]
    nodes = front + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    graph.input.remove(gray)
    graph.input.insert(0, rgb)
    model.producer_name = "cxr-studio scripts/make_imagenet_classifier.py"
    onnx.checker.check_model(model)
    return model


def check(path: Path) -> None:
    """The wrapped model on ImageNet-normalized input gives the shipped one's outputs on pixel / 255."""
    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not installed: outputs not compared")
        return
    pixels = np.random.default_rng(0).integers(0, 256, (2, 1, 256, 256)).astype(np.float32)
    shipped = ort.InferenceSession(str(SOURCE)).run(None, {"image": pixels / 255})
    rgb = ((pixels / 255 - MEAN) / STD).astype(np.float32)
    wrapped = ort.InferenceSession(str(path)).run(None, {"rgb": rgb})
    one_scale = ort.InferenceSession(str(path)).run(None, {"rgb": np.repeat(pixels / 255, 3, axis=1)})
    print(f"max |logit diff| ImageNet-normalized vs shipped: {np.abs(wrapped[0] - shipped[0]).max():.2e}; "
          f"with pixel / 255 on every channel: {np.abs(one_scale[0] - shipped[0]).max():.2e}")


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(wrap(onnx.load(str(SOURCE))), str(OUT))
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size} bytes)")
    check(OUT)


if __name__ == "__main__":
    main()
