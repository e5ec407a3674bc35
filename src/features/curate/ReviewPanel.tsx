import { Button, Checkbox, Group, Kbd, Slider, Stack, Text, Textarea, Title } from '@mantine/core';
import { Fragment, useEffect, useRef, useState } from 'react';
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
    // Text fields, checkboxes and the window sliders keep their own keys (the sliders' arrows move them, as a range input's do).
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement || (event.target instanceof HTMLElement && event.target.getAttribute('role') === 'slider')) {
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
    <section ref={panel} className="review-panel" tabIndex={-1} onKeyDown={onKeyDown} aria-label="Review mode" data-testid="review-panel">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Review {order.indexOf(reviewing) + 1} of {order.length}
        </Title>
        <Button size="xs" variant="default" onClick={() => openReviewOf(undefined)}>
          Close (Esc)
        </Button>
      </Group>
      <div className="review-body">
        <Stack gap="xs">
          <div className="image-stage">
            <WindowedImage png={entry.png} window={displayWindow} alt={`Synthetic X-ray under review: ${p.prompt}, seed ${p.seed}`} />
          </div>
          <div className="review-window">
            <div>
              <Text size="xs" c="dimmed">Window level</Text>
              <Slider thumbLabel="Window level" label={null} min={0} max={255} value={displayWindow.center} onChange={(center) => setWindow({ ...displayWindow, center })} />
            </div>
            <div>
              <Text size="xs" c="dimmed">Window width</Text>
              <Slider thumbLabel="Window width" label={null} min={2} max={512} value={displayWindow.width} onChange={(width) => setWindow({ ...displayWindow, width })} />
            </div>
          </div>
        </Stack>
        <Stack gap="sm" className="review-form">
          <div>
            <Text fw={600}>{p.prompt}</Text>
            <Text size="sm" c="dimmed">
              seed {p.seed} · {p.steps} steps · guidance {p.guidance} · {p.mask ? `mask ${p.mask.name}` : 'no mask'}
            </Text>
            {score && (
              <Text size="sm" c="dimmed">
                proxy: p({score.findingClass ?? '–'}) = {score.findingProbability?.toFixed(3) ?? '–'}, Dice {score.maskDice?.toFixed(3) ?? '–'}
              </Text>
            )}
          </div>
          <Group gap="lg">
            <Text size="sm" data-testid="draft-realism">Realism: {draft.realism ?? '–'} / 5</Text>
            <Text size="sm" data-testid="draft-finding">Finding present as prompted: {draft.findingPresent ?? '–'}</Text>
          </Group>
          <Checkbox.Group label="Artefacts" value={draft.artefacts} onChange={(artefacts) => patchDraft({ artefacts })}>
            <Group gap="sm" mt={4}>
              {ARTEFACT_TAGS.map((tag) => (
                <Checkbox key={tag} value={tag} label={tag} size="xs" />
              ))}
            </Group>
          </Checkbox.Group>
          <Textarea ref={comment} label="Comment" value={draft.comment} onChange={(e) => patchDraft({ comment: e.currentTarget.value })} rows={2} autosize minRows={2} />
          <Group gap="sm">
            <Button color="green" onClick={() => void decide('accept', order)}>Accept (Enter)</Button>
            <Button color="red" variant="light" onClick={() => void decide('reject', order)}>Reject (X)</Button>
          </Group>
          <dl className="review-keys" aria-label="Review keys">
            {REVIEW_KEY_HELP.map(([key, what]) => (
              <Fragment key={key}>
                <dt><Kbd size="xs">{key}</Kbd></dt>
                <dd>{what}</dd>
              </Fragment>
            ))}
          </dl>
        </Stack>
      </div>
    </section>
  );
}
