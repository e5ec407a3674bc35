import { groundTruthDice, useAnalyze } from './analyzeStore.ts';

/** Mask area per channel, Dice against a ground-truth mask if one is open, and class probabilities. */
export function ResultsPanel() {
  const { result, overlay, groundTruth } = useAnalyze();
  const diceValue = useAnalyze(groundTruthDice);
  if (!result) return null;
  const { segmentation, classification } = result;
  return (
    <section className="results" aria-label="Results">
      {segmentation && (
        <div>
          <h3>Lung mask</h3>
          <ul>
            {segmentation.channels.map((c, i) => (
              <li key={c.name} data-testid={`mask-area-${c.name}`}>
                {c.name}: {(c.area.fraction * 100).toFixed(1)}% of the image ({c.area.pixels} px){i === overlay.channel ? ' — shown' : ''}
              </li>
            ))}
          </ul>
          <small>{segmentation.ms.toFixed(0)} ms</small>
          {groundTruth && (
            <p data-testid="gt-dice">
              Dice vs {groundTruth.name}: {diceValue === undefined ? 'mask size differs from the image' : diceValue.toFixed(4)}
            </p>
          )}
        </div>
      )}
      {classification && (
        <div>
          <h3>Findings (classifier)</h3>
          <table data-testid="probabilities">
            <tbody>
              {classification.classes.map((name, i) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <meter min={0} max={1} value={classification.probabilities[i]} />
                  </td>
                  <td>{(classification.probabilities[i] * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          <small>{classification.ms.toFixed(0)} ms</small>
        </div>
      )}
    </section>
  );
}
