import { useGenerate } from './generateStore.ts';
import { GalleryCard } from './GalleryCard.tsx';

export function Gallery() {
  const gallery = useGenerate((s) => s.gallery);
  return (
    <section className="gallery" aria-label="Gallery">
      <h3>
        Gallery (<span data-testid="gallery-count">{gallery.length}</span>)
      </h3>
      {gallery.length === 0 && <p className="note">Generated images appear here and stay after a reload.</p>}
      <div className="gallery-grid">
        {[...gallery].reverse().map((entry) => (
          <GalleryCard key={entry.id} entry={entry} />
        ))}
      </div>
    </section>
  );
}
