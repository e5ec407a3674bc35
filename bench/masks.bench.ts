/**
 * Time per stroke while drawing 200 strokes on a 256x256 lung layer, on the path the
 * editor takes: snapshot the layer at pointer-down, paint each pointer move as a segment
 * (src/core/mask/raster.ts), turn the stroke into a patch and record it in the history;
 * plus one canvas redraw per pointer move (renderMasks) and undoing / redoing all 200.
 * Pure TypeScript in Node; then, when a build exists, the same drawing on the Masks page
 * in Chromium (pointer events dispatched in the page, through React and the canvas).
 * Appends or replaces the "Mask editing" section of BENCHMARKS.md.
 *
 *   npx vite build --outDir dist-masks && npx tsx bench/masks.bench.ts [--dist dist-masks] [--strokes 200]
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { emptyHistory, recordPatch, takeRedo, takeUndo } from '../src/core/mask/history.ts';
import { applyPatch, makePatch, type MaskPatch } from '../src/core/mask/patch.ts';
import { paintStroke, type Point } from '../src/core/mask/raster.ts';
import { mulberry32 } from '../src/core/rng.ts';
import { unionBBox, type BBox } from '../src/core/mask/bbox.ts';
import { renderMasks } from '../src/features/masks/renderMasks.ts';
import { launchChromium, startPreview } from './preview.ts';

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist-masks' }, strokes: { type: 'string', default: '200' }, moves: { type: 'string', default: '20' }, brush: { type: 'string', default: '12' } } });
const strokes = Number(values.strokes);
const moves = Number(values.moves);
const brush = Number(values.brush);
const side = 256;
const radius = brush / 2;

/** Seeded random walks, as a hand would draw: 20 pointer moves of up to 6 px each. */
function makeStrokes(seed: number): Point[][] {
  const uniform = mulberry32(seed);
  return Array.from({ length: strokes }, () => {
    let p = { x: 20 + uniform() * 216, y: 20 + uniform() * 216 };
    return Array.from({ length: moves }, () => (p = { x: Math.min(255, Math.max(0, p.x + (uniform() - 0.5) * 12)), y: Math.min(255, Math.max(0, p.y + (uniform() - 0.5) * 12)) }));
  });
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (v: number) => v.toFixed(3);

function run() {
  const lung = new Uint8Array(side * side);
  const lesion = new Uint8Array(side * side);
  const styles = { colour: '#ff5252', visible: true };
  const reference = new Uint8ClampedArray(side * side).fill(128);
  const rgba = new Uint8ClampedArray(side * side * 4);
  let history = emptyHistory<MaskPatch>(250);
  const strokeMs: number[] = [];
  const renderMs: number[] = [];
  let patchBytes = 0;
  for (const [k, points] of makeStrokes(7).entries()) {
    const value = k % 10 === 9 ? 0 : 1;
    const t0 = performance.now();
    const before = lung.slice();
    let box: BBox | null = paintStroke(lung, side, [points[0]], radius, value);
    for (let i = 1; i < points.length; i++) box = unionBBox(box, paintStroke(lung, side, [points[i - 1], points[i]], radius, value));
    const patch = makePatch('lung', before, lung, side, box);
    if (patch) {
      history = recordPatch(history, patch);
      patchBytes += patch.before.length + patch.after.length;
    }
    strokeMs.push(performance.now() - t0);
    const r0 = performance.now();
    renderMasks(side, reference, [[lung, styles], [lesion, { ...styles, colour: '#ffd740' }]], 0.5, rgba);
    renderMs.push(performance.now() - r0);
  }
  const u0 = performance.now();
  for (let step = takeUndo(history); step; step = takeUndo(history)) {
    applyPatch(lung, side, step.patch, 'undo');
    history = step.history;
  }
  const undoAll = performance.now() - u0;
  const r0 = performance.now();
  for (let step = takeRedo(history); step; step = takeRedo(history)) {
    applyPatch(lung, side, step.patch, 'redo');
    history = step.history;
  }
  const redoAll = performance.now() - r0;
  return { strokeMs, renderMs, undoAll, redoAll, patchBytes, recorded: history.undo.length };
}

run(); // warm-up: JIT
const result = run();

interface BrowserTimes { handlerMs: number[]; frameMs: number[] }

/** The same kind of drawing on the built Masks page: per stroke, handler time and time until the next frame. */
async function browserRun(): Promise<BrowserTimes | undefined> {
  const root = resolve(import.meta.dirname, '..');
  const dist = resolve(root, values.dist!);
  if (!existsSync(resolve(dist, 'index.html'))) {
    console.log(`bench: ${dist} has no build (npx vite build --outDir ${values.dist}); skipping Chromium.`);
    return undefined;
  }
  // Its own port, so it never talks to another run's preview server on this shared machine.
  const port = Number(process.env.BENCH_PORT ?? 4181);
  const preview = await startPreview(port, values.dist!);
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
      // tsx (esbuild keepNames) wraps named functions in __name(); give the page one.
      await page.addInitScript('globalThis.__name = (f) => f;');
      await page.goto(`${preview.origin}/#/masks`);
      await page.getByTestId('mask-canvas').waitFor();
      return await page.evaluate(async ({ drawing, side }) => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="mask-canvas"]')!;
        const rect = canvas.getBoundingClientRect();
        const at = (p: { x: number; y: number }) => ({ clientX: rect.left + (p.x / side) * rect.width, clientY: rect.top + (p.y / side) * rect.height, pointerId: 1, button: 0, bubbles: true });
        const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
        const handlerMs: number[] = [];
        const frameMs: number[] = [];
        for (const points of drawing) {
          await nextFrame();
          const t0 = performance.now();
          canvas.dispatchEvent(new PointerEvent('pointerdown', at(points[0])));
          for (const p of points.slice(1)) canvas.dispatchEvent(new PointerEvent('pointermove', at(p)));
          canvas.dispatchEvent(new PointerEvent('pointerup', at(points.at(-1)!)));
          handlerMs.push(performance.now() - t0);
          await nextFrame();
          frameMs.push(performance.now() - t0);
        }
        const painted = (window as unknown as { cxrStudio: { masks: () => { layers: { lung: Uint8Array }; history: { undo: unknown[] } } } }).cxrStudio.masks();
        if (painted.history.undo.length < drawing.length / 2) throw new Error(`only ${painted.history.undo.length} strokes reached the editor`);
        return { handlerMs, frameMs };
      }, { drawing: makeStrokes(7), side });
    } finally {
      await browser.close();
    }
  } finally {
    preview.stop();
  }
}

