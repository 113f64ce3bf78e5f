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

  private readonly buffered = new Map<string, { index: number; tag: unknown }>();

  /** The tag of the error buffered under `key` by `errorReplacing`, if any. */
  bufferedTag(key: string): unknown {
    return this.buffered.get(key)?.tag;
  }

  /**
   * Reports an error under `key`, replacing the one reported before under the same key (rustc
   * `buffer_move_error`: a later use after the same moves cancels the earlier diagnostic).
   * `tag` is what the caller needs to decide next time (rustc keeps the used place).
   */
  errorReplacing(
    key: string,
    tag: unknown,
    code: string,
    range: Span,
    message: string,
    related: { range: Span; message: string }[],
    fixes?: FixHint[],
  ): void {
    const prev = this.buffered.get(key);
    this.error(code, range, message, related, fixes);
    const d = this.diags.pop()!;
    if (prev) this.diags[prev.index] = d;
    else this.diags.push(d);
    this.buffered.set(key, { index: prev ? prev.index : this.diags.length - 1, tag });
  }
}

export const spanKey = (s: Span): string => `${s.start.line}:${s.start.character}-${s.end.line}:${s.end.character}`;
