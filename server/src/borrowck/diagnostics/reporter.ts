/**
 * Where the checker's errors go: one list per body, with rustc's de-duplication (one error per
 * key: an access to a place at a span, a loan, a move set).
 */
import type { EngineDiagnostic, FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';

export class Reporter {
  readonly diags: EngineDiagnostic[] = [];
  private readonly keys = new Set<string>();

  /** True the first time `key` is seen (then the caller reports). */
  once(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }

  /** Whether `key` was seen. */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  error(code: string, range: Span, message: string, related: { range: Span; message: string }[], fixes?: FixHint[]): void {
    this.diags.push({ range, severity: 'error', code, message, related, ...(fixes?.length ? { fixes } : {}) });
  }
}

export const spanKey = (s: Span): string => `${s.start.line}:${s.start.character}-${s.end.line}:${s.end.character}`;
