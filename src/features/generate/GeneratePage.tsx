/** Placeholder until the generation feature lands; it replaces this file. */
export function GeneratePage() {
  return (
    <section>
      <h2>Generate</h2>
      <p>Synthetic X-ray generation is coming here.</p>
    </section>
  );
}
