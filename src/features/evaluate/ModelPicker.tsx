import { Alert, Button, Radio, Stack, Text } from '@mantine/core';
import { Panel } from '../../ui/PageLayout.tsx';
import { UserModelFields } from '../models/UserModelFields.tsx';
import { formFiles } from '../models/ownModelFile.ts';
import { readFormValues } from '../models/userModelSpec.ts';
import { chooseModelSource, chooseUserModel } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';

/** Which model to score: the active bundle's, or an ONNX file of the user's with the Models page's small manifest form. */
export function ModelPicker({ bundleName }: { bundleName: string | undefined }) {
  const { modelSource, userModel, userModelMessage: message, userModelBusy: busy } = useEvaluate();
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void chooseUserModel(formFiles(data), readFormValues(data));
  }
  return (
    <Panel title="Model">
      <Stack gap="sm">
        <Radio.Group name="model-source" value={modelSource} onChange={(value) => chooseModelSource(value as 'bundle' | 'user')} aria-label="Model to evaluate">
          <Stack gap="xs">
            <Radio value="bundle" data-testid="model-bundle" label={`Built-in: ${bundleName ?? '…'}`} />
            <Radio value="user" data-testid="model-user" label="Your own ONNX model" />
          </Stack>
        </Radio.Group>
        {modelSource === 'user' && (
          <form className="user-model-form" onSubmit={submit} aria-label="Your own model to evaluate">
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                The file is read here and handed to the evaluation worker; it is never uploaded. It is not kept: after a reload, pick it again (saved runs keep its file name and sha256).
              </Text>
              <UserModelFields />
              <Button type="submit" variant="default" data-testid="use-user-model" disabled={busy} loading={busy}>
                Use this model
              </Button>
              {userModel && !busy && <Text size="sm" data-testid="user-model-ready">{userModel.file.name} ({userModel.values.role})</Text>}
            </Stack>
          </form>
        )}
        {modelSource === 'user' && message && (
          <Alert color={message.ok ? 'green' : 'red'} variant="light" role={message.ok ? 'status' : 'alert'} title={message.title} data-testid="eval-model-message">
            {message.detail}
          </Alert>
        )}
      </Stack>
    </Panel>
  );
}
