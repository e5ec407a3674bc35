import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { ModelFileReport, useModelFileReading } from './ModelFileReading.tsx';
import { useUserModelDraft } from './userModelDraft.ts';
import { NORMALIZATIONS, normalizationFields, type UserModelDraft } from './userModelSpec.ts';
import './models.css';

type NormalizationName = keyof typeof NORMALIZATIONS;

/** The normalization whose numbers the fields hold; any other numbers are "custom". */
function normalizationOf(scale: string, offset: string): NormalizationName | 'custom' {
  const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
  return (Object.keys(NORMALIZATIONS) as NormalizationName[]).find((name) => same(scale, NORMALIZATIONS[name].scale) && same(offset, NORMALIZATIONS[name].offset)) ?? 'custom';
}

/**
 * The "your own model" manifest form's fields, shared by the Models page
 * (load into the analysis worker) and the Evaluate page (score on a test set).
 * Read them back with `readFormValues` from the enclosing form. What is typed is
 * kept (userModelDraft.ts); the file is picked again after a reload. Picking a file
 * fills in what its graph declares (ModelFileReading.tsx).
 */
export function UserModelFields() {
  const [chosen, setChosen] = useState<string>();
  const draft = useUserModelDraft();
  const modelFile = useModelFileReading();
  /** A field's props: its name in the form, and its value in the draft. */
  const bind = (name: keyof UserModelDraft) => ({ name, value: draft[name], onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => draft.patch({ [name]: e.currentTarget.value }) });
  function normalize(name: string) {
    if (name in NORMALIZATIONS) draft.patch(normalizationFields(name as NormalizationName));
  }
  return (
    <Stack gap="sm">
      <div>
        <FilePicker inputLabel="ONNX file" name="file" accept=".onnx,.data" multiple onFiles={(picked) => {
            setChosen(picked.map((f) => f.name).join(' + '));
            void modelFile.read(picked);
          }}>
          Choose an ONNX file…
        </FilePicker>
        <Text size="xs" c="dimmed" mt={4} data-testid="user-model-file">
          {chosen ?? 'No file chosen yet: picking one fills in what its graph declares (a model saved with its weights in a separate .data file, as PyTorch exports by default: pick both). The fields below are kept across reloads; the file is not.'}
        </Text>
      </div>
      <ModelFileReport reading={modelFile.reading} />
      <NativeSelect label="Role" data={['classifier', 'segmenter']} {...bind('role')} />
      <div className="field-pair">
        <TextInput label="Input size (px)" type="number" min={1} {...bind('size')} />
        <TextInput label="Input channels" type="number" min={1} max={4} {...bind('channels')} />
      </div>
      <NativeSelect
        label="Channel order"
        data={[
          { value: 'nchw', label: 'channels first [batch, C, H, W] (PyTorch)' },
          { value: 'nhwc', label: 'channels last [batch, H, W, C] (TensorFlow, Keras)' },
        ]}
        {...bind('layout')}
      />
      <NativeSelect
        label="Normalization"
        description="fills in scale and offset; ImageNet also sets 3 channels"
        value={normalizationOf(draft.scale, draft.offset)}
        onChange={(e) => normalize(e.currentTarget.value)}
        data={[...(Object.keys(NORMALIZATIONS) as NormalizationName[]).map((name) => ({ value: name, label: NORMALIZATIONS[name].label })), { value: 'custom', label: 'custom (the numbers below)' }]}
      />
      <TextInput label="Scale" description="x = pixel·scale + offset, pixel 0..255: one number, or one per channel (comma-separated)" {...bind('scale')} />
      <TextInput label="Offset" description="one number, or one per channel" {...bind('offset')} />
      <div className="field-pair">
        <NativeSelect label="Output activation" data={['softmax', 'sigmoid', 'none']} {...bind('activation')} />
        <TextInput label="Mask threshold" type="number" step="any" {...bind('threshold')} />
      </div>
      <TextInput label="Class names / mask channels" description="comma-separated, in the output's order; a classifier with one sigmoid output: the class it does not score, then the one it scores" {...bind('names')} />
      <div className="field-pair">
        <TextInput label="Input name" description="blank: the model's first" {...bind('inputName')} />
        <TextInput label="Output name" description="blank: the model's first" {...bind('outputName')} />
      </div>
      <Group justify="flex-end" gap="xs">
        <Button
          type="button" variant="subtle" size="compact-xs" disabled={modelFile.reading?.state !== 'read'}
          onClick={(e) => void modelFile.downloadManifest(e.currentTarget.form)}
        >
          Download manifest.json
        </Button>
        <Button type="button" variant="subtle" size="compact-xs" onClick={modelFile.reset}>
          Reset the fields
        </Button>
      </Group>
      {modelFile.saved && (
        <Alert color={modelFile.saved.ok ? 'green' : 'red'} variant="light" role={modelFile.saved.ok ? 'status' : 'alert'} data-testid="user-model-manifest">
          {modelFile.saved.text}
        </Alert>
      )}
    </Stack>
  );
}
