"""Make testdata/user-models/: the shipped int8 models as a user's own models often take their
input, for the tests of the "your own model" form's normalization and channel order.

- classifier-imagenet.int8.onnx: a model fine-tuned from an ImageNet backbone takes 3 channels,
  each normalized with torchvision's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
  Three nodes in front of cxr-studio-v1's classifier.int8.onnx undo that per channel (x * std +
  mean, back to pixel / 255) and average the channels into the one gray channel it reads. With the
  right per-channel scale and offset it gives the shipped classifier's outputs; with one scale for
  all channels (pixel / 255) every channel is off by its mean and std and the outputs move. A third
  output, abnormal_logit [batch, 1], is a binary classifier's one sigmoid logit: logsumexp of the
  three finding logits minus the normal one, so its sigmoid is 1 - the shipped p(normal).
- segmenter-nhwc.int8.onnx: a TensorFlow or Keras export keeps its channels last. A Transpose on
  each side of cxr-studio-v1's segmenter.int8.onnx makes its input [batch, 256, 256, 1] and its
  output [batch, 256, 256, 2]; read channels-last it gives the shipped segmenter's masks.
- segmenter-uint8.int8.onnx: an export that takes the 0..255 pixels as uint8 (as TensorFlow image
  models and some mobile exports do) and normalizes inside the graph: a Cast and a Mul by 1/255 in
  front of cxr-studio-v1's segmenter.int8.onnx. Fed the same integer pixels it gives the shipped
  segmenter's masks.
- segmenter-float16.int8.onnx: a float16 conversion (onnxconverter-common's convert_float_to_float16
  without keep_io_types) leaves the graph taking and giving halves: a Cast to float on the way in
  and a Cast to float16 on the way out of cxr-studio-v1's segmenter.int8.onnx. Fed the same pixels
  rounded to halves it gives the shipped segmenter's logits to float16 precision.
- segmenter-float16-overflow.int8.onnx: the float16 segmenter above with a float16 sum in front
  that overflows (4 x the sum of the squared inputs passes 65504, float16's largest, when the mean
  squared input passes about 0.25): on such a bright image every logit is NaN, on the others it
  is the shipped segmenter's. What a float16 conversion does to a graph that accumulates.
- segmenter-external.onnx with segmenter-external.onnx.data: the shipped int8 segmenter saved the
  way PyTorch's exporter saves a model by default since 2.9, its weights in a separate data file
  (ONNX "external data") and only the graph in the .onnx.
- segmenter-webgpu-disagrees.onnx: a graph on which onnxruntime-web's WebGPU and WASM providers
  really disagree, for the first-run check (workers/kit/checkedRunner.ts). A NaN made from the
  input (mean pixel x NaN) is cast to int32, which ONNX leaves to the implementation:
  onnxruntime-web's WASM gives 0; its WebGPU on SwiftShader, and native onnxruntime on x86, give
  -2147483648 (measured 2026-12-07, ORT 1.30). Its two "mask channels" are 8 * (pixel - 0.5),
  so in WASM the probabilities are sigmoid(8 * (pixel - 0.5)), which a test can compute; the
  offset (x 1e-8) takes 21.5 from every logit elsewhere, which empties the masks. Cheap on
  purpose: SwiftShader runs a real segmenter for tens of seconds.
- classifier-1x1.int8.onnx: a classifier whose head is a 1x1 convolution after global pooling and
  is exported without the flatten gives its scores as [batch, classes, 1, 1]: an Unsqueeze after
  cxr-studio-v1's classifier.int8.onnx makes its logits that shape (its features output goes).

Usage: python3 scripts/make_user_model_fixtures.py   (needs the `onnx` package; compares the
results with the shipped models when onnxruntime is installed)
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parent.parent
BUNDLE = REPO / "public" / "models" / "cxr-studio-v1"
OUT = REPO / "testdata" / "user-models"
MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1)


def replace_input(graph: onnx.GraphProto, old: str, new: onnx.ValueInfoProto, front: list) -> None:
    """Feed the graph from `new` through the `front` nodes, which must end in a tensor named `old`."""
    (declared,) = [i for i in graph.input if i.name == old]
    nodes = front + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    graph.input.remove(declared)
    graph.input.insert(0, new)


def imagenet_classifier() -> onnx.ModelProto:
    model = onnx.load(str(BUNDLE / "classifier.int8.onnx"))
    graph = model.graph
    graph.initializer.extend([numpy_helper.from_array(STD, "imagenet_std"), numpy_helper.from_array(MEAN, "imagenet_mean")])
    replace_input(graph, "image", helper.make_tensor_value_info("rgb", TensorProto.FLOAT, ["batch", 3, 256, 256]), [
        helper.make_node("Mul", ["rgb", "imagenet_std"], ["rgb_times_std"], name="undo_imagenet_std"),
        helper.make_node("Add", ["rgb_times_std", "imagenet_mean"], ["rgb_unit"], name="undo_imagenet_mean"),
        helper.make_node("ReduceMean", ["rgb_unit"], ["image"], axes=[1], keepdims=1, name="rgb_to_gray"),
    ])
    graph.initializer.extend([numpy_helper.from_array(np.array(v, np.int64), n) for n, v in
                              [("col_0", [0]), ("col_1", [1]), ("col_end", [4]), ("axis_1", [1])]])
    graph.node.extend([
        helper.make_node("Slice", ["logits", "col_0", "col_1", "axis_1"], ["normal_logit"], name="normal_logit"),
        helper.make_node("Slice", ["logits", "col_1", "col_end", "axis_1"], ["finding_logits"], name="finding_logits"),
        helper.make_node("ReduceLogSumExp", ["finding_logits"], ["any_finding_logit"], axes=[1], keepdims=1, name="any_finding"),
        helper.make_node("Sub", ["any_finding_logit", "normal_logit"], ["abnormal_logit"], name="abnormal_vs_normal"),
    ])
    graph.output.append(helper.make_tensor_value_info("abnormal_logit", TensorProto.FLOAT, ["batch", 1]))
    return model


def nhwc_segmenter() -> onnx.ModelProto:
    model = onnx.load(str(BUNDLE / "segmenter.int8.onnx"))
    graph = model.graph
    replace_input(graph, "image", helper.make_tensor_value_info("image_nhwc", TensorProto.FLOAT, ["batch", 256, 256, 1]), [
        helper.make_node("Transpose", ["image_nhwc"], ["image"], perm=[0, 3, 1, 2], name="to_channels_first"),
    ])
    (logits,) = [o for o in graph.output if o.name == "logits"]
    graph.output.remove(logits)
    graph.node.append(helper.make_node("Transpose", ["logits"], ["logits_nhwc"], perm=[0, 2, 3, 1], name="to_channels_last"))
    graph.output.insert(0, helper.make_tensor_value_info("logits_nhwc", TensorProto.FLOAT, ["batch", 256, 256, 2]))
    return model


def uint8_segmenter() -> onnx.ModelProto:
    model = onnx.load(str(BUNDLE / "segmenter.int8.onnx"))
    graph = model.graph
    graph.initializer.append(numpy_helper.from_array(np.array(1 / 255, np.float32), "one_over_255"))
    replace_input(graph, "image", helper.make_tensor_value_info("pixels", TensorProto.UINT8, ["batch", 1, 256, 256]), [
        helper.make_node("Cast", ["pixels"], ["pixels_float"], to=TensorProto.FLOAT, name="uint8_to_float"),
        helper.make_node("Mul", ["pixels_float", "one_over_255"], ["image"], name="to_unit_range"),
    ])
    return model


def float16_segmenter() -> onnx.ModelProto:
    model = onnx.load(str(BUNDLE / "segmenter.int8.onnx"))
    graph = model.graph
    replace_input(graph, "image", helper.make_tensor_value_info("image_half", TensorProto.FLOAT16, ["batch", 1, 256, 256]), [
        helper.make_node("Cast", ["image_half"], ["image"], to=TensorProto.FLOAT, name="half_to_float"),
    ])
    (logits,) = [o for o in graph.output if o.name == "logits"]
    graph.output.remove(logits)
    graph.node.append(helper.make_node("Cast", ["logits"], ["logits_half"], to=TensorProto.FLOAT16, name="float_to_half"))
    graph.output.insert(0, helper.make_tensor_value_info("logits_half", TensorProto.FLOAT16, ["batch", 2, 256, 256]))
    return model


def overflowing_float16_segmenter() -> onnx.ModelProto:
    model = float16_segmenter()
    graph = model.graph
    graph.initializer.extend([numpy_helper.from_array(np.array(4, np.float32), "four"),
                              numpy_helper.from_array(np.array([1, 2, 3], np.int64), "image_axes")])
    (cast,) = [n for n in graph.node if n.name == "half_to_float"]
    cast.output[0] = "image_float"
    front = [
        helper.make_node("Mul", ["image_float", "image_float"], ["squared"], name="square"),
        helper.make_node("Mul", ["squared", "four"], ["squared_4"], name="times_4"),
        helper.make_node("ReduceSum", ["squared_4", "image_axes"], ["total"], keepdims=1, name="sum"),
        # the sum held in float16, as a converted graph holds it: infinity above 65504
        helper.make_node("Cast", ["total"], ["total_half"], to=TensorProto.FLOAT16, name="sum_to_half"),
        helper.make_node("Cast", ["total_half"], ["total_back"], to=TensorProto.FLOAT, name="sum_from_half"),
        helper.make_node("Sub", ["total_back", "total_back"], ["zero_or_nan"], name="inf_minus_inf"),
        helper.make_node("Add", ["image_float", "zero_or_nan"], ["image"], name="poisoned"),
    ]
    nodes = list(graph.node)
    at = nodes.index(cast) + 1
    del graph.node[:]
    graph.node.extend(nodes[:at] + front + nodes[at:])
    return model


def webgpu_disagreeing_segmenter() -> onnx.ModelProto:
    constants = {"not_a_number": np.nan, "one_e_minus_8": 1e-8, "eight": 8.0, "half": 0.5}
    nodes = [
        helper.make_node("Sub", ["image", "half"], ["centred"], name="centre"),
        helper.make_node("Mul", ["centred", "eight"], ["logit"], name="steepen"),
        helper.make_node("ReduceMean", ["image"], ["mean_pixel"], keepdims=1, name="mean_pixel"),
        helper.make_node("Mul", ["mean_pixel", "not_a_number"], ["nan_from_input"], name="nan_from_input"),
        # not folded at load (it depends on the input), so each provider casts it its own way
        helper.make_node("Cast", ["nan_from_input"], ["nan_as_int"], to=TensorProto.INT32, name="nan_to_int32"),
        helper.make_node("Cast", ["nan_as_int"], ["provider_offset"], to=TensorProto.FLOAT, name="int32_to_float"),
        helper.make_node("Mul", ["provider_offset", "one_e_minus_8"], ["logit_shift"], name="scale_offset"),
        helper.make_node("Add", ["logit", "logit_shift"], ["shifted"], name="shift"),
        helper.make_node("Concat", ["shifted", "shifted"], ["logits"], axis=1, name="two_channels"),
    ]
    graph = helper.make_graph(
        nodes, "webgpu_disagrees",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 1, 256, 256])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2, 256, 256])],
        [numpy_helper.from_array(np.array(v, np.float32), k) for k, v in constants.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def unflattened_classifier() -> onnx.ModelProto:
    model = onnx.load(str(BUNDLE / "classifier.int8.onnx"))
    graph = model.graph
    del graph.output[:]
    graph.initializer.append(numpy_helper.from_array(np.array([2, 3], np.int64), "spatial_axes"))
    graph.node.append(helper.make_node("Unsqueeze", ["logits", "spatial_axes"], ["scores"], name="unflatten"))
    graph.output.append(helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", 4, 1, 1]))
    return model


def compare() -> None:
    """Each fixture, fed as its form says, against the shipped model on the same pixels."""
    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not installed: outputs not compared")
        return
    run = lambda name, feeds: ort.InferenceSession(str(name)).run(None, feeds)  # noqa: E731
    pixels = np.random.default_rng(0).integers(0, 256, (2, 1, 256, 256)).astype(np.float32)
    shipped = run(BUNDLE / "classifier.int8.onnx", {"image": pixels / 255})[0]
    per_channel, _, abnormal = run(OUT / "classifier-imagenet.int8.onnx", {"rgb": ((pixels / 255 - MEAN) / STD).astype(np.float32)})
    p_normal = np.exp(shipped[:, 0]) / np.exp(shipped).sum(1)
    print(f"binary output: max |sigmoid(abnormal_logit) - (1 - shipped p(normal))| {np.abs(1 / (1 + np.exp(-abnormal[:, 0])) - (1 - p_normal)).max():.2e}")
    one_scale = run(OUT / "classifier-imagenet.int8.onnx", {"rgb": np.repeat(pixels / 255, 3, axis=1)})[0]
    print(f"classifier, max |logit diff| from the shipped one: ImageNet per channel {np.abs(per_channel - shipped).max():.2e}, "
          f"pixel / 255 on every channel {np.abs(one_scale - shipped).max():.2e}")
    shipped = run(BUNDLE / "segmenter.int8.onnx", {"image": pixels / 255})[0]
    last = run(OUT / "segmenter-nhwc.int8.onnx", {"image_nhwc": np.transpose(pixels / 255, (0, 2, 3, 1))})[0]
    print(f"segmenter, max |logit diff| channels-last vs shipped: {np.abs(np.transpose(last, (0, 3, 1, 2)) - shipped).max():.2e}")
    raw = run(OUT / "segmenter-uint8.int8.onnx", {"pixels": pixels.astype(np.uint8)})[0]
    print(f"segmenter, max |logit diff| uint8 pixels vs shipped: {np.abs(raw - shipped).max():.2e}")
    shipped_scores = run(BUNDLE / "classifier.int8.onnx", {"image": pixels / 255})[0]
    scores = run(OUT / "classifier-1x1.int8.onnx", {"image": pixels / 255})[0]
    print(f"classifier, max |logit diff| [batch, 4, 1, 1] vs shipped: {np.abs(scores[:, :, 0, 0] - shipped_scores).max():.2e}")
    cheap = run(OUT / "segmenter-webgpu-disagrees.onnx", {"image": pixels / 255})[0]
    print(f"segmenter-webgpu-disagrees in native onnxruntime: max |logit - 8 (x - 0.5)| {np.abs(cheap - 8 * (pixels / 255 - 0.5)).max():.2e} (21.5 on x86)")
    half = run(OUT / "segmenter-float16.int8.onnx", {"image_half": (pixels / 255).astype(np.float16)})[0]
    print(f"segmenter, max |logit diff| float16 in and out vs shipped: {np.abs(half.astype(np.float32) - shipped).max():.2e}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, model in [("classifier-imagenet.int8.onnx", imagenet_classifier()), ("segmenter-nhwc.int8.onnx", nhwc_segmenter()),
                        ("segmenter-uint8.int8.onnx", uint8_segmenter()), ("segmenter-float16.int8.onnx", float16_segmenter()),
                        ("segmenter-float16-overflow.int8.onnx", overflowing_float16_segmenter()),
                        ("classifier-1x1.int8.onnx", unflattened_classifier()),
                        ("segmenter-webgpu-disagrees.onnx", webgpu_disagreeing_segmenter())]:
        model.producer_name = "cxr-studio scripts/make_user_model_fixtures.py"
        onnx.checker.check_model(model)
        onnx.save(model, str(OUT / name))
        print(f"wrote {(OUT / name).relative_to(REPO)} ({(OUT / name).stat().st_size} bytes)")
    external = onnx.load(str(BUNDLE / "segmenter.int8.onnx"))
    external.producer_name = "cxr-studio scripts/make_user_model_fixtures.py"
    (OUT / "segmenter-external.onnx.data").unlink(missing_ok=True)  # onnx.save appends to it
    onnx.save(external, str(OUT / "segmenter-external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
              location="segmenter-external.onnx.data", size_threshold=1024)
    for name in ["segmenter-external.onnx", "segmenter-external.onnx.data"]:
        print(f"wrote {(OUT / name).relative_to(REPO)} ({(OUT / name).stat().st_size} bytes)")
    compare()


if __name__ == "__main__":
    main()
