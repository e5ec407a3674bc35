import { NumberInput, type NumberInputProps } from '@mantine/core';
import { useState } from 'react';

type Props = Omit<NumberInputProps, 'value' | 'onChange' | 'min' | 'max' | 'allowDecimal' | 'allowNegative' | 'error' | 'clampBehavior'> & {
  /** The number the store holds. */
  value: number;
  /** Called with every number typed, already within [min, max]. */
  onChange(value: number): void;
  min?: number;
  max?: number;
  /**
   * An exclusive lower bound (a regularization strength must be above 0): a number at or
   * below it is flagged and not passed on, so the store keeps its last number.
   */
  above?: number;
  /** Whole numbers only: a decimal point cannot be typed. */
  integer?: boolean;
};

/**
 * A number field over a store's number. What the user types is kept as typed
 * while the field has focus, so clearing it, or passing through "0." on the way
 * to "0.35", neither writes 0 into the store nor snaps the old value back
 * (which a number `TextInput` did: clear-and-type "12" over "20" gave 2012).
 * Each complete number reaches the store at once, clamped to [min, max] and
 * flagged under the field when it was out of range; on blur the field shows the
 * store's number again. Announced as a spin button (arrow keys step it), as
 * the native number input it replaces was.
 */
export function NumberField({ value, onChange, min, max, above, integer = false, onBlur, ...rest }: Props) {
  const [draft, setDraft] = useState<number | string | undefined>(undefined);
  const typed = typeof draft === 'number' ? draft : undefined;
  const outside = typed !== undefined && ((min !== undefined && typed < min) || (max !== undefined && typed > max));
  const notAbove = typed !== undefined && above !== undefined && typed <= above;
  return (
    <NumberInput
      role="spinbutton"
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      {...rest}
      value={draft ?? value}
      min={min}
      max={max}
      allowDecimal={!integer}
      allowNegative={(min === undefined || min < 0) && (above === undefined || above < 0)}
      clampBehavior="blur"
      error={notAbove ? `More than ${above}; ${value} is kept` : outside ? `${range(min, max)}; ${clamp(typed, min, max)} is used` : undefined}
      onChange={(next) => {
        setDraft(next);
        if (typeof next === 'number' && Number.isFinite(next) && !(above !== undefined && next <= above)) onChange(clamp(next, min, max));
      }}
      onBlur={(e) => {
        setDraft(undefined);
        onBlur?.(e);
      }}
    />
  );
}

function clamp(x: number, min: number | undefined, max: number | undefined): number {
  return Math.min(max ?? Infinity, Math.max(min ?? -Infinity, x));
}

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Between ${min} and ${max}`;
  return min !== undefined ? `At least ${min}` : `At most ${max}`;
}
