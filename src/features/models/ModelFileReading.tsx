import { Alert, List, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { userMessage } from '../../core/errors.ts';
import type { ModelIo } from '../../core/manifest/bindModelIo.ts';
import { sha256Hex } from '../../core/manifest/verifyFile.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { downloadFile } from '../../ui/download.ts';
import { analysisClient, describeModelFile } from '../../workers-client/analysis.ts';
import { formFromModelIo, type FormFromFile } from './formFromModelIo.ts';
import { formFiles, modelFileOf, ownModelFile } from './ownModelFile.ts';
import { useUserModelDraft } from './userModelDraft.ts';
import { boundUserManifest, DRAFT_DEFAULTS, readFormValues } from './userModelSpec.ts';

type Reading =
  | { state: 'reading'; file: string }
  | { state: 'read'; file: string; io: ModelIo; result: FormFromFile }
  | { state: 'failed'; file: string; title: string; detail: string };

/**
 * The own-model form's reading of a picked file: the analysis worker opens it (nothing runs)
 * and the fields the file settles are filled in; `reset` puts the defaults back with what the
 * file said on top; `downloadManifest` saves the form as the file's bundle manifest for the
 * CLI. A file picked while another is still being read wins.
 */
export function useModelFileReading() {
  const [reading, setReading] = useState<Reading>();
  const [saved, setSaved] = useState<{ ok: boolean; text: string }>();
  const latest = useRef(0);

  /** Read what the picked model declares: its .onnx, with the data file its weights are in where it keeps them apart. */
  async function read(files: readonly File[]) {
    const ticket = ++latest.current;
    const file = modelFileOf(files)!;
    setSaved(undefined);
    setReading({ state: 'reading', file: file.name });
    try {
      const own = await ownModelFile(files);
      const io = await describeModelFile(await analysisClient(useSettings.getState().backend), own!.model);
      if (ticket !== latest.current) return;
      const draft = useUserModelDraft.getState();
      const result = formFromModelIo(io, draft);
      draft.patch(result.patch);
      setReading({ state: 'read', file: file.name, io, result });
    } catch (error) {
      if (ticket !== latest.current) return;
      setReading({ state: 'failed', file: file.name, ...userMessage(error) });
    }
  }

  function reset() {
    const draft = useUserModelDraft.getState();
    draft.reset();
    if (reading?.state === 'read') draft.patch(formFromModelIo(reading.io, DRAFT_DEFAULTS).patch);
  }

  /** The enclosing form as the file's one-model manifest, bound and checked as a load would be (what `cxr-studio own-model --out` writes). */
  async function downloadManifest(form: HTMLFormElement | null) {
    const data = form ? new FormData(form) : undefined;
    // the .onnx as it is on disk: the CLI reads it, and a data file beside it, itself
    const file = data ? (await ownModelFile(formFiles(data)).catch(() => undefined))?.picked : undefined;
    if (reading?.state !== 'read' || !data || !file) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const manifest = boundUserManifest({ ...readFormValues(data), fileName: file.name, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }, reading.io);
      downloadFile('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
      setSaved({ ok: true, text: `Saved manifest.json for ${file.name}: in a folder with the file, it is a bundle the CLI takes as --model-dir.` });
    } catch (error) {
      const { title, detail } = userMessage(error);
      setSaved({ ok: false, text: `${title} ${detail}` });
    }
  }

  return { reading, saved, read, reset, downloadManifest };
}

/** What the picked file declares, what it filled in, and what is left to the user (or why it cannot be used). */
export function ModelFileReport({ reading }: { reading: Reading | undefined }) {
  if (!reading) return null;
  if (reading.state === 'reading') {
    return <Text size="xs" c="dimmed" role="status" data-testid="user-model-declared" data-state="reading">Reading what {reading.file} declares…</Text>;
  }
  if (reading.state === 'failed') {
    return (
      <Alert color="red" variant="light" role="alert" data-testid="user-model-declared" data-state="failed" title={`${reading.file} could not be read as an ONNX model`}>
        {reading.detail}
      </Alert>
    );
  }
  const { declared, filled, todo, problems } = reading.result;
  return (
    <Alert color={problems.length ? 'red' : 'blue'} variant="light" role="status" data-testid="user-model-declared" data-state="read" title={`${reading.file} declares`}>
      <List size="xs" spacing={2} className="declared-io">
        {declared.map((line) => <List.Item key={line}>{line}</List.Item>)}
      </List>
      {problems.length > 0 && <Text size="sm" mt={6} data-testid="user-model-problems">This model cannot be used as it is: {problems.join('; ')}.</Text>}
      {filled.length > 0 && <Text size="xs" mt={6}>Filled in from the file: {filled.join(', ')}.</Text>}
      {todo.length > 0 && <Text size="xs" mt={4} data-testid="user-model-todo">Still to give: {todo.join('; ')}.</Text>}
    </Alert>
  );
}
