/**
 * A die, drawn in SVG rather than as the 🎲 emoji: a laptop without an emoji font (Debian's
 * fonts-dejavu alone, say) showed an empty box on the Random seed button. It takes the
 * button's text colour, so it follows the light and dark schemes.
 */
export function DieIcon({ size = 18 }: { size?: number }) {
  const pips: Array<[number, number]> = [[7, 7], [17, 7], [12, 12], [7, 17], [17, 17]];
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="2.5" y="2.5" width="19" height="19" rx="4" fill="none" stroke="currentColor" strokeWidth="1.8" />
      {pips.map(([cx, cy]) => <circle key={`${cx},${cy}`} cx={cx} cy={cy} r="1.7" fill="currentColor" />)}
    </svg>
  );
}
