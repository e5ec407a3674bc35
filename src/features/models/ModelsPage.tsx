import { Alert, Loader, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { userMessage } from '../../core/errors.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { PageLayout } from '../../ui/PageLayout.tsx';
import { BundleCard } from './BundleCard.tsx';
import { manifestQuery, useActiveBundleId, useBundleIndex } from './queries.ts';
import { UserModelForm } from './UserModelForm.tsx';
import './models.css';

function LoadError({ error }: { error: unknown }) {
  const { title, detail } = userMessage(error);
  return (
    <Alert color="red" title={title}>
      {detail}
    </Alert>
  );
}

export function ModelsPage() {
  const index = useBundleIndex();
  const active = useActiveBundleId();
  const setBundleId = useSettings((s) => s.setBundleId);
  const manifests = useQueries({
    queries: (index.data ?? []).map(manifestQuery),
  });
  return (
    <PageLayout title="Models" intro="The model bundles that ship with the studio, what each was trained on and how well it did; or load an ONNX model of your own." controls={<UserModelForm />}>
      <Stack gap="lg">
        {index.error && <LoadError error={index.error} />}
        {index.isPending && (
          <Text c="dimmed" size="sm">
            <Loader size="xs" mr="xs" />
            Loading the bundle list…
          </Text>
        )}
        {manifests.map((q, i) =>
          q.data ? (
            <BundleCard key={q.data.id} manifest={q.data} active={q.data.id === active} onUse={() => setBundleId(q.data!.id)} />
          ) : q.error ? (
            <LoadError key={i} error={q.error} />
          ) : (
            <Text key={i} c="dimmed" size="sm">
              Loading…
            </Text>
          ),
        )}
      </Stack>
    </PageLayout>
  );
}
