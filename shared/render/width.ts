/**
 * Display widths of text in monospace columns, for both renderers (the SVG's column sizes and
 * the text tables' padding).
 */

/**
 * Terminal display width of `s`: combining marks and zero-width characters take 0 columns, wide
 * East Asian characters and emoji take 2, everything else 1. An approximation of wcwidth.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (/\p{M}|\p{Cf}/u.test(ch) || c === 0x200b) continue;
    if (
      (/\p{Extended_Pictographic}/u.test(ch) && c > 0xff) ||
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
    ) {
      w += 2;
      continue;
    }
    w += 1;
  }
  return w;
}

/** `s` padded with spaces to display width `width`. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
