/**
 * Quick fixes for the borrow checker's diagnostics: each a set of text edits that makes the code
 * compile where rustc's own suggestion would ("consider cloning the value", "consider borrowing
 * here", "consider changing this to be mutable", "consider assigning a value").
 *
 * What to change comes from the checker (`EngineDiagnostic.fixes`, `FixHint`: the move site, the
 * binding's declaration, the loan, the returning fn); this module only writes it as text, with
 * the syntax tree to find the node to edit. A fix whose edit is not certain (the text at the span
 * is not the expected expression, an unusual syntax, a callee that would need more than `&T`) is
 * not offered: precision first, as for diagnostics. Fixes that need no hint, only the
 * diagnostic's labels (where a value is declared, which temporary, which borrow is held), come
 * from `scopeFixes.ts` and follow the hinted ones.
 *
 * Every fix is checked against rustc by `npm run oracle -- --fixes` (`test/tools/oracle.ts`):
 * applied to the fixtures, rustc must then no longer report the error and report no new one.
 *
 * Input: an `Analysis` and a range (0-based lines, UTF-16 columns). Output: `QuickFix`es whose
 * edits are in the same positions; they never overlap one another within one fix.
 */
import type Parser from 'tree-sitter';
import type { EngineDiagnostic, FixHint } from '../base/diagnostic';
import { comparePos, spansOverlap, type Span } from '../base/span';
import { lineOffsets, offsetAt } from '../base/text';
import type { Analysis } from '../engine/engine';
import type { FnDef, LocalDecl } from '../hir/hir';
import { displayTy, type Ty } from '../hir/ty';
import type { Body, Operand, Statement, Terminator } from '../mir/mir';
import { forEachLocation, rvaluePlace, statementOperands, terminatorOperands } from '../mir/visit';
import { labelFixes, spanOf, type FixEdit } from './scopeFixes';

export type { FixEdit } from './scopeFixes';

/** One quick fix of one diagnostic. */
export interface QuickFix {
  /** What the editor lists: "Clone `s` where it is moved". */
  title: string;
  /** The diagnostic it fixes (as the engine reported it). */
  diagnostic: EngineDiagnostic;
  edits: FixEdit[];
  /** The fix rustc would apply first (VS Code's "preferred" fix, Ctrl+. then Enter). */
  preferred: boolean;
}

/** The quick fixes of the diagnostics that overlap `range` (all of the file's when absent). Never throws. */
export function quickFixesAt(a: Analysis, range?: Span): QuickFix[] {
  const out: QuickFix[] = [];
  const src = new Source(a);
  for (const d of a.diagnostics) {
    if (range && !spansOverlap(d.range, range) && !touches(d.range, range)) continue;
    const mine: QuickFix[] = [];
    try {
      if (d.fixes?.length) mine.push(...fixesOf(src, d));
    } catch {
      // A fix that cannot be written is not offered.
    }
    for (const f of labelFixes(a, d)) mine.push({ ...f, diagnostic: d, preferred: mine.length === 0 });
    out.push(...mine);
  }
  return out;
}

/** Whether a cursor (empty range) sits at an end of `s`. */
function touches(s: Span, r: Span): boolean {
  return comparePos(r.start, s.end) === 0 || comparePos(r.end, s.start) === 0;
}

