/**
 * The "your own model" manifest form's fields, shared by the Models page
 * (load into the analysis worker) and the Evaluate page (score on a test set).
 * Read them back with `readFormValues` from the enclosing form.
 */
export function UserModelFields() {
  return (
    <>
      <label>Role <select name="role" defaultValue="classifier"><option value="classifier">classifier</option><option value="segmenter">segmenter</option></select></label>
      <label>ONNX file <input type="file" name="file" aria-label="ONNX file" accept=".onnx" /></label>
      <label>Input size (px) <input name="size" type="number" min={1} defaultValue={256} /></label>
      <label>Input channels <input name="channels" type="number" min={1} max={4} defaultValue={1} /></label>
      <label>Scale (x = pixel·scale + offset) <input name="scale" type="number" step="any" defaultValue={1 / 255} /></label>
      <label>Offset <input name="offset" type="number" step="any" defaultValue={0} /></label>
      <label>Output activation <select name="activation" defaultValue="softmax"><option>softmax</option><option>sigmoid</option><option>none</option></select></label>
      <label>Mask threshold <input name="threshold" type="number" step="any" defaultValue={0.5} /></label>
      <label>Class names / mask channels (comma-separated) <input name="names" defaultValue="normal, pneumonia, tuberculosis, covid19" /></label>
      <label>Input name (blank: the model's first) <input name="inputName" defaultValue="" /></label>
      <label>Output name (blank: the model's first) <input name="outputName" defaultValue="" /></label>
    </>
  );
}
