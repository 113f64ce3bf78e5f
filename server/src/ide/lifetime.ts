/**
 * The lifetime of a binding, as the borrow checker sees it (what RustOwl draws, and Aquascope's
 * permissions), for the binding at a position:
 *
 * - where its value is **live** (rustc's liveness: from its declaration to the last statement
 *   after which its value may still be used);
 * - each **borrow** of it (the checker's own loans: shared or mutable), from where it is taken to
 *   the last use of the reference it flows into (the end of its region as a user sees it);
 * - where it is **moved** (the move-outs of it or of a part), **assigned**, and **dropped** (the
 *   drops that really drop it, not those of a moved-out value).
 *
 * And its **permissions** at a point (Aquascope's R/W/O, from the same loans and move states):
 * R (read) when it is initialised and no mutable loan of it is in scope; W (write) when it is
 * also `mut` and no loan of it is in scope; O (own: move or drop it) when no loan is in scope.
 *
 * Nothing here is a second guess: every range comes from `BodyBorrowck` (`lifetimeFacts`,
 * `loansOfLocalAt`, `stateAt`). Positions: 0-based lines, UTF-16 columns.
 */
import type { Span } from '../base/span';
import { comparePos, spanContains } from '../base/span';
import type { Analysis } from '../engine/engine';
import type { Lifetime, LifetimeSegment, Position } from '../../../shared/protocol';
import { bodyFor, findLocal, innermostFn, locationOf } from './hover';

export type { Lifetime, LifetimeKind, LifetimeSegment } from '../../../shared/protocol';

/** `L:C`, 1-based, as rustc prints positions. */
export function lc(p: Position): string {
  return `${p.line + 1}:${p.character + 1}`;
}

/** The lifetime of the binding named at `pos`, or null (no binding, or its body is not checked). Never throws. */
export function lifetimeAt(a: Analysis, pos: Position): Lifetime | null {
  try {
    // A cursor just after an identifier (where a click after it leaves the caret) names it too.
    return lifetimeQuery(a, pos) ?? (pos.character > 0 ? lifetimeQuery(a, { line: pos.line, character: pos.character - 1 }) : null);
  } catch {
    return null;
  }
}

/** The binding named at `pos`: its HIR declaration and occurrence, its MIR body, borrow check and local. */
function bindingAt(a: Analysis, pos: Position) {
  const fn = innermostFn(a.file.fns, pos);
  const found = fn && findLocal(fn, pos);
  if (!fn || !found) return null;
  const body = bodyFor(a, fn, found.local);
  const bc = body && a.borrowcks.get(body.name);
  if (!body || !bc) return null;
  const local = body.locals.findIndex((l) => l.hirLocal === found.local.id && (l.kind === 'user' || l.kind === 'arg'));
  return local < 0 ? null : { found, body, bc, local };
}

