import { Badge, Group, Title } from '@mantine/core';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { useGenerate } from './generateStore.ts';
import { GalleryCard } from './GalleryCard.tsx';

/** Every image made here, newest first; kept in IndexedDB across reloads. */
export function Gallery() {
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
        <EmptyState title={running ? 'The first image is on its way' : 'No images yet'} testId="gallery-empty">
          {running
            ? 'Each image appears here as soon as it is finished, with its seed and full provenance.'
            : 'Set a prompt (or pick an example) and a lung mask on the left, then press Generate. Each image appears here with its seed and full provenance, and stays after a reload.'}
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
