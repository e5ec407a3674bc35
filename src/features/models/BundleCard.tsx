import type { Manifest } from '../../core/manifest/types.ts';
import { useModelCard } from './queries.ts';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function formatMetrics(metrics: Record<string, unknown> | undefined): string {
  if (!metrics) return '—';
  return Object.entries(metrics)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? v.toFixed(3) : typeof v === 'object' ? JSON.stringify(v, (_, x) => (typeof x === 'number' ? +x.toFixed(3) : x)) : String(v)}`)
    .join('; ');
}

export function BundleCard({ manifest, active, onUse }: { manifest: Manifest; active: boolean; onUse: () => void }) {
  const card = useModelCard(manifest);
  return (
    <article className="bundle" data-testid={`bundle-${manifest.id}`}>
      <h3>
        {manifest.name} <code>{manifest.id}</code> {active ? <strong>(in use)</strong> : <button type="button" onClick={onUse}>Use for Analyze</button>}
      </h3>
      <p>License: {manifest.license}</p>
      <table>
        <thead>
          <tr>
            <th>model</th>
            <th>task</th>
            <th>variants (size)</th>
            <th>params</th>
            <th>metrics</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(manifest.models).map(([role, spec]) => (
            <tr key={role}>
              <td>{role}</td>
              <td>{spec!.task}</td>
              <td>{Object.entries(spec!.variants).map(([v, f]) => `${v} ${mb(f!.bytes)}`).join(', ')}</td>
              <td>{spec!.params ? `${(spec!.params / 1e6).toFixed(2)} M` : '—'}</td>
              <td>{formatMetrics(spec!.metrics)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Model card</summary>
        <pre className="card">{card.data ?? (card.isPending ? 'Loading…' : '')}</pre>
      </details>
    </article>
  );
}
