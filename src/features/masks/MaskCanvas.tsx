import { Badge } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import type { Point } from '../../core/mask/raster.ts';
import { isIdentityTransform, transformMask } from '../../core/mask/transform.ts';
import { beginStroke, endStroke, extendStroke, floodFillAt, isStroking } from './editActions.ts';
import { useMasks } from './maskStore.ts';
import { addPolygonPoint, closePolygon, usePolygonDraft } from './polygonDraft.ts';
import { renderMasks } from './renderMasks.ts';

function usePreviewLayers() {
  const layers = useMasks((s) => s.layers);
  const version = useMasks((s) => s.version);
  const transform = useMasks((s) => s.transform);
  const side = useMasks((s) => s.side);
  return useMemo(() => {
    if (isIdentityTransform(transform)) return { layers, preview: false, version };
    const preview = Object.fromEntries(Object.entries(layers).map(([name, mask]) => [name, transformMask(mask, side, transform)]));
    return { layers: preview, preview: true, version };
  }, [layers, version, transform, side]);
}

/** The editor canvas: draws the store (reference, layers, transform preview), turns pointer input into edits. */
export function MaskCanvas() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const panning = useRef<{ x: number; y: number; pan: { x: number; y: number } } | undefined>(undefined);
  const spaceDown = useRef(false);
  const side = useMasks((s) => s.side);
  const reference = useMasks((s) => s.reference);
  const styles = useMasks((s) => s.styles);
  const layerOrder = useMasks((s) => s.layerOrder);
  const opacity = useMasks((s) => s.opacity);
  const zoom = useMasks((s) => s.zoom);
  const pan = useMasks((s) => s.pan);
  const tool = useMasks((s) => s.tool);
  const polygon = usePolygonDraft((s) => s.points);
  const { layers, preview, version } = usePreviewLayers();
  const untouched = useMasks((s) => s.origin === 'blank' && !s.reference && s.history.undo.length === 0);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const context = element.getContext('2d')!;
    const image = new ImageData(side, side);
    renderMasks(side, reference?.gray, layerOrder.map((name) => [layers[name], styles[name]]), opacity, image.data);
    context.putImageData(image, 0, 0);
    if (polygon.length > 0) {
      context.strokeStyle = '#fff';
      context.lineWidth = 1;
      context.beginPath();
      polygon.forEach((p, i) => (i === 0 ? context.moveTo(p.x, p.y) : context.lineTo(p.x, p.y)));
      context.stroke();
    }
    // `version` is in the list because edits change the layers in place: without it a loaded
    // or drawn mask stayed off the canvas (a black square) until some other input changed
  }, [side, reference, layers, version, styles, layerOrder, opacity, polygon]);

  useEffect(() => {
    const down = (e: KeyboardEvent) => { if (e.code === 'Space') spaceDown.current = e.type === 'keydown'; };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', down);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', down);
    };
  }, []);

  const toMask = (e: React.PointerEvent | React.MouseEvent): Point => {
    const rect = canvas.current!.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) / rect.width) * side, y: ((e.clientY - rect.top) / rect.height) * side };
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button === 1 || spaceDown.current) {
      panning.current = { x: e.clientX, y: e.clientY, pan };
      canvas.current!.setPointerCapture(e.pointerId);
      return;
    }
    if (e.button !== 0) return;
    if (preview) {
      useMasks.getState().set({ message: { kind: 'info', text: 'Apply or reset the transform before drawing.' } });
      return;
    }
    const point = toMask(e);
    if (tool === 'polygon') return addPolygonPoint(point);
    if (tool === 'fill') return floodFillAt(point);
    canvas.current!.setPointerCapture(e.pointerId);
    beginStroke(point);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    if (panning.current) {
      const start = panning.current;
      useMasks.getState().set({ pan: { x: start.pan.x + e.clientX - start.x, y: start.pan.y + e.clientY - start.y } });
      return;
    }
    if (isStroking()) extendStroke(toMask(e));
  };
  const onPointerUp = () => {
    panning.current = undefined;
    endStroke();
  };
  const onWheel = (e: React.WheelEvent) => {
    useMasks.getState().set({ zoom: Math.min(8, Math.max(0.5, zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1))) });
  };

  return (
    <div className="mask-stage image-stage" onWheel={onWheel}>
      <canvas
        ref={canvas}
        width={side}
        height={side}
        className={`mask-canvas tool-${tool}`}
        data-testid="mask-canvas"
        aria-label="Mask editor canvas"
        style={{ width: `${100 * zoom}%`, height: `${100 * zoom}%`, transform: `translate(${pan.x}px, ${pan.y}px)` }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={() => tool === 'polygon' && closePolygon()}
        onContextMenu={(e) => e.preventDefault()}
      />
      {preview && (
        <Badge className="mask-preview-badge" variant="filled">
          transform preview
        </Badge>
      )}
      {untouched && tool !== 'polygon' && (
        <p className="mask-hint" aria-hidden="true">
          Draw here with the brush, or start from an example mask or an X-ray under &ldquo;Start from&rdquo;
        </p>
      )}
    </div>
  );
}