function fixesOf(src: Source, d: EngineDiagnostic): QuickFix[] {
  const hints = d.fixes ?? [];
  const out: QuickFix[] = [];
  const add = (title: string, edits: FixEdit[] | undefined): void => {
    if (edits && edits.length) out.push({ title, diagnostic: d, edits, preferred: out.length === 0 });
  };
  const clones = hints.filter(
    (h): h is Extract<FixHint, { kind: 'cloneMove' | 'borrowIter' }> => h.kind === 'cloneMove' || h.kind === 'borrowIter',
  );
  if (clones.length) {
    // Every move must be fixed for the use to compile: one fix with an edit per move.
    const edits = allOrNothing(clones.map((h) => (h.kind === 'cloneMove' ? cloneMoveEdit(src, h) : borrowIterEdit(src, h))));
    const only = clones.length === 1 ? clones[0] : undefined;
    if (only?.kind === 'cloneMove' && only.call) add(`Borrow \`${only.path}\` instead of moving it`, borrowArgEdits(src, only));
    const what = clones.find((h) => h.kind === 'cloneMove');
    add(
      clones.every((h) => h.kind === 'borrowIter')
        ? 'Iterate over a reference (`&`) instead of moving the collection'
        : `Clone \`${what?.kind === 'cloneMove' ? what.path : ''}\` where it is moved`,
      edits,
    );
  }
  for (const h of hints) {
    switch (h.kind) {
      case 'makeMut':
        add(`Make \`${h.name}\` mutable: \`mut ${h.name}\``, makeMutEdit(src, h));
        break;
      case 'mutRef':
        add(`Make \`${h.name}\` a mutable reference (\`&mut\`)`, mutRefEdit(src, h));
        break;
      case 'initialise':
        add(`Initialise it: \`= ${h.default}\``, initialiseEdit(src, h));
        break;
      case 'cloneIntoClosure':
        add(`Clone \`${h.name}\` before moving it into the closure`, cloneIntoClosureEdits(src, h));
        break;
      case 'cloneOut':
        add('Clone the value instead of moving it out', cloneOutEdit(src, h));
        break;
      case 'cloneBorrow':
        add(`Borrow a clone of \`${h.path}\``, cloneBorrowEdit(src, h));
        break;
      case 'returnOwned': {
        const r = returnOwnedEdits(src, h);
        if (r) add(`Return an owned \`${r.owned}\` instead of a reference`, r.edits);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function allOrNothing(edits: (FixEdit[] | undefined)[]): FixEdit[] | undefined {
  if (edits.some((e) => !e)) return undefined;
  return edits.flat() as FixEdit[];
}

// --- the source: text and tree

class Source {
  readonly text: string;
  private readonly offsets: number[];
  constructor(readonly a: Analysis) {
    this.text = a.text;
    this.offsets = lineOffsets(a.text);
  }
  slice(s: Span): string {
    return this.text.slice(offsetAt(this.text, s.start, this.offsets), offsetAt(this.text, s.end, this.offsets));
  }
  /** The smallest named node covering exactly `s`, or the smallest covering it. */
  node(s: Span): Parser.SyntaxNode | undefined {
    const n = this.a.tree.rootNode.namedDescendantForPosition(
      { row: s.start.line, column: s.start.character },
      { row: s.end.line, column: s.end.character },
    );
    return n ?? undefined;
  }
  /** The identifier node starting at `p`. */
  identAt(s: Span): Parser.SyntaxNode | undefined {
    const n = this.node(s);
    return n && n.type === 'identifier' && spanOf(n).start.character === s.start.character && spanOf(n).start.line === s.start.line
      ? n
      : undefined;
  }
}

const insert = (at: Span['start'], newText: string): FixEdit => ({ range: { start: at, end: at }, newText });
const squash = (s: string): string => s.replace(/\s+/g, '');

// --- moves

/** `.clone()` after the moved place (`p.name.clone()`); `name: name.clone()` in a struct shorthand. */
function cloneMoveEdit(src: Source, h: Extract<FixHint, { kind: 'cloneMove' }>): FixEdit[] | undefined {
  if (squash(src.slice(h.span)) !== h.path) return undefined;
  const n = src.node(h.span);
  if (n?.parent?.type === 'shorthand_field_initializer') return [insert(h.span.end, `: ${h.path}.clone()`)];
  return [insert(h.span.end, '.clone()')];
}

/**
 * `p.name.clone()`, `v[0].clone()`; `*r` becomes `r.clone()` (rustc removes the dereference and
 * clones through the reference). Only for place expressions in value position.
 */
function cloneOutEdit(src: Source, h: Extract<FixHint, { kind: 'cloneOut' }>): FixEdit[] | undefined {
  const n = src.node(h.span);
  if (!n) return undefined;
  const s = spanOf(n);
  if (comparePos(s.start, h.span.start) !== 0 || comparePos(s.end, h.span.end) !== 0) return undefined;
  if (n.type === 'field_expression' || n.type === 'index_expression' || n.type === 'identifier') return [insert(h.span.end, '.clone()')];
  if (n.type === 'unary_expression' && n.text.startsWith('*')) {
    const inner = n.namedChildren[0];
    if (!inner || (inner.type !== 'identifier' && inner.type !== 'field_expression')) return undefined;
    return [{ range: h.span, newText: h.throughSmartPointer ? `(*${inner.text}).clone()` : `${inner.text}.clone()` }];
  }
  return undefined;
}

/**
 * `let value = name.clone();` before the statement that makes the closure, and `value` for
 * `name` inside it (rustc's own wording and name; `name_clone` when `value` is taken).
 */
function cloneIntoClosureEdits(src: Source, h: Extract<FixHint, { kind: 'cloneIntoClosure' }>): FixEdit[] | undefined {
  let closure = src.node(h.closure);
  while (closure && closure.type !== 'closure_expression') closure = closure.parent ?? undefined;
  if (!closure) return undefined;
  let stmt: Parser.SyntaxNode | undefined = closure;
  while (stmt && stmt.parent && stmt.parent.type !== 'block') stmt = stmt.parent;
  if (!stmt?.parent || (stmt.type !== 'let_declaration' && stmt.type !== 'expression_statement')) return undefined;
  const params = closure.childForFieldName('parameters');
  if (params && identifiers(params).some((i) => i.text === h.name)) return undefined;
  const fnNode = ancestor(closure, 'function_item');
  const fresh = fnNode && identifiers(fnNode).some((i) => i.text === 'value') ? `${h.name}_clone` : 'value';
  const body = closure.childForFieldName('body');
  if (!body) return undefined;
  // (`x.name` is a field_identifier, not a use; a shorthand `S { name }` would need `name: value`)
  const uses = identifiers(body).filter((i) => i.text === h.name);
  if (!uses.length || uses.some((u) => u.parent?.type === 'shorthand_field_initializer')) return undefined;
  const at = spanOf(stmt).start;
  return [
    insert(at, `let ${fresh} = ${h.name}.clone();\n${' '.repeat(at.character)}`),
    ...uses.map((u) => ({ range: spanOf(u), newText: fresh })),
  ];
}

function identifiers(n: Parser.SyntaxNode): Parser.SyntaxNode[] {
  return n.descendantsOfType('identifier');
}

function ancestor(n: Parser.SyntaxNode, type: string): Parser.SyntaxNode | undefined {
  let p = n.parent;
  while (p && p.type !== type) p = p.parent;
  return p ?? undefined;
}

/** `for x in &v` (rustc: "consider iterating over a slice of the `Vec<T>`'s content"). */
function borrowIterEdit(src: Source, h: Extract<FixHint, { kind: 'borrowIter' }>): FixEdit[] | undefined {
  const n = src.node(h.span);
  if (!n || (n.type !== 'identifier' && n.type !== 'field_expression')) return undefined;
  if (n.parent?.type !== 'for_expression') return undefined;
  return [insert(h.span.start, '&')];
}

/**
 * Borrow instead of move: the callee (a fn of this file) takes `&T` instead of `T`, and every
 * call of it in the file passes `&arg`. Offered when the callee only reads its parameter: in
 * its MIR the parameter is never moved, borrowed mutably or assigned, it is a plain binding, and
 * the callee returns no reference (a borrow of the parameter cannot escape).
 */
function borrowArgEdits(src: Source, h: Extract<FixHint, { kind: 'cloneMove' }>): FixEdit[] | undefined {
  const call = h.call!;
  const a = src.a;
  const fn = a.file.fns.find((f) => f.qualName === call.callee);
  const body = a.mir.bodies.get(call.callee);
  if (!fn || !body || fn.selfKind || fn.generics.length || call.arg >= fn.params.length) return undefined;
  const param = fn.params[call.arg];
  if (param.pat.kind !== 'binding' || param.pat.sub) return undefined;
  const decl = fn.locals[param.pat.local];
  if (!decl || decl.mutable || decl.byRef) return undefined;
  if (!ownedTy(param.ty) || returnsRef(fn.ret)) return undefined;
  const local = call.arg + 1;
  if (!onlyRead(body, local)) return undefined;
  // The parameter's type in the source.
  const pnode = src.node(param.span);
  const tnode = pnode?.type === 'parameter' ? pnode.childForFieldName('type') : undefined;
  if (!tnode || tnode.type === 'reference_type') return undefined;
  const edits: FixEdit[] = [insert(spanOf(tnode).start, '&')];
  // Every call of the callee, in every body of the file.
  let ok = true;
  for (const b of a.mir.bodies.values()) {
    for (const bb of b.blocks) {
      const t = bb.terminator;
      if (t.kind !== 'call' || t.func.kind !== 'fn' || t.func.name !== call.callee) continue;
      const arg: Operand | undefined = t.args[call.arg];
      const e = arg && arg.kind !== 'constant' ? arg.span : undefined;
      const n = e && src.node(e);
      if (!e || !n) {
        ok = false;
        continue;
      }
      const simple = ['identifier', 'field_expression', 'call_expression', 'macro_invocation', 'index_expression', 'string_literal'];
      edits.push(...(simple.includes(n.type) ? [insert(e.start, '&')] : [insert(e.start, '&('), insert(e.end, ')')]));
    }
  }
  return ok ? edits : undefined;
}

function ownedTy(t: Ty): boolean {
  return t.kind === 'adt' || t.kind === 'tuple' || t.kind === 'array';
}

function returnsRef(t: Ty): boolean {
  return /[&']/.test(displayTy(t)) || t.kind === 'unknown';
}

/** Whether `local` is only read in `body`: no move, no `&mut`, no assignment after entry. */
function onlyRead(body: Body, local: number): boolean {
  let ok = true;
  forEachLocation(body, (x, _loc, isTerminator) => {
    if (!ok) return;
    const ops = isTerminator ? terminatorOperands(x as Terminator) : statementOperands(x as Statement);
    if (ops.some((o) => o.kind === 'move' && o.place.local === local)) ok = false;
    if (x.kind === 'assign') {
      if (x.place.local === local && !x.place.projection.some((e) => e.kind === 'deref')) ok = false;
      if (x.rvalue.kind === 'ref' && x.rvalue.borrow !== 'shared' && x.rvalue.borrow !== 'fake' && x.rvalue.place.local === local)
        ok = false;
      const p = rvaluePlace(x.rvalue);
      if (p && p.local === local && x.rvalue.kind !== 'ref' && x.rvalue.kind !== 'len' && x.rvalue.kind !== 'discriminant') ok = false;
    }
    if (x.kind === 'call' && x.dest.local === local) ok = false;
  });
  return ok;
}

// --- mutability

/** `mut ` before the binding's identifier. */
function makeMutEdit(src: Source, h: Extract<FixHint, { kind: 'makeMut' }>): FixEdit[] | undefined {
  const n = src.identAt(h.decl);
  if (!n || n.text !== h.name) return undefined;
  const prev = n.previousSibling;
  if (prev && (prev.type === 'mutable_specifier' || prev.text === 'ref' || prev.text === 'mut')) return undefined;
  // A `self` parameter or a closure's capture is not a binding the user wrote here.
  if (n.parent?.type === 'self_parameter') return undefined;
  return [insert(h.decl.start, 'mut ')];
}

/** `&mut T` in the reference's type (a parameter or an annotated `let`), or `&mut x` in `let r = &x;`. */
function mutRefEdit(src: Source, h: Extract<FixHint, { kind: 'mutRef' }>): FixEdit[] | undefined {
  const n = src.identAt(h.decl);
  const holder = n?.parent;
  if (!n || !holder || n.text !== h.name) return undefined;
  if (holder.type !== 'parameter' && holder.type !== 'let_declaration') return undefined;
  if (holder.childForFieldName('pattern')?.id !== n.id) return undefined;
  const ty = holder.childForFieldName('type');
  if (ty && holder.type === 'parameter') {
    const own = ty.type === 'reference_type' ? mutInReference(ty) : undefined;
    const callers = own && mutArgsOfCalls(src, h.decl);
    return own && callers ? [...own, ...callers] : undefined;
  }
  if (ty) return ty.type === 'reference_type' ? mutInReference(ty) : undefined;
  const value = holder.type === 'let_declaration' ? holder.childForFieldName('value') : undefined;
  if (value?.type !== 'reference_expression' || value.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  return mutBorrowOf(src, value);
}

/** `&x` → `&mut x`, and `mut` on `x`'s declaration when it has none. */
function mutBorrowOf(src: Source, value: Parser.SyntaxNode): FixEdit[] | undefined {
  if (value.type !== 'reference_expression' || value.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  const inner = value.childForFieldName('value');
  if (!inner || inner.type !== 'identifier') return undefined;
  const decl = declOf(src, inner);
  if (!decl) return undefined;
  const edits = [insert(spanOf(inner).start, 'mut ')];
  if (!decl.mutable) {
    const m = makeMutEdit(src, { kind: 'makeMut', decl: decl.span, name: decl.name });
    if (!m) return undefined;
    edits.push(...m);
  }
  return edits;
}

/**
 * The edits that make every call of the fn whose parameter is declared at `param` pass `&mut x`
 * where it passes `&x`; undefined when a call passes anything else there.
 */
function mutArgsOfCalls(src: Source, param: Span): FixEdit[] | undefined {
  const a = src.a;
  const fn = a.file.fns.find((f) =>
    f.params.some((p) => comparePos(p.span.start, param.start) <= 0 && comparePos(param.end, p.span.end) <= 0),
  );
  if (!fn || fn.selfKind) return undefined;
  const index = fn.params.findIndex((p) => comparePos(p.span.start, param.start) <= 0 && comparePos(param.end, p.span.end) <= 0);
  const edits: FixEdit[] = [];
  const seen = new Set<string>();
  for (const b of a.mir.bodies.values()) {
    for (const bb of b.blocks) {
      const t = bb.terminator;
      if (t.kind !== 'call' || t.func.kind !== 'fn' || t.func.name !== fn.qualName) continue;
      const arg = t.args[index];
      const n = arg && arg.kind !== 'constant' && arg.span ? src.node(arg.span) : undefined;
      const e = n && mutBorrowOf(src, n);
      if (!e) return undefined;
      for (const x of e) {
        const k = `${x.range.start.line}:${x.range.start.character}`;
        if (!seen.has(k)) edits.push(x);
        seen.add(k);
      }
    }
  }
  return edits;
}

function mutInReference(ty: Parser.SyntaxNode): FixEdit[] | undefined {
  if (ty.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  const inner = ty.childForFieldName('type');
  return inner ? [insert(spanOf(inner).start, 'mut ')] : undefined;
}

/** The local an identifier names (the latest declaration before it, in the HIR of its fn). */
function declOf(src: Source, ident: Parser.SyntaxNode): LocalDecl | undefined {
  const at = spanOf(ident);
  const fn = innermostFn(src.a.file.fns, at);
  if (!fn) return undefined;
  let best: LocalDecl | undefined;
  for (const l of fn.locals) {
    if (!l || l.name !== ident.text || comparePos(l.span.start, at.start) > 0) continue;
    if (!best || comparePos(l.span.start, best.span.start) > 0) best = l;
  }
  return best;
}

function innermostFn(fns: readonly FnDef[], s: Span): FnDef | undefined {
  let best: FnDef | undefined;
  for (const f of fns) {
    if (!f.body || comparePos(f.span.start, s.start) > 0 || comparePos(s.end, f.span.end) > 0) continue;
    if (!best || comparePos(f.span.start, best.span.start) > 0) best = f;
  }
  return best;
}

// --- initialisation

/** ` = value` after the pattern (and its type annotation) of a `let` without initialiser. */
function initialiseEdit(src: Source, h: Extract<FixHint, { kind: 'initialise' }>): FixEdit[] | undefined {
  const n = src.identAt(h.decl);
  const decl = n?.parent;
  if (!n || decl?.type !== 'let_declaration' || decl.childForFieldName('value')) return undefined;
  if (decl.childForFieldName('pattern')?.id !== n.id) return undefined;
  const after = decl.childForFieldName('type') ?? n;
  return [insert(spanOf(after).end, ` = ${h.default}`)];
}

// --- loans

/** `&x.clone()` for `let r = &x;` (the temporary lives as long as `r`: temporary lifetime extension). */
function cloneBorrowEdit(src: Source, h: Extract<FixHint, { kind: 'cloneBorrow' }>): FixEdit[] | undefined {
  const n = src.node(h.span);
  if (!n || n.type !== 'reference_expression' || n.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  if (n.parent?.type !== 'let_declaration' || n.parent.childForFieldName('value')?.id !== n.id) return undefined;
  const inner = n.childForFieldName('value');
  if (!inner || squash(inner.text) !== h.path) return undefined;
  return [insert(spanOf(inner).end, '.clone()')];
}

/**
 * E0515: the fn returns an owned value. Its return type `&str` becomes `String`, `&[T]`
 * `Vec<T>`, `&T` `T`; the returned expression is converted (`.to_string()`, `.to_vec()`,
 * `.clone()`; `&x` loses its `&`). Only when the fn writes its result once.
 */
function returnOwnedEdits(src: Source, h: Extract<FixHint, { kind: 'returnOwned' }>): { owned: string; edits: FixEdit[] } | undefined {
  const a = src.a;
  const fn = a.file.fns.find((f) => f.qualName === h.fn);
  const body = a.mir.bodies.get(h.fn);
  if (!fn || !body || fn.ret.kind !== 'ref' || fn.ret.mutable) return undefined;
  let writes = 0;
  forEachLocation(body, (x) => {
    if ((x.kind === 'assign' && x.place.local === 0) || (x.kind === 'call' && x.dest.local === 0)) writes++;
  });
  if (writes !== 1) return undefined;
  const fnNode = src.node({ start: fn.nameSpan.start, end: fn.nameSpan.end })?.parent;
  const retNode = fnNode?.type === 'function_item' ? fnNode.childForFieldName('return_type') : undefined;
  if (!retNode || retNode.type !== 'reference_type') return undefined;
  const innerTy = retNode.childForFieldName('type');
  if (!innerTy) return undefined;
  let owned: string;
  let convert: string;
  if (fn.ret.inner.kind === 'str') [owned, convert] = ['String', 'to_string'];
  else if (fn.ret.inner.kind === 'slice' && innerTy.type === 'array_type') {
    const elem = innerTy.childForFieldName('element');
    if (!elem) return undefined;
    [owned, convert] = [`Vec<${elem.text}>`, 'to_vec'];
  } else if (fn.ret.inner.kind === 'adt' || fn.ret.inner.kind === 'int' || fn.ret.inner.kind === 'float' || fn.ret.inner.kind === 'bool')
    [owned, convert] = [innerTy.text, 'clone'];
  else return undefined;
  // The returned expression: the node covering the span, without `return`.
  let e = src.node(h.span);
  if (e?.type === 'return_expression') e = e.namedChildren[0];
  if (e?.type === 'expression_statement') e = e.namedChildren[0];
  if (!e) return undefined;
  const es = spanOf(e);
  if (comparePos(es.start, h.span.start) < 0 || comparePos(h.span.end, es.end) < 0) return undefined;
  let newExpr: string;
  if (e.type === 'reference_expression' && !e.children.some((c) => c.type === 'mutable_specifier')) {
    const inner = e.childForFieldName('value');
    if (!inner) return undefined;
    newExpr = `${atomic(inner) ? inner.text : `(${inner.text})`}.${convert}()`;
  } else newExpr = `${atomic(e) ? e.text : `(${e.text})`}.${convert}()`;
  return {
    owned,
    edits: [
      { range: spanOf(retNode), newText: owned },
      { range: es, newText: newExpr },
    ],
  };
}

/** Whether a method call can follow the expression without parentheses. */
function atomic(n: Parser.SyntaxNode): boolean {
  return [
    'identifier',
    'field_expression',
    'call_expression',
    'index_expression',
    'macro_invocation',
    'parenthesized_expression',
    'self',
  ].includes(n.type);
}

/** `text` with `edits` applied (non-overlapping; positions in `text`, 0-based lines, UTF-16 columns). */
export function applyEdits(text: string, edits: readonly FixEdit[]): string {
  const offsets = lineOffsets(text);
  const at = edits
    .map((e) => ({ from: offsetAt(text, e.range.start, offsets), to: offsetAt(text, e.range.end, offsets), newText: e.newText }))
    .sort((x, y) => y.from - x.from || y.to - x.to);
  let out = text;
  for (const e of at) out = out.slice(0, e.from) + e.newText + out.slice(e.to);
  return out;
}
