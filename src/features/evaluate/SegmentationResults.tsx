import { Anchor, Table, Text } from '@mantine/core';
import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { SegmentationSummary } from '../../core/evaluation/segmentationSummary.ts';
import { DiceHistogram } from './DiceHistogram.tsx';
import { ResultSection } from './ResultSection.tsx';
import { StatCard, StatRow } from './StatCard.tsx';
import { ciLine, fixed } from './format.ts';

/** Dice mean/median/IoU (and HD95) with 95% CIs, a histogram, and the per-image table (worst first; click to view). */
export function SegmentationResults({ s, channel, emptyRule, cases, onView }: { s: SegmentationSummary; channel?: string; emptyRule: string; cases: CaseResult[]; onView: (stem: string) => void }) {
  const scored = cases.filter((c) => typeof c.dice === 'number').sort((a, b) => (a.dice as number) - (b.dice as number));
  return (
    <ResultSection title="Segmentation" meta={`n = ${s.n}${s.skippedEmpty ? `, ${s.skippedEmpty} empty ground truth skipped` : ''}`} label="Segmentation" testId="segmentation-results">
      <StatRow>
        <StatCard label="Mean Dice" value={fixed(s.meanDice)} sub={ciLine(s.ci.meanDice)} testId="eval-mean-dice" />
        <StatCard label="Median Dice" value={fixed(s.medianDice)} testId="eval-median-dice" />
        <StatCard label="Mean IoU" value={fixed(s.meanIou)} sub={ciLine(s.ci.meanIou)} testId="eval-mean-iou" />
        {s.hd95 && <StatCard label="HD95 mean (px)" value={fixed(s.hd95.mean)} sub={`${ciLine(s.ci.meanHd95) ?? ''} median ${fixed(s.hd95.median)} px, n = ${s.hd95.n}`} testId="eval-hd95" />}
      </StatRow>
      <Text size="sm" c="dimmed">
        Channel {channel ?? '(first)'}; empty ground truth: {emptyRule === 'ignore-empty' ? 'skipped' : 'both empty = 1'}.
      </Text>
      <DiceHistogram edges={s.histogram.edges} counts={s.histogram.counts} />
      <details className="more">
        <summary>Dice per image, worst first ({scored.length})</summary>
        <div className="table-scroll">
          <Table striped highlightOnHover withTableBorder className="numeric-table" data-testid="dice-table">
            <Table.Thead>
              <Table.Tr><Table.Th>image</Table.Th><Table.Th>Dice</Table.Th><Table.Th>IoU</Table.Th>{s.hd95 && <Table.Th>HD95 px</Table.Th>}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scored.map((c) => (
                <Table.Tr key={c.stem}>
                  <Table.Td><Anchor component="button" type="button" size="sm" onClick={() => onView(c.stem)}>{c.stem}</Anchor></Table.Td><Table.Td>{fixed(c.dice)}</Table.Td><Table.Td>{fixed(c.iou)}</Table.Td>{s.hd95 && <Table.Td>{fixed(c.hd95)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </details>
    </ResultSection>
  );
}
