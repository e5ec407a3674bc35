import { Alert, Button, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { userMessage } from '../../core/errors.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { Panel } from '../../ui/PageLayout.tsx';
import { analysisClient, forgetUserModels, loadUserModel, userModelNames } from '../../workers-client/analysis.ts';
import { replaceLoadedModels, useActiveBundleId } from './queries.ts';
import { formFiles, modelFileOf, ownModelFile } from './ownModelFile.ts';
import { UserModelFields } from './UserModelFields.tsx';
import { readFormValues, readUserModel } from './userModelSpec.ts';

/** Load a local ONNX classifier or segmenter plus a minimal manifest. The file goes to the worker as bytes; nothing is uploaded. */
export function UserModelForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string; detail?: string }>();
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState(userModelNames);
  const queryClient = useQueryClient();
  const bundleId = useActiveBundleId();

  async function restoreBuiltIn() {
    forgetUserModels();
    setOwn(userModelNames());
    setMessage({ ok: true, text: 'The built-in models are back in use.' });
    await queryClient.refetchQueries({ queryKey: ['analysis-models'] });
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const files = formFiles(data);
    const name = modelFileOf(files)?.name;
    if (!name) {
      setMessage({ ok: false, text: 'Choose an ONNX file first.' });
      return;
    }
    setBusy(true);
    setMessage(undefined);
    try {
      const file = (await ownModelFile(files))!.model;
      const values = readFormValues(data);
      const role = values.role;
      const { buffer, spec, classes } = await readUserModel(file, values);
      const client = await analysisClient(useSettings.getState().backend);
      const info = await loadUserModel(client, { role, spec, classes, name: file.name, bytes: buffer });
      replaceLoadedModels(bundleId, await client.api.loadedModels());
      setOwn(userModelNames());
      setMessage({ ok: true, text: `${file.name} is now the ${role} (on ${info.ep.toUpperCase()}); Analyze, Masks and Curate's proxy filter use it.` });
    } catch (error) {
      const { title, detail } = userMessage(error);
      setMessage({ ok: false, text: title, detail });
      useStatus.getState().showError(`Loading ${name}`, error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Load your own model">
      <Panel title="Use your own model">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            The file stays on this computer: it is read into the analysis worker, never uploaded. It stays in use across backend and variant
            changes until you put the built-in models back or reload the page.
          </Text>
          <UserModelFields />
          <Button type="submit" disabled={busy} loading={busy}>
            Load model
          </Button>
          {own.length > 0 && (
            <Stack gap="xs" data-testid="own-models">
              <Text size="sm">In use: {own.map((m) => `${m.role} ${m.name}`).join(', ')}</Text>
              <Button variant="default" onClick={() => void restoreBuiltIn()}>
                Use the built-in models again
              </Button>
            </Stack>
          )}
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'} data-testid="user-model-message">
              {message.text} {message.detail && <Text span size="sm" c="dimmed">{message.detail}</Text>}
            </Alert>
          )}
        </Stack>
      </Panel>
    </form>
  );
}
