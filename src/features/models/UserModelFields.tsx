import { NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FilePicker } from '../../ui/FilePicker.tsx';
import './models.css';

/**
 * The "your own model" manifest form's fields, shared by the Models page
 * (load into the analysis worker) and the Evaluate page (score on a test set).
 * Read them back with `readFormValues` from the enclosing form.
 */
export function UserModelFields() {
  const [chosen, setChosen] = useState<string>();
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
        <TextInput label="Input channels" name="channels" type="number" min={1} max={4} defaultValue={1} />
      </div>
      <div className="field-pair">
        <TextInput label="Scale" description="x = pixel·scale + offset" name="scale" type="number" step="any" defaultValue={1 / 255} />
        <TextInput label="Offset" description="added after scaling" name="offset" type="number" step="any" defaultValue={0} />
      </div>
      <div className="field-pair">
        <NativeSelect label="Output activation" name="activation" defaultValue="softmax" data={['softmax', 'sigmoid', 'none']} />
        <TextInput label="Mask threshold" name="threshold" type="number" step="any" defaultValue={0.5} />
      </div>
      <TextInput label="Class names / mask channels" description="comma-separated, in the output's order" name="names" defaultValue="normal, pneumonia, tuberculosis, covid19" />
      <div className="field-pair">
        <TextInput label="Input name" description="blank: the model's first" name="inputName" defaultValue="" />
        <TextInput label="Output name" description="blank: the model's first" name="outputName" defaultValue="" />
      </div>
    </Stack>
  );
}