function lifetimeQuery(a: Analysis, pos: Position): Lifetime | null {
  const b = bindingAt(a, pos);
  if (!b) return null;
  const { found, bc, local } = b;
  const facts = bc.lifetimeFacts(local);
  const name = found.local.name;
  const decl = found.local.span;
  const segments: LifetimeSegment[] = [];
  const push = (kind: LifetimeSegment['kind'], range: Span, message: string): void => {
    segments.push({ kind, range, message, lines: [] });
  };
  push('decl', decl, `\`${name}\` declared at ${lc(decl.start)}`);
  // Live: from the declaration to the end of the last statement where the value is live.
  let end = decl.end;
  for (const s of facts.live) if (comparePos(s.end, end) > 0 && comparePos(s.start, decl.start) >= 0) end = s.end;
  if (comparePos(end, decl.end) > 0) push('live', { start: decl.start, end }, `\`${name}\` is live from ${lc(decl.start)} to ${lc(end)}`);
  for (const l of facts.loans) {
    // Borrows held by no binding that end on their own line (`println!`'s, a method's autoref) say nothing new.
    if (!l.holders.length && (!l.lastUse || l.lastUse.end.line === l.loan.span.start.line)) continue;
    const shared = l.loan.kind === 'shared';
    const until = l.lastUse && comparePos(l.lastUse.end, l.loan.span.end) > 0 ? l.lastUse.end : l.loan.span.end;
    const by = l.holders.length ? `by ${l.holders.map((h) => `\`${h}\``).join(', ')} ` : '';
    push(
      shared ? 'shared' : 'mut',
      { start: l.loan.span.start, end: until },
      `${l.loan.closure ? 'captured' : 'borrowed'} ${shared ? '(shared)' : 'mutably'} ${by}from ${lc(l.loan.span.start)} to ${lc(until)}`,
    );
  }
  for (const m of facts.moves)
    push('move', m.span, `\`${m.path}\` moved ${m.dest === 'a temporary' ? 'away' : `to ${m.dest}`} at ${lc(m.span.start)}`);
  for (const s of facts.assigns)
    if (comparePos(s.start, decl.end) > 0 && !spanContains(s, decl.start)) push('assign', s, `\`${name}\` assigned at ${lc(s.start)}`);
  for (const d of facts.drops) {
    const at = dropPoint(d);
    push('drop', at, `\`${name}\` dropped at ${lc(at.start)}`);
  }
  const seen = new Set<string>();
  const unique = segments.filter((s) => {
    const k = `${s.kind}|${lc(s.range.start)}|${lc(s.range.end)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((x, y) => comparePos(x.range.start, y.range.start) || comparePos(x.range.end, y.range.end));
  const lines = a.text.split(/\r\n|\r|\n/);
  for (const s of unique) s.lines = perLine(s.range, lines);
  return { name, decl, segments: unique };
}

/**
 * `r` cut at line ends, each line's part trimmed of leading and trailing blanks and of a line
 * comment (`// ...` outside a string), so that what is drawn is code.
 */
export function perLine(r: Span, lines: readonly string[]): Span[] {
  if (r.start.line === r.end.line) return [r];
  const out: Span[] = [];
  for (let l = r.start.line; l <= r.end.line && l < lines.length; l++) {
    const line = codeOf(lines[l]);
    const from = Math.min(l === r.start.line ? r.start.character : line.length - line.trimStart().length, line.length);
    const to = Math.min(l === r.end.line ? r.end.character : line.trimEnd().length, line.length);
    if (to > from) out.push({ start: { line: l, character: from }, end: { line: l, character: to } });
  }
  return out;
}

/** A line without its trailing line comment (a `//` outside double quotes). */
function codeOf(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Where a drop shows: the last character of its span (the `}` closing the scope). */
function dropPoint(s: Span): Span {
  if (s.end.character === 0) return s;
  return { start: { line: s.end.line, character: s.end.character - 1 }, end: s.end };
}

// --- permissions (Aquascope)

/** The permissions a binding has at the hovered occurrence, and which loans took the others away. */
export interface Permissions {
  read: boolean;
  write: boolean;
  own: boolean;
  /** One line per loan in scope: "`v` lost W and O while `first` borrows it, until 5:16". */
  lost: string[];
}

/** Aquascope's R/W/O of the binding at `pos` (see the module comment); null when unknown. Never throws. */
export function permissionsAt(a: Analysis, pos: Position): Permissions | null {
  try {
    const b = bindingAt(a, pos);
    if (!b) return null;
    const { found, body, bc, local } = b;
    const loc = locationOf(body, local, found.span, found.isDecl);
    if (!loc) return null;
    const init = loc === 'entry' ? 'yes' : bc.stateAt(loc.block, loc.index, local)?.init;
    if (!init) return null;
    const loans = loc === 'entry' ? [] : bc.loansOfLocalAt(local, loc);
    const name = found.local.name;
    const ok = init === 'yes';
    const mutLoan = loans.some((l) => l.loan.kind !== 'shared');
    const p: Permissions = {
      read: ok && !mutLoan,
      write: ok && body.locals[local].mutable && loans.length === 0,
      own: ok && loans.length === 0,
      lost: [],
    };
    for (const l of loans) {
      const lost = l.loan.kind === 'shared' ? (body.locals[local].mutable ? 'W and O' : 'O') : 'R, W and O';
      const who = l.holders.length ? l.holders.map((h) => `\`${h}\``).join(', ') : 'a temporary';
      p.lost.push(`\`${name}\` lost ${lost} while ${who} borrows it${l.lastUse ? `, until ${lc(l.lastUse.end)}` : ''}`);
    }
    return p;
  } catch {
    return null;
  }
}

/** `R W O` with the missing ones as `-`: "R - -". */
export function permissionText(p: Permissions): string {
  return `${p.read ? 'R' : '-'}${p.write ? 'W' : '-'}${p.own ? 'O' : '-'}`;
}

/** The permissions held, then those not held, in words: `read, own; not write`. */
export function permissionWords(p: Permissions): string {
  const all = [
    ['read', p.read],
    ['write', p.write],
    ['own', p.own],
  ] as const;
  const held = all.filter(([, h]) => h).map(([w]) => w);
  const not = all.filter(([, h]) => !h).map(([w]) => w);
  if (!held.length) return 'none';
  return not.length ? `${held.join(', ')}; not ${not.join(' or ')}` : held.join(', ');
}

// --- the hover's section

/**
 * The hover's lifetime section (markdown lines): the permissions at the point and the legend of
 * the lifetime highlights ("borrowed mutably by `r` from 4:13 to 6:5").
 */
export function lifetimeHoverLines(a: Analysis, pos: Position): string[] {
  const out: string[] = [];
  const p = permissionsAt(a, pos);
  if (p) {
    out.push(`- **permissions** \`${permissionText(p)}\` (${permissionWords(p)})${p.lost.length ? `: ${p.lost.join('; ')}` : ''}`);
  }
  const lt = lifetimeAt(a, pos);
  if (lt) {
    const shown = lt.segments.filter((s) => s.kind !== 'decl');
    if (shown.length) out.push(`- **lifetime** ${shown.map((s) => s.message.replace(`\`${lt.name}\` `, '')).join(' · ')}`);
  }
  return out;
}
