import { useState, type ReactNode } from 'react';
import type { DroppedFile } from '../core/data/dropRouting.ts';
import { droppedFiles } from './droppedFiles.ts';

/**
 * A dashed area that takes dropped files and folders (folders are walked, paths kept). It
 * is for the mouse; put a FilePicker inside it so the keyboard has the same way in.
 */
export function DropZone({ onDrop, children, label, testId }: { onDrop: (files: DroppedFile<File>[]) => void; children?: ReactNode; label: string; testId?: string }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className="drop-zone"
      data-over={over || undefined}
      data-testid={testId}
      aria-label={label}
      role="group"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void droppedFiles(e.dataTransfer).then(onDrop);
      }}
    >
      {children}
    </div>
  );
}
