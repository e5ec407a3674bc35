import { useState } from 'react';
import { userMessage } from '../../core/errors.ts';
import type { Activation } from '../../core/manifest/types.ts';
import { sha256Hex } from '../../core/manifest/verifyFile.ts';
import { useSettings } from '../../app/settingsStore.ts';
import { useStatus } from '../../app/statusStore.ts';
import { analysisClient, Comlink } from '../../workers-client/analysis.ts';
import { parseNames, userModelManifest } from './userModelSpec.ts';

/** Load a local ONNX classifier or segmenter plus a minimal manifest. The file goes to the worker as bytes; nothing is uploaded. */
export function UserModelForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string; detail?: string }>();
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setMessage({ ok: false, text: 'Choose an ONNX file first.' });
      return;
    }
    setBusy(true);
    setMessage(undefined);
    try {
      const role = data.get('role') as 'segmenter' | 'classifier';
      const buffer = await file.arrayBuffer();
      const { spec, classes } = userModelManifest({
        role,
        fileName: file.name,
        bytes: buffer.byteLength,
        sha256: await sha256Hex(new Uint8Array(buffer)),
        size: Number(data.get('size')),
        channels: Number(data.get('channels')),
        scale: Number(data.get('scale')),
        offset: Number(data.get('offset')),
        activation: data.get('activation') as Activation,
        threshold: Number(data.get('threshold')),
        names: parseNames(String(data.get('names'))),
        inputName: String(data.get('inputName')).trim(),
        outputName: String(data.get('outputName')).trim(),
      });
      const { api, call } = await analysisClient(useSettings.getState().backend);
      const info = await call(api.loadUserModel(role, spec, classes, file.name, Comlink.transfer(buffer, [buffer])));
      useStatus.getState().setModels(await call(api.loadedModels()));
      setMessage({ ok: true, text: `${file.name} is now the ${role} (on ${info.ep.toUpperCase()}). Open the Analyze page to use it.` });
    } catch (error) {
      const { title, detail } = userMessage(error);
      setMessage({ ok: false, text: title, detail });
      useStatus.getState().showError(`Loading ${file.name}`, error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="user-model" onSubmit={submit} aria-label="Load your own model">
      <h3>Use your own model</h3>
      <p>The file stays on this computer: it is read into the analysis worker, never uploaded.</p>
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
      <button type="submit" disabled={busy}>{busy ? 'Loading…' : 'Load model'}</button>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'} data-testid="user-model-message">
          {message.text} {message.detail && <small>{message.detail}</small>}
        </p>
      )}
    </form>
  );
}
