import { classificationOnlyNote, type ValidationSummary } from '../../core/evaluation/evaluationSet.ts';

/** Before the run: what was found, and every file that will be skipped with its reason. */
export function ValidationPanel({ validation, error }: { validation?: ValidationSummary; error?: { title: string; detail: string } }) {
  if (error) return <p role="alert" data-testid="input-error"><strong>{error.title}</strong> {error.detail}</p>;
  if (!validation) return null;
  const { counts, issues } = validation;
  return (
    <section className="panel" aria-label="Validation" data-testid="validation">
      <p data-testid="validation-counts">{counts.images} image(s): {counts.labelled} with a known label, {counts.withMask} with a mask; {counts.usable} usable.{counts.classificationOnly > 0 && ` ${classificationOnlyNote(counts.classificationOnly)}.`}</p>
      {issues.length > 0 && (
        <details open={issues.length <= 20}>
          <summary>{issues.length} input issue(s); the run goes on with the valid rest</summary>
          <ul data-testid="validation-issues">{issues.map((i) => <li key={`${i.kind}:${i.file}`}>{i.file}: {i.detail}</li>)}</ul>
        </details>
      )}
    </section>
  );
}
