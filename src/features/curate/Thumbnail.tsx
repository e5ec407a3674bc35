import { Badge, Group, Text } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import type { GalleryEntry } from '../../storage/gallery.ts';
import { openReviewOf } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { proxyVerdict } from './curation.ts';

const VERDICT_COLOUR = { kept: 'green', rejected: 'red', unscored: 'gray' } as const;

function format(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

export function Thumbnail({ entry }: { entry: GalleryEntry }) {
  const url = useMemo(() => URL.createObjectURL(entry.png), [entry.png]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const score = useCurate((s) => s.scores[entry.id]);
  const verdict = useCurate((s) => proxyVerdict(s.scores[entry.id], s.thresholds));
  const decisions = useCurate((s) => s.reviews.filter((r) => r.imageId === entry.id).map((r) => `${r.reviewer}: ${r.decision}`).join(', '));
  return (
    <li className={`curate-thumb ${verdict}`} data-testid="curate-item" data-verdict={verdict}>
      <button type="button" onClick={() => openReviewOf(entry.id)} title="Review this image">
        <img src={url} width={128} height={128} alt={`Synthetic X-ray: ${entry.provenance.prompt}, seed ${entry.provenance.seed}`} />
      </button>
      <Group gap={6} wrap="nowrap">
        <Badge size="sm" variant="light" color={VERDICT_COLOUR[verdict]} className="verdict">
          {verdict}
        </Badge>
        <Text size="xs" c="dimmed" truncate title={entry.provenance.prompt}>
          seed {entry.provenance.seed}
        </Text>
      </Group>
      {score && (
        <span>
          p({score.findingClass ?? 'no finding class'}) {format(score.findingProbability)} · Dice {format(score.maskDice)}
        </span>
      )}
      <span className="reviews">{decisions || 'not reviewed'}</span>
    </li>
  );
}
