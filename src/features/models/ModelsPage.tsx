import { useQueries } from '@tanstack/react-query';
import { userMessage } from '../../core/errors.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { BundleCard } from './BundleCard.tsx';
import { manifestQuery, useActiveBundleId, useBundleIndex } from './queries.ts';
import { UserModelForm } from './UserModelForm.tsx';

export function ModelsPage() {
  const index = useBundleIndex();
  const active = useActiveBundleId();
  const setBundleId = useSettings((s) => s.setBundleId);
  const manifests = useQueries({
    queries: (index.data ?? []).map(manifestQuery),
  });
  return (
    <section className="models">
      <h2>Models</h2>
      {index.error && <p role="alert" className="error">{userMessage(index.error).title} <small>{userMessage(index.error).detail}</small></p>}
      {manifests.map((q, i) =>
        q.data ? (
          <BundleCard key={q.data.id} manifest={q.data} active={q.data.id === active} onUse={() => setBundleId(q.data!.id)} />
        ) : q.error ? (
          <p key={i} role="alert" className="error">{userMessage(q.error).title} <small>{userMessage(q.error).detail}</small></p>
        ) : (
          <p key={i}>Loading…</p>
        ),
      )}
      <UserModelForm />
    </section>
  );
}
