"""torch.onnx.export with the same exporter on every torch this project meets.

Here (Debian's torch 1.13) there is only the TorchScript exporter. The GPU machine has torch
2.11 (/work/.library/device/KINDS.md), where `torch.onnx.export` defaults to the torch.export
(dynamo) exporter since 2.9: a different graph, `dynamic_axes` only partly honoured, opset 18+.
Every export here was checked against the app with the TorchScript exporter's graphs, so
`onnx_export` asks for that one wherever torch offers the choice.
"""
import inspect

import torch

_HAS_DYNAMO_FLAG = 'dynamo' in inspect.signature(torch.onnx.export).parameters


def onnx_export(model, args, path, **kwargs):
    """torch.onnx.export(model, args, path, **kwargs) with dynamo=False where torch has the flag."""
    if _HAS_DYNAMO_FLAG:
        kwargs.setdefault('dynamo', False)
    torch.onnx.export(model, args, path, **kwargs)


def export_or_log(export, name, log=print):
    """Runs export(); on any error logs it and returns False instead of raising. For the GPU
    scripts, whose weights are saved first: an exporter surprise on the device's torch must not
    lose a session's training (the ONNX file can be made again here from the weights)."""
    try:
        export()
        return True
    except Exception as e:  # noqa: BLE001 (any exporter failure; the weights are already saved)
        log(f'export of {name} failed ({type(e).__name__}: {e}); the weights are saved, export it here from them')
        return False
