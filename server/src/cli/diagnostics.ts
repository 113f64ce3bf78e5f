/**
 * Renders diagnostics for the terminal as rustc does (the CLI's `check` text format) and as the
 * CLI's JSON. Pure functions of their inputs. Snapshots are rendered by `shared/render/text.ts`.
 */
import { isSyntaxError, type EngineDiagnostic } from '../base/diagnostic';
import type { Range } from '../../../shared/protocol';
import { displayWidth } from '../../../shared/render/width';
import type { SourceText } from './sourceText';

// --- diagnostics

/** A diagnostic in the CLI's JSON shape: 1-based lines, 1-based char columns (as rustc prints). */
export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

export function toJsonDiagnostic(d: EngineDiagnostic, file: string, src: SourceText): JsonDiagnostic {
  const start = src.toRustc(d.range.start);
  const end = src.toRustc(d.range.end);
  return {
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: d.related.map((r) => ({ file, ...src.toRustc(r.range.start), message: r.message })),
  };
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Display text of a source line: tabs shown as 4 spaces, as rustc does. */
function shown(s: string): string {
  return s.replace(/\t/g, '    ');
}

/**
 * One diagnostic as rustc prints it:
 *
 *     error[E0382]: borrow of moved value: `x`
 *      --> src/main.rs:4:23
 *       |
 *     3 |     let y = x;
 *       |             - value moved here
 *     4 |     println!("x: {}", x);
 *       |                       ^ value borrowed here after move
 *
 * The primary span is underlined with `^`; a related entry with exactly the primary range is its
 * label. Other related spans are underlined with `-` and their label. Multi-line spans are
 * underlined on their first line. Lines between labelled lines are shown when there is one, `...`
 * when there are more.
 */
export function renderDiagnostic(d: EngineDiagnostic, file: string, src: SourceText): string {
  const start = src.toRustc(d.range.start);
  const primaryLabel = d.related.find((r) => sameRange(r.range, d.range))?.message ?? '';
  const spans = [
    { range: d.range, mark: '^', label: primaryLabel },
    ...d.related.filter((r) => !sameRange(r.range, d.range)).map((r) => ({ range: r.range, mark: '-', label: r.message })),
  ].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const lines = [...new Set(spans.map((s) => s.range.start.line))];
  const gutter = String(Math.max(...lines) + 1).length;
  const pad = ' '.repeat(gutter);
  const head = isSyntaxError(d) ? `${d.severity}: ${d.message}` : `${d.severity}[${d.code}]: ${d.message}`;
  const out = [head, `${pad}--> ${file}:${start.line}:${start.column}`, `${pad} |`];
  let previous = -1;
  for (const line of lines) {
    if (previous >= 0 && line - previous === 2)
      out.push(`${String(previous + 2).padStart(gutter)} | ${shown(src.line(previous + 1))}`.trimEnd());
    else if (previous >= 0 && line - previous > 2) out.push('...');
    previous = line;
    const text = src.line(line);
    out.push(`${String(line + 1).padStart(gutter)} | ${shown(text)}`.trimEnd());
    for (const s of spans.filter((x) => x.range.start.line === line)) {
      const from = s.range.start.character;
      const to = s.range.end.line === line ? s.range.end.character : text.length;
      const indent = displayWidth(shown(text.slice(0, from)));
      const width = Math.max(1, displayWidth(shown(text.slice(from, Math.max(from, to)))));
      out.push(`${pad} | ${' '.repeat(indent)}${s.mark.repeat(width)}${s.label ? ' ' + s.label : ''}`.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

/** The summary line: `no errors found`, `1 error found`, `2 errors and 1 warning found`. */
export function summary(errors: number, warnings: number): string {
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  if (errors === 0 && warnings === 0) return 'no errors found';
  if (warnings === 0) return `${n(errors, 'error')} found`;
  if (errors === 0) return `${n(warnings, 'warning')} found`;
  return `${n(errors, 'error')} and ${n(warnings, 'warning')} found`;
}
