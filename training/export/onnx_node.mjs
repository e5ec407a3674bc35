// Runs one ONNX model on float32 inputs with onnxruntime-node, the runtime of the studio's CLI,
// for Python code that needs an exported graph's outputs without a Python onnxruntime (Debian
// packages none): training/export/onnx_node.py writes the spec and reads the outputs back.
//   node training/export/onnx_node.mjs SPEC.json
// SPEC.json: {"model": PATH, "inputs": [{"name", "dims", "file"}], "out": DIR}; each input file
// is raw little-endian float32; each output is written to DIR/<index>.bin (its own type's bytes)
// and DIR/outputs.json lists [{"name", "type", "dims"}] in the session's output order.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const session = await ort.InferenceSession.create(spec.model, { intraOpNumThreads: 2 });
const feeds = {};
for (const input of spec.inputs) {
  const bytes = fs.readFileSync(input.file);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  feeds[input.name] = new ort.Tensor('float32', data, input.dims);
}
const results = await session.run(feeds);
const listed = session.outputNames.map((name, i) => {
  const tensor = results[name];
  const data = tensor.data;
  fs.writeFileSync(path.join(spec.out, `${i}.bin`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return { name, type: tensor.type, dims: [...tensor.dims] };
});
fs.writeFileSync(path.join(spec.out, 'outputs.json'), JSON.stringify(listed));