const inBrowser = await browserRun();
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${ms(sorted.reduce((s, v) => s + v, 0) / sorted.length)} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(sorted.at(-1)!)}`;
};
const sorted = [...result.strokeMs].sort((a, b) => a - b);
const renderSorted = [...result.renderMs].sort((a, b) => a - b);
const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
const date = execSync('date').toString().trim();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const section = `## Mask editing (${strokes}-stroke drawing: rasterizer + patch path, and the Masks page)

Measured ${date} on a ${cpus().length}-core development machine (${cpu}, shared with other work:
numbers are noisy), Node ${process.version}. ${strokes} strokes of ${moves} pointer moves each (seeded
random walks, brush ${brush} px, every tenth stroke erases) on a ${side}x${side} lung layer, after one
warm-up drawing. A stroke = snapshot at pointer-down, one capsule segment per move
(\`src/core/mask/raster.ts\`), patch over the stroke's box (\`patch.ts\`), push to the undo ring
(\`history.ts\`). "Redraw" is one full-canvas composite (reference + 2 layers,
\`src/features/masks/renderMasks.ts\`), done once per pointer move in the editor. Made by
\`npx tsx bench/masks.bench.ts\`. ${inBrowser ? `The Chromium rows draw the same strokes on the built Masks
page (build in \`${values.dist}\`, headless \`/usr/bin/chromium\`), dispatching pointer events in the page: "handlers" is
the time in the event handlers (React, edit, patch), "until next frame" adds the React
render and canvas redraw up to the next animation frame (a frame is 16.7 ms at 60 Hz).` : 'No browser row this time (no build found).'}

| measure | mean ms | median ms | p95 ms | max ms |
|---|---|---|---|---|
| one stroke (${moves} segments + patch + history) | ${ms(mean)} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(sorted.at(-1)!)} |
| one redraw of the canvas | ${ms(renderSorted.reduce((s, v) => s + v, 0) / renderSorted.length)} | ${ms(percentile(renderSorted, 0.5))} | ${ms(percentile(renderSorted, 0.95))} | ${ms(renderSorted.at(-1)!)} |
${inBrowser ? `| Chromium, one stroke: handlers | ${stats(inBrowser.handlerMs)} |
| Chromium, one stroke: until next frame | ${stats(inBrowser.frameMs)} |
` : ''}
Undo all ${result.recorded} strokes: ${ms(result.undoAll)} ms; redo all: ${ms(result.redoAll)} ms. The
patches of the whole drawing hold ${(result.patchBytes / 1024).toFixed(0)} KiB (a full-canvas copy per
stroke would be ${((strokes * 2 * side * side) / 1024 / 1024).toFixed(1)} MiB).
`;
console.log(section);

const file = resolve(import.meta.dirname, '../BENCHMARKS.md');
const text = readFileSync(file, 'utf8');
const start = text.indexOf('## Mask editing');
const next = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(next + 1)}`}`;
writeFileSync(file, updated);
