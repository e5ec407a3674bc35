import { fileStem } from './stem.ts';

/**
 * Stable pseudonyms for file names in an export ("anonymise file names"):
 * file names often carry patient IDs, so an anonymised export names every
 * file `case-0001` (keeping its extension), and the key that maps pseudonyms
 * back stays with the user as a separate file. Names are matched by stem, so
 * `images/CHN_0304.png`, its mask `masks/CHN_0304.png` and the stem
 * `CHN_0304` share one pseudonym; numbering follows sorted stems, so the same
 * set of files gets the same pseudonyms however it was ordered.
 */
export interface Pseudonyms {
  /** The pseudonym of a file name, path or stem (the extension kept, folders dropped). */
  of(name: string): string;
  /** Free text (an error detail) with the files' names, as whole tokens, replaced. */
  scrub(text: string): string;
  /** pseudonym -> original stem, one row per stem, for the separate key file. */
  key(): Array<{ pseudonym: string; original: string }>;
}

export function pseudonymsFor(names: Iterable<string>, prefix = 'case'): Pseudonyms {
  const stems = [...new Set([...names].filter(Boolean).map(fileStem))].sort();
  const width = Math.max(4, String(stems.length).length);
  const byStem = new Map(stems.map((stem, i) => [stem, `${prefix}-${String(i + 1).padStart(width, '0')}`]));
  const escaped = [...stems].sort((a, b) => b.length - a.length).map((stem) => stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const tokens = escaped.length ? new RegExp(`(?<![\\w.-])(${escaped.join('|')})(\\.[A-Za-z0-9]{1,5})?(?![\\w-])`, 'gu') : undefined;
  return {
    // A file name (stem + extension) is always replaced; a bare stem only when it looks like an
    // identifier (digits, _, -, .), so a file called "empty.png" does not turn the word "empty" into case-0003.
    scrub: (text) => (tokens ? text.replace(tokens, (match, stem: string, ext?: string) => (ext || /[\d_.-]/.test(stem) ? `${byStem.get(stem)}${ext ?? ''}` : match)) : text),
    of(name: string): string {
      const base = name.split(/[\\/]/).pop() ?? name;
      // a bare stem (which may itself hold dots, as DICOM UIDs do) before a file name
      const asStem = byStem.get(base);
      if (asStem) return asStem;
      const pseudonym = byStem.get(fileStem(base));
      if (!pseudonym) throw new RangeError(`no pseudonym for ${name}: it was not among the names given`);
      return `${pseudonym}${base.slice(fileStem(base).length)}`;
    },
    key: () => [...byStem].map(([original, pseudonym]) => ({ pseudonym, original })),
  };
}

/** The same rows with the named columns' file names replaced by pseudonyms. */
export function pseudonymiseRows<T extends Record<string, string | number>>(rows: readonly T[], columns: readonly string[], pseudonyms: Pseudonyms): T[] {
  return rows.map((row) => {
    const out: Record<string, string | number> = { ...row };
    for (const column of columns) {
      const value = out[column];
      if (typeof value === 'string' && value) out[column] = pseudonyms.of(value);
    }
    return out as T;
  });
}

/**
 * A JSON-like value (an exported summary) with every string that names one
 * of the files replaced by its pseudonym and every other string scrubbed.
 */
export function pseudonymiseJson<T>(value: T, pseudonyms: Pseudonyms): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      try {
        return pseudonyms.of(v);
      } catch {
        return pseudonyms.scrub(v);
      }
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
