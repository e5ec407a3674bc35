import { Button, type ButtonProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A file chooser that looks like the studio's buttons: the real `<input type="file">` stays
 * in the tab order (visually hidden inside the button's label, named by `inputLabel`), so
 * the keyboard, screen readers and Playwright's setInputFiles all reach it. The input is
 * cleared after each choice so that choosing the same file again opens it again, unless it
 * has a `name`: then it belongs to its form, which reads the file with FormData on submit.
 */
export function FilePicker({
  children,
  inputLabel,
  accept,
  multiple,
  directory,
  disabled,
  onFiles,
  variant = 'default',
  size = 'sm',
  testId,
  name,
}: {
  children: ReactNode;
  inputLabel: string;
  accept?: string;
  multiple?: boolean;
  /** Chrome's folder picker (webkitdirectory): the files of a folder, with relative paths. */
  directory?: boolean;
  disabled?: boolean;
  onFiles: (files: File[]) => void;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
  testId?: string;
  /** The form field's name: the chosen file stays in the input for the form's FormData. */
  name?: string;
}) {
  return (
    <Button component="label" variant={variant} size={size} className="file-picker" data-disabled={disabled || undefined}>
      {children}
      <input
        type="file"
        className="visually-hidden-input"
        aria-label={inputLabel}
        accept={accept}
        multiple={multiple}
        disabled={disabled}
        data-testid={testId}
        name={name}
        {...(directory ? { webkitdirectory: '', directory: '' } : {})}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          if (!name) event.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </Button>
  );
}
