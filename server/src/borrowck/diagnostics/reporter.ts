/**
 * Where the checker's errors go: one list per body, with rustc's de-duplication (one error per
 * key: an access to a place at a span, a loan, a move set).
 */
import type { EngineDiagnostic, FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';
import type { Place } from '../../mir/mir';
import { placeText } from '../../mir/mir';

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

  private readonly moveErrors = new Map<string, { index: number; place: Place }>();

  /**
   * rustc's buffered move errors (`report_use_of_moved_or_uninitialized`, `buffer_move_error`):
   * one error per set of move-outs (`key`). A use of `place` whose place is a prefix of (or is) the
   * place already reported is suppressed (false); a use of a more precise place replaces the
   * earlier error (the FakeRead of `a` for `a[0]`'s bounds check, then the borrow of `a[0]`).
   */
  moveError(key: string, place: Place): boolean {
    const prev = this.moveErrors.get(key);
    if (!prev) return true;
    // A field the builder could not resolve (`s.` while typing) is no more precise: keep the error.
    if (place.projection.some((e) => e.kind === 'field' && e.index < 0)) return false;
    return !isPrefixOf(place, prev.place);
  }

  /** Reports the move error of `key` for `place`, replacing the one reported for it before. */
  errorForMove(
    key: string,
    place: Place,
    code: string,
    range: Span,
    message: string,
    related: { range: Span; message: string }[],
    fixes?: FixHint[],
  ): void {
    const prev = this.moveErrors.get(key);
    const diag = { range, severity: 'error' as const, code, message, related, ...(fixes?.length ? { fixes } : {}) };
    if (prev) this.diags[prev.index] = diag;
    else this.diags.push(diag);
    this.moveErrors.set(key, { index: prev ? prev.index : this.diags.length - 1, place });
  }
}

/** Whether `a` is `b` or a prefix of it (rustc `prefixes(b, PrefixSet::All)` contains `a`). */
function isPrefixOf(a: Place, b: Place): boolean {
  if (a.local !== b.local || a.projection.length > b.projection.length) return false;
  return placeText(a) === placeText({ local: b.local, projection: b.projection.slice(0, a.projection.length) });
}

export const spanKey = (s: Span): string => `${s.start.line}:${s.start.character}-${s.end.line}:${s.end.character}`;
