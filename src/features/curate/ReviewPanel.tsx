import { useEffect, useRef, useState } from 'react';
import { ARTEFACT_TAGS } from '../../core/curation/review.ts';
import { IDENTITY_WINDOW_8BIT } from '../../core/image/windowLevel.ts';
import { decide, openReviewOf } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { REVIEW_KEY_HELP, reviewCommand } from './reviewKeys.ts';
import { WindowedImage } from './WindowedImage.tsx';

/** One image at full size; the keyboard does the review (keys in REVIEW_KEY_HELP). */
export function ReviewPanel({ order }: { order: readonly string[] }) {
  const reviewing = useCurate((s) => s.reviewing);
  const entry = useCurate((s) => s.entries.find((e) => e.id === s.reviewing));
  const score = useCurate((s) => (s.reviewing ? s.scores[s.reviewing] : undefined));
  const draft = useCurate((s) => s.draft);
  const patchDraft = useCurate((s) => s.patchDraft);
  const [displayWindow, setWindow] = useState(IDENTITY_WINDOW_8BIT);
  const panel = useRef<HTMLElement>(null);
  const comment = useRef<HTMLTextAreaElement>(null);

  useEffect(() => panel.current?.focus(), [reviewing]);

  if (!entry || !reviewing) return null;
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) {
      if (event.key === 'Escape') panel.current?.focus();
      return;
    }
    const command = reviewCommand(event.key);
    if (!command) return;
    event.preventDefault();
    const { draft: current } = useCurate.getState();
    switch (command.kind) {
      case 'realism':
        return patchDraft({ realism: command.value });
      case 'finding':
        return patchDraft({ findingPresent: command.value });
      case 'artefact':
        return patchDraft({ artefacts: current.artefacts.includes(command.tag) ? current.artefacts.filter((t) => t !== command.tag) : [...current.artefacts, command.tag] });
      case 'decide':
        return void decide(command.decision, order);
      case 'move':
        return openReviewOf(order[order.indexOf(reviewing) + command.by] ?? reviewing);
      case 'comment':
        return comment.current?.focus();
      case 'close':
        return openReviewOf(undefined);
    }
  };
  const p = entry.provenance;
  return (
    <section ref={panel} className="panel review-panel" tabIndex={-1} onKeyDown={onKeyDown} aria-label="Review mode" data-testid="review-panel">
      <h2>
        Review {order.indexOf(reviewing) + 1} of {order.length}
      </h2>
      <div className="review-body">
        <div>
          <WindowedImage png={entry.png} window={displayWindow} alt={`Synthetic X-ray under review: ${p.prompt}, seed ${p.seed}`} />
          <label>
            Window level <input type="range" min={0} max={255} value={displayWindow.center} onChange={(e) => setWindow({ ...displayWindow, center: Number(e.target.value) })} />
          </label>
          <label>
            Window width <input type="range" min={2} max={512} value={displayWindow.width} onChange={(e) => setWindow({ ...displayWindow, width: Number(e.target.value) })} />
          </label>
        </div>
        <div className="review-form">
          <p>
            <strong>{p.prompt}</strong>
            <br />
            seed {p.seed} · {p.steps} steps · guidance {p.guidance} · {p.mask ? `mask ${p.mask.name}` : 'no mask'}
            {score && (
              <>
                <br />
                proxy: p({score.findingClass ?? '–'}) = {score.findingProbability?.toFixed(3) ?? '–'}, Dice {score.maskDice?.toFixed(3) ?? '–'}
              </>
            )}
          </p>
          <p data-testid="draft-realism">Realism: {draft.realism ?? '–'} / 5</p>
          <p data-testid="draft-finding">Finding present as prompted: {draft.findingPresent ?? '–'}</p>
          <fieldset>
            <legend>Artefacts</legend>
            {ARTEFACT_TAGS.map((tag) => (
              <label key={tag}>
                <input type="checkbox" checked={draft.artefacts.includes(tag)} onChange={() => patchDraft({ artefacts: draft.artefacts.includes(tag) ? draft.artefacts.filter((t) => t !== tag) : [...draft.artefacts, tag] })} />
                {tag}
              </label>
            ))}
          </fieldset>
          <label>
            Comment
            <textarea ref={comment} value={draft.comment} onChange={(e) => patchDraft({ comment: e.target.value })} rows={2} />
          </label>
          <p>
            <button type="button" onClick={() => void decide('accept', order)}>Accept (Enter)</button>{' '}
            <button type="button" onClick={() => void decide('reject', order)}>Reject (X)</button>{' '}
            <button type="button" onClick={() => openReviewOf(undefined)}>Close (Esc)</button>
          </p>
          <dl className="review-keys">
            {REVIEW_KEY_HELP.map(([key, what]) => (
              <div key={key}><dt>{key}</dt><dd>{what}</dd></div>
            ))}
          </dl>
        </div>
      </div>
    </section>
  );
}
