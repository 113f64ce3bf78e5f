/**
 * Inlay hints (off by default: `rustMemory.inlayHints.enable`): after each `let` binding, the
 * size of its own bytes and where what it points to lives (`24 B · heap 5 B`), from the same
 * facts as the hover (layout, std heap owners, the simulation when it has run); after each
 * move of a binding, a `moved` marker saying to where (the borrow checker's move-outs); and
 * after each borrow a binding holds, the permissions the borrowed binding keeps (Aquascope's
 * `v: R--`: read only, W and O lost until the borrow's last use).
 *
 * Input: an analysis and a range (0-based lines, UTF-16 columns); output: hints in that range,
 * in source order. Bounded by the bindings and moves of the bodies that overlap the range.
 */
import type { Span } from '../base/span';
import { comparePos, spansOverlap } from '../base/span';
import type { Analysis } from '../engine/engine';
import { hoverAt } from './hover';

export interface InlayHintInfo {
  /** Where the hint is drawn (after the identifier or the moved expression). */
  position: Span['start'];
  label: string;
  /** What the hint means, in words (the editor's tooltip). */
  tooltip: string;
  kind: 'layout' | 'move' | 'permissions';
}

/** The hints in `range`. Never throws (a failing binding has no hint). */
export function inlayHintsIn(a: Analysis, range: Span): InlayHintInfo[] {
  const out: InlayHintInfo[] = [];
  // Values (heap sizes) only when the simulation has run: a hint never waits for one.
  const simulate = !!a.run;
  for (const fn of a.file.fns) {
    if (!fn.body || !spansOverlap(fn.span, range)) continue;
    for (const local of fn.locals) {
      if (!local || local.id === 0 || !spansOverlap(local.span, range)) continue;
      try {
        const node = a.tree.rootNode.descendantForPosition({ row: local.span.start.line, column: local.span.start.character });
        if (node?.type !== 'identifier' || node.parent?.type !== 'let_declaration') continue;
        const h = hoverAt(a, local.span.start, { simulate });
        if (!h || h.size === null) continue;
        let label = `${h.size} B`;
        let tooltip = `\`${h.name}\`: ${h.size} bytes in the stack frame of \`${h.function}\``;
        if (h.target === 'heap') {
          label += h.targetSize !== undefined && h.targetSize !== null ? ` · heap ${h.targetSize} B` : ' · heap';
          tooltip +=
            h.targetSize !== undefined && h.targetSize !== null
              ? `, pointing to ${h.targetSize} bytes on the heap`
              : ', pointing to the heap';
        } else if (h.target === 'static') {
          label += ' · static';
          tooltip += ', pointing to static memory';
        }
        out.push({ position: local.span.end, label, tooltip, kind: 'layout' });
      } catch {
        // no hint for this binding
      }
    }
  }
  for (const body of a.mir.bodies.values()) {
    if (!spansOverlap(body.span, range)) continue;
    const bc = a.borrowcks.get(body.name);
    if (!bc) continue;
    body.locals.forEach((l, local) => {
      if (l.kind !== 'user' && l.kind !== 'arg') return;
      const facts = bc.lifetimeFacts(local);
      // Aquascope's permission steps: where a borrow held by a binding takes permissions away.
      for (const info of facts.loans) {
        if (!info.holders.length || !l.name || !spansOverlap(info.loan.span, range)) continue;
        const shared = info.loan.kind === 'shared';
        const lost = shared ? (l.mutable ? 'W and O' : 'O') : 'R, W and O';
        const who = info.holders.map((h) => `\`${h}\``).join(', ');
        const until = info.lastUse ? `, until ${info.lastUse.end.line + 1}:${info.lastUse.end.character + 1}` : '';
        out.push({
          position: info.loan.span.end,
          label: `${l.name}: ${shared ? 'R--' : '---'}`,
          tooltip: `\`${l.name}\` lost ${lost} while ${who} borrows it${until}`,
          kind: 'permissions',
        });
      }
      for (const m of facts.moves) {
        if (!spansOverlap(m.span, range)) continue;
        out.push({
          position: m.span.end,
          label: 'moved',
          tooltip: `\`${m.path}\` moved ${m.dest === 'a temporary' ? 'away' : `to ${m.dest}`}: it cannot be used after this`,
          kind: 'move',
        });
      }
    });
  }
  return out.sort((x, y) => comparePos(x.position, y.position));
}
