import { NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { NORMALIZATIONS } from './userModelSpec.ts';
import './models.css';

type NormalizationName = keyof typeof NORMALIZATIONS;

/**
 * The "your own model" manifest form's fields, shared by the Models page
 * (load into the analysis worker) and the Evaluate page (score on a test set).
 * Read them back with `readFormValues` from the enclosing form.
 */
export function UserModelFields() {
  const [chosen, setChosen] = useState<string>();
  const [channels, setChannels] = useState('1');
  const [scale, setScale] = useState<string>(NORMALIZATIONS.unit.scale);
  const [offset, setOffset] = useState<string>(NORMALIZATIONS.unit.offset);
  // the choice shown is the one whose numbers the fields hold; any other numbers are "custom"
  const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
  const normalization = (Object.keys(NORMALIZATIONS) as NormalizationName[]).find((name) => same(scale, NORMALIZATIONS[name].scale) && same(offset, NORMALIZATIONS[name].offset)) ?? 'custom';
  function normalize(name: string) {
    if (!(name in NORMALIZATIONS)) return;
    const picked: { scale: string; offset: string; channels?: number } = NORMALIZATIONS[name as NormalizationName];
    setScale(picked.scale);
    setOffset(picked.offset);
    if (picked.channels) setChannels(String(picked.channels));
  }
  return (
    <Stack gap="sm">
      <NativeSelect label="Role" name="role" defaultValue="classifier" data={['classifier', 'segmenter']} />
      <div>
        <FilePicker inputLabel="ONNX file" name="file" accept=".onnx" onFiles={([file]) => setChosen(file.name)}>
          Choose an ONNX file…
        </FilePicker>
        <Text size="xs" c="dimmed" mt={4} data-testid="user-model-file">
          {chosen ?? 'No file chosen yet'}
        </Text>
      </div>
      <div className="field-pair">
        <TextInput label="Input size (px)" name="size" type="number" min={1} defaultValue={256} />
        <TextInput label="Input channels" name="channels" type="number" min={1} max={4} value={channels} onChange={(e) => setChannels(e.currentTarget.value)} />
      </div>
      <NativeSelect
        label="Channel order"
        name="layout"
        defaultValue="nchw"
        data={[
          { value: 'nchw', label: 'channels first [batch, C, H, W] (PyTorch)' },
          { value: 'nhwc', label: 'channels last [batch, H, W, C] (TensorFlow, Keras)' },
        ]}
      />
      <NativeSelect
        label="Normalization"
        description="fills in scale and offset; ImageNet also sets 3 channels"
        value={normalization}
        onChange={(e) => normalize(e.currentTarget.value)}
        data={[...(Object.keys(NORMALIZATIONS) as NormalizationName[]).map((name) => ({ value: name, label: NORMALIZATIONS[name].label })), { value: 'custom', label: 'custom (the numbers below)' }]}
      />
      <TextInput label="Scale" description="x = pixel·scale + offset, pixel 0..255: one number, or one per channel (comma-separated)" name="scale" value={scale} onChange={(e) => setScale(e.currentTarget.value)} />
      <TextInput label="Offset" description="one number, or one per channel" name="offset" value={offset} onChange={(e) => setOffset(e.currentTarget.value)} />
      <div className="field-pair">
        <NativeSelect label="Output activation" name="activation" defaultValue="softmax" data={['softmax', 'sigmoid', 'none']} />
        <TextInput label="Mask threshold" name="threshold" type="number" step="any" defaultValue={0.5} />
      </div>
      <TextInput label="Class names / mask channels" description="comma-separated, in the output's order; a classifier with one sigmoid output: the class it does not score, then the one it scores" name="names" defaultValue="normal, pneumonia, tuberculosis, covid19" />
      <div className="field-pair">
        <TextInput label="Input name" description="blank: the model's first" name="inputName" defaultValue="" />
        <TextInput label="Output name" description="blank: the model's first" name="outputName" defaultValue="" />
      </div>
    </Stack>
  );
}
