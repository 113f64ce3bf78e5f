/**
 * The borrows the panel draws on a slot (`Slot.borrowedBy`), from the borrow checker's own loans
 * (`BodyBorrowck.loansOfLocalAt`), so that the panel tells the same story as the squiggles and
 * the hover: a slot is "borrowed by `first`" exactly while a loan of it that flows into `first`
 * is in scope at the frame's point of execution (NLL: until the reference's last use).
 *
 * A frame's point: for the executing frame, just before the step that runs next (`next`, or the
 * step shown when there is none); for a caller, just before its call that is in progress (the
 * callee frame's `callSite`). Positions are LSP's (0-based lines, UTF-16 columns).
 */
import type { Snapshot } from '../../../shared/protocol';
import type { Analysis } from '../engine/engine';
import type { Body } from '../mir/mir';
import { forEachLocation, type Location } from '../mir/visit';
import type { Span } from '../base/span';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

const samePos = (a: Range['start'], b: Range['start']): boolean => a.line === b.line && a.character === b.character;

/** The first MIR point of `body` whose span starts where `r` starts (statement or terminator). */
function locationAt(body: Body, r: Range, callOnly = false): Location | undefined {
  let found: Location | undefined;
  forEachLocation(body, (x, loc) => {
    if (found || (callOnly && x.kind !== 'call')) return;
    const s: Span = x.span;
    if (samePos(s.start, r.start) && (!callOnly || samePos(s.end, r.end))) found = loc;
  });
  return found;
}

/**
 * Replaces each slot's `borrowedBy` with the user bindings holding a loan of it at its frame's
 * point, when the frame's body is borrow-checked; leaves the snapshot alone otherwise. Never throws.
 */
export function fillBorrowsFromLoans(
  a: Analysis,
  snap: Snapshot,
  /** The innermost body holding a position (`snapshot.ts` `bodyAt`). */
  bodyAt: (bodies: ReadonlyMap<string, Body>, pos: Range['start']) => Body | undefined,
): void {
  try {
    const frames = snap.frames;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      const callee = frames[i + 1];
      const at: Range | undefined = callee ? callee.callSite : (snap.next ?? snap.range);
      if (!at) continue;
      const body = bodyAt(a.mir.bodies, at.start);
      const bc = body ? a.borrowcks.get(body.name) : undefined;
      if (!body || !bc) continue;
      const loc = locationAt(body, at, !!callee) ?? (callee ? locationAt(body, at) : undefined);
      for (const slot of f.slots) {
        const local = body.locals.findIndex(
          (l) => l.name === slot.name && samePos(l.span.start, slot.declRange.start) && l.kind !== 'temp',
        );
        if (local < 0 || !loc) {
          delete slot.borrowedBy;
          continue;
        }
        const holders = new Set<string>();
        for (const info of bc.loansOfLocalAt(local, loc)) for (const h of info.holders) if (h !== slot.name) holders.add(h);
        if (holders.size) slot.borrowedBy = [...holders];
        else delete slot.borrowedBy;
      }
    }
  } catch {
    // A failure here costs the borrow marks only; the picture stays.
  }
}
