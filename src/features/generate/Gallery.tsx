import { Badge, Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { useGenerate } from './generateStore.ts';
import { GalleryCard } from './GalleryCard.tsx';

/** Every image made here, newest first; kept in IndexedDB across reloads. `tryExample`: the empty gallery's next action. */
export function Gallery({ tryExample }: { tryExample?: ReactNode }) {
  const gallery = useGenerate((s) => s.gallery);
  const running = useGenerate((s) => Boolean(s.run));
  return (
    <section className="gallery" aria-label="Gallery">
      <Group gap="xs" mb="sm">
        <Title order={3} size="h4">
          Gallery
        </Title>
        <Badge variant="light" color="gray" aria-label={`${gallery.length} images`}>
          <span data-testid="gallery-count">{gallery.length}</span>
        </Badge>
      </Group>
      {gallery.length === 0 ? (
        <EmptyState title={running ? 'The first image is on its way' : 'No images yet'} testId="gallery-empty" action={running ? undefined : tryExample}>
          {running
            ? 'Each image appears here as soon as it is finished, with its seed and full provenance.'
            : 'Set a prompt and a lung mask in the “What to make” panel and press Generate, or make one image from an example prompt and the bundle\'s example lung mask. Each image appears here with its seed and full provenance, and stays after a reload.'}
        </EmptyState>
      ) : (
        <div className="gallery-grid">
          {[...gallery].reverse().map((entry) => (
            <GalleryCard key={entry.id} entry={entry} />
          ))}
        </div>
      )}
    </section>
  );
}
