/**
 * Quick fixes written from a diagnostic's own labels and the syntax tree, for errors whose fix is
 * a matter of where a value lives rather than of a `FixHint` (`ide/quickFixes.ts` merges them in):
 *
 * - E0716 "consider using a `let` binding to create a longer lived value" (rustc's suggestion,
 *   `rustc_borrowck::diagnostics::conflict_errors::report_temporary_value_does_not_live_long_enough`):
 *   `let binding = <temporary>;` before the statement, `binding` in its place.
 * - E0597, a block's tail expression whose temporary outlives a local (editions before 2024):
 *   rustc's "save the expression's value in a new local variable `x`" (`let x = <tail>; x`).
 * - E0597, a local of an inner bare block `{ let v = ..; r = &v; }` borrowed after the block:
 *   move its `let` out, just before the block (it runs at the same point, is dropped later), or
 *   before an earlier local whose drop uses the borrow; a value declared after a local whose
 *   `Drop` uses its borrow: declared before it.
 * - E0502 / E0506, a shared borrow `let r = &v[0]` / `v.first()` / `s.as_str()` held across a
 *   mutation: hold a copy or clone of the value instead (`v[0]`, `.cloned()`, `.clone()`,
 *   `.to_string()`), when every later use of `r` only formats it (`println!("{}", r)`), so the
 *   program prints the same; or the last use of `r` moved before the mutation. E0502 within one
 *   statement: `let len = v.len();` first (rustc: "try adding a local storing this"), or a clone
 *   for an argument of the call that borrows mutably.
 * - E0499: the second `&mut` taken after the first's last use; two elements of a Vec borrowed
 *   at once with `get_disjoint_mut` (rustc: "use `.split_at_mut(position)`").
 * - E0382, a partial move by a pattern binding (`if let Some(s) = opt`, a match arm): rustc's
 *   machine-applicable "borrow this binding in the pattern to avoid moving the value" (`ref s`),
 *   when the binding is only formatted or used as a method receiver in its arm; a move into a
 *   generic parameter only formatted: `&arg` (rustc: "consider borrowing").
 *
 * Every fix is conservative: offered only when the edit is certain to keep the program's
 * meaning (no reordering of calls with effects, no drop moved for a type whose drop could do
 * something visible), and checked against rustc by `npm run oracle` (`test/tools/fixes.ts`).
 * Input: an `Analysis` and one of its diagnostics; output: titled edits (0-based lines, UTF-16
 * columns), never overlapping within one fix. Never throws on unexpected syntax: no fix then.
 */
import type Parser from 'tree-sitter';
import type { EngineDiagnostic } from '../base/diagnostic';
import { comparePos, type Span } from '../base/span';
import type { Analysis } from '../engine/engine';
import type { FnDef, LocalDecl } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { stdDropOnlyFrees } from '../std/facts';

/** A text edit (LSP `TextEdit`: 0-based lines, UTF-16 columns). */
export interface FixEdit {
  range: Span;
  newText: string;
}

/** One fix of a diagnostic, before `quickFixes.ts` gives it its diagnostic and preference. */
export interface LabelFix {
  title: string;
  edits: FixEdit[];
}

/** The fixes of `d` written from its labels (none when `d` has no such fix). Never throws. */
export function labelFixes(a: Analysis, d: EngineDiagnostic): LabelFix[] {
  const out: LabelFix[] = [];
  const add = (fix: () => LabelFix | undefined): void => {
    try {
      const f = fix();
      if (f && f.edits.length) out.push(f);
    } catch {
      // A fix that cannot be written is not offered.
    }
  };
  switch (d.code) {
    case 'E0716':
      add(() => letBindingFix(a, d));
      break;
    case 'E0597':
      add(() => tailTemporaryFix(a, d));
      add(() => hoistDeclarationFix(a, d));
      add(() => declareBeforeHolderFix(a, d));
      break;
    case 'E0502':
      add(() => hoistGetterFix(a, d));
      add(() => cloneArgumentFix(a, d));
      add(() => copyHeldBorrowFix(a, d));
      add(() => useBeforeMutationFix(a, d));
      break;
    case 'E0506':
      add(() => copyHeldBorrowFix(a, d));
      break;
    case 'E0382':
      add(() => refBindingFix(a, d));
      add(() => borrowGenericArgumentFix(a, d));
      break;
    case 'E0373':
      add(() => moveClosureFix(a, d));
      break;
    case 'E0499':
      add(() => disjointElementsFix(a, d));
      add(() => delaySecondBorrowFix(a, d));
      break;
    default:
      break;
  }
  return out;
}

// --- tree helpers

/** A syntax node's range (0-based lines; tree-sitter columns, UTF-16 code units for our string input). */
export function spanOf(n: Parser.SyntaxNode): Span {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

const sameSpan = (x: Span, y: Span): boolean => comparePos(x.start, y.start) === 0 && comparePos(x.end, y.end) === 0;
const insert = (at: Span['start'], newText: string): FixEdit => ({ range: { start: at, end: at }, newText });

/** The outermost named node spanning exactly `s` (tree-sitter gives the innermost). */
function nodeAt(a: Analysis, s: Span): Parser.SyntaxNode | undefined {
  let n: Parser.SyntaxNode | null = a.tree.rootNode.namedDescendantForPosition(
    { row: s.start.line, column: s.start.character },
    { row: s.end.line, column: s.end.character },
  );
  if (!n || !sameSpan(spanOf(n), s)) return undefined;
  while (n.parent && sameSpan(spanOf(n.parent), s)) n = n.parent;
  return n;
}

function label(d: EngineDiagnostic, re: RegExp): Span | undefined {
  return d.related.find((r) => re.test(r.message))?.range;
}

/** The statement of a block that contains `n` (`let` or expression statement), and the path up to it. */
function statementOf(n: Parser.SyntaxNode): { stmt: Parser.SyntaxNode; path: Parser.SyntaxNode[] } | undefined {
  const path: Parser.SyntaxNode[] = [];
  let x: Parser.SyntaxNode | null = n;
  while (x && x.parent && x.parent.type !== 'block') {
    path.push(x);
    x = x.parent;
  }
  if (!x?.parent || (x.type !== 'let_declaration' && x.type !== 'expression_statement')) return undefined;
  return { stmt: x, path };
}

/** Kinds of expression whose parts do not all run exactly once, in order, with the statement. */
const CONDITIONAL = new Set([
  'closure_expression',
  'if_expression',
  'match_expression',
  'match_arm',
  'while_expression',
  'loop_expression',
  'for_expression',
  'block',
  'async_block',
  'unsafe_block',
  'binary_expression', // `&&` / `||` short-circuit
  'try_expression',
  'let_condition',
]);

function fnNodeOf(n: Parser.SyntaxNode): Parser.SyntaxNode | undefined {
  let p = n.parent;
  while (p && p.type !== 'function_item' && p.type !== 'closure_expression') p = p.parent;
  return p ?? undefined;
}

function hasIdent(n: Parser.SyntaxNode, name: string): boolean {
  return n.descendantsOfType('identifier').some((i) => i.text === name);
}

/** A name not used in `scope`: `base`, then `base_1`, `base_2`... */
function freshName(scope: Parser.SyntaxNode, base: string): string {
  const used = new Set(scope.descendantsOfType('identifier').map((i) => i.text));
  if (!used.has(base)) return base;
  for (let k = 1; ; k++) if (!used.has(`${base}_${k}`)) return `${base}_${k}`;
}

/** The HIR local declared at the identifier span `s` and its fn. */
function localAt(a: Analysis, s: Span): { fn: FnDef; local: LocalDecl } | undefined {
  for (const fn of a.file.fns) {
    const local = fn.locals.find((l) => l && sameSpan(l.span, s));
    if (local) return { fn, local };
  }
  return undefined;
}

// --- E0716: a `let` binding for the temporary

/**
 * `let binding = <temporary>;` before the statement and `binding` in place of the temporary
 * (rustc's MaybeIncorrect suggestion, applied where the hoisted expression runs at the same
 * point: nothing of the statement runs before it and it is not under a condition, loop or
 * closure). `let mut` when the temporary is borrowed mutably (`&mut`, a `_mut` method).
 */
function letBindingFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const at = label(d, /^creates a temporary value/) ?? d.range;
  const temp = nodeAt(a, at);
  if (!temp || temp.type === 'identifier') return undefined;
  const found = statementOf(temp);
  if (!found || found.path.some((p) => CONDITIONAL.has(p.type))) return undefined;
  const { stmt } = found;
  // Nothing with effects runs before the temporary within the statement.
  const before = (x: Parser.SyntaxNode): boolean => comparePos(spanOf(x).end, spanOf(temp).start) <= 0;
  if ([...stmt.descendantsOfType('call_expression'), ...stmt.descendantsOfType('macro_invocation')].some(before)) return undefined;
  const scope = fnNodeOf(stmt);
  if (!scope) return undefined;
  const name = freshName(scope, 'binding');
  const parent = temp.parent;
  const mutably =
    (parent?.type === 'reference_expression' && parent.children.some((c) => c.type === 'mutable_specifier')) ||
    (parent?.type === 'field_expression' && /_mut$/.test(parent.childForFieldName('field')?.text ?? ''));
  const s = spanOf(stmt).start;
  return {
    title: `Create a longer lived value: \`let ${name} = …;\` before this statement`,
    edits: [insert(s, `let ${mutably ? 'mut ' : ''}${name} = ${temp.text};\n${' '.repeat(s.character)}`), { range: at, newText: name }],
  };
}

// --- E0597: tail expression temporaries

/** `let x = <tail>; x`: the tail's temporaries are dropped at the `;`, before the block's locals (rustc's suggestion). */
function tailTemporaryFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const created = label(d, /^a temporary with access to the borrow is created here/);
  if (!created) return undefined;
  let tail: Parser.SyntaxNode | undefined = nodeAt(a, created) ?? undefined;
  while (tail && tail.parent && tail.parent.type !== 'block') tail = tail.parent;
  const block = tail?.parent;
  if (!tail || !block || tail.type === 'expression_statement' || tail.type === 'let_declaration') return undefined;
  const last = block.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment').pop();
  if (last?.id !== tail.id) return undefined;
  const name = freshName(tail, 'x');
  const s = spanOf(tail);
  return {
    title: `Save the tail expression in a local \`${name}\`, dropping its temporaries first`,
    edits: [insert(s.start, `let ${name} = `), insert(s.end, `; ${name}`)],
  };
}

// --- E0597: the declaration of an inner block moved out

/**
 * The first `let` of a bare inner block, moved just before the block: it runs at the same point
 * and lives until the end of the enclosing block. Offered when the name is not used after the
 * block (no shadowed binding changes meaning) and its type's drop does nothing visible (std
 * values and primitives, not guards: a `RefMut` held longer could panic).
 */
function hoistDeclarationFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const declared = label(d, /^binding `.*` declared here$/);
  const dropped = label(d, /dropped here while still borrowed$/);
  if (!declared || !dropped) return undefined;
  const ident = nodeAt(a, declared);
  const letNode = ident?.parent;
  if (!ident || ident.type !== 'identifier' || letNode?.type !== 'let_declaration') return undefined;
  if (letNode.childForFieldName('pattern')?.id !== ident.id) return undefined;
  const inner = letNode.parent;
  if (inner?.type !== 'block' || comparePos(spanOf(inner).end, dropped.end) !== 0) return undefined;
  const first = inner.namedChildren.find((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
  if (first?.id !== letNode.id) return undefined;
  const stmt = inner.parent;
  const outer = stmt?.parent;
  if (stmt?.type !== 'expression_statement' || outer?.type !== 'block') return undefined;
  const decl = localAt(a, declared);
  if (!decl || !quietDrop(a, decl.local.ty)) return undefined;
  // Every local declared before it is now dropped after it: none may use a borrow when dropped
  // (a `Ref` guard, a `Box<dyn Fn + '_>`, a type with its own `Drop`).
  // If one may, the declaration goes before that local's instead, when its value is made of
  // literals (evaluating it earlier changes nothing).
  const earlier = decl.fn.locals.filter((l) => l && l.name && l !== decl.local && comparePos(l.span.start, spanOf(stmt).start) < 0);
  const noisy = earlier.filter((l) => !quietDrop(a, l.ty));
  const list = statements(outer);
  let target = list.findIndex((c) => c.id === stmt.id);
  for (const l of noisy) {
    const at = list.findIndex(
      (c) => c.type === 'let_declaration' && comparePos(spanOf(c).start, l.span.start) <= 0 && comparePos(l.span.end, spanOf(c).end) <= 0,
    );
    if (at < 0) return undefined;
    target = Math.min(target, at);
  }
  const value = letNode.childForFieldName('value');
  if (noisy.length && (!value || !constantValue(value))) return undefined;
  // The name must mean nothing else after the block, nor in the statements passed over.
  const after = list.slice(target).filter((c) => c.id !== stmt.id);
  if (after.some((c) => hasIdent(c, ident.text) || inlineFormatUse(c, ident.text))) return undefined;
  const moved = takeStatement(a, letNode);
  const s = spanOf(list[target]).start;
  return {
    title:
      list[target].id === stmt.id
        ? `Move the declaration of \`${ident.text}\` out of the block, so it lives as long as its borrow`
        : `Move the declaration of \`${ident.text}\` before \`${list[target].childForFieldName('pattern')?.text ?? ''}\`, so it lives as long as its borrow`,
    edits: [insert(s, `${moved.text}\n${' '.repeat(s.character)}`), moved.remove],
  };
}

/** Std constructors that only build a value from their arguments. */
const CONSTRUCTORS = new Set([
  'String::from',
  'String::new',
  'Vec::new',
  'Vec::with_capacity',
  'Box::new',
  'Rc::new',
  'Arc::new',
  'RefCell::new',
  'Cell::new',
  'HashMap::new',
  'Some',
]);

/**
 * Whether an expression is made of literals only (`"a"`, `5`, `String::from("a")`, `vec![1, 2]`,
 * `RefCell::new(vec![1])`): evaluating it earlier changes nothing.
 */
function constantValue(n: Parser.SyntaxNode, depth = 0): boolean {
  if (depth > 16) return false;
  switch (n.type) {
    case 'string_literal':
    case 'raw_string_literal':
    case 'integer_literal':
    case 'float_literal':
    case 'boolean_literal':
    case 'char_literal':
      return true;
    case 'unary_expression':
      return n.text.startsWith('-') && constantValue(n.namedChildren[0], depth + 1);
    case 'array_expression':
    case 'tuple_expression':
    case 'parenthesized_expression':
      return n.namedChildren.every((c) => constantValue(c, depth + 1));
    case 'macro_invocation': {
      const tt = n.namedChildren.find((c) => c.type === 'token_tree');
      return (
        n.childForFieldName('macro')?.text === 'vec' &&
        !!tt &&
        tt.namedChildren.every((c) =>
          ['integer_literal', 'float_literal', 'string_literal', 'boolean_literal', 'char_literal'].includes(c.type),
        )
      );
    }
    case 'call_expression': {
      const f = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (f?.type === 'field_expression') {
        const m = f.childForFieldName('field')?.text ?? '';
        const recv = f.childForFieldName('value');
        return ['to_string', 'to_owned'].includes(m) && !args.length && recv?.type === 'string_literal';
      }
      return !!f && CONSTRUCTORS.has(f.text.replace(/\s+/g, '')) && args.every((c) => constantValue(c, depth + 1));
    }
    default:
      return false;
  }
}

/**
 * `let line = ..;` moved before the declaration of the value that borrows it and runs code when
 * dropped (`when `log` is dropped and runs the `Drop` code`): locals drop in reverse order, so
 * the borrowed value then outlives its borrower. Only for a value made of literals (evaluating
 * it earlier changes nothing), whose own drop is quiet, and whose name means nothing else in
 * the statements it passes over.
 */
function declareBeforeHolderFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const declared = label(d, /^binding `.*` declared here$/);
  const holderName = d.related.map((r) => /^borrow might be used here, when `(\w+)` is dropped/.exec(r.message)?.[1]).find((x) => x);
  if (!declared || !holderName) return undefined;
  const ident = nodeAt(a, declared);
  const letNode = ident?.parent;
  if (ident?.type !== 'identifier' || letNode?.type !== 'let_declaration' || letNode.parent?.type !== 'block') return undefined;
  if (letNode.childForFieldName('pattern')?.id !== ident.id) return undefined;
  const value = letNode.childForFieldName('value');
  if (!value || !constantValue(value)) return undefined;
  const list = statements(letNode.parent);
  const at = list.findIndex((c) => c.id === letNode.id);
  const holder = list.findIndex(
    (c, i) =>
      i < at &&
      c.type === 'let_declaration' &&
      c
        .childForFieldName('pattern')
        ?.descendantsOfType('identifier')
        .concat(c.childForFieldName('pattern')!)
        .some((x) => x.text === holderName),
  );
  if (holder < 0) return undefined;
  if (list.slice(holder, at).some((c) => hasIdent(c, ident.text) || inlineFormatUse(c, ident.text))) return undefined;
  const decl = localAt(a, declared);
  if (!decl || !quietDrop(a, decl.local.ty)) return undefined;
  const moved = takeStatement(a, letNode);
  const s = spanOf(list[holder]).start;
  return {
    title: `Declare \`${ident.text}\` before \`${holderName}\`, so it is dropped after it`,
    edits: [insert(s, `${moved.text}\n${' '.repeat(s.character)}`), moved.remove],
  };
}

/**
 * A statement to move elsewhere: its text with its trailing `//` comment, and the edit deleting
 * both (the whole line when they are alone on it).
 */
function takeStatement(a: Analysis, n: Parser.SyntaxNode): { text: string; remove: FixEdit } {
  const s = spanOf(n);
  const lines = a.text.split('\n');
  const before = lines[s.start.line].slice(0, s.start.character);
  const after = lines[s.end.line].slice(s.end.character);
  if (/^\s*$/.test(before) && /^\s*\/\/.*$/.test(after) && s.end.line + 1 < lines.length)
    return {
      text: n.text + after.replace(/\s+$/, ''),
      remove: { range: { start: { line: s.start.line, character: 0 }, end: { line: s.end.line + 1, character: 0 } }, newText: '' },
    };
  return { text: n.text, remove: removeStatement(a, n) };
}

/** An edit deleting a statement: its whole line when it is alone on it. */
function removeStatement(a: Analysis, n: Parser.SyntaxNode): FixEdit {
  const s = spanOf(n);
  const lines = a.text.split('\n');
  const before = lines[s.start.line].slice(0, s.start.character);
  const after = lines[s.end.line].slice(s.end.character);
  if (/^\s*$/.test(before) && /^\s*$/.test(after) && s.end.line + 1 < lines.length)
    return { range: { start: { line: s.start.line, character: 0 }, end: { line: s.end.line + 1, character: 0 } }, newText: '' };
  const trailing = /^ */.exec(after)?.[0].length ?? 0;
  return { range: { start: s.start, end: { line: s.end.line, character: s.end.character + trailing } }, newText: '' };
}

/**
 * Whether dropping a `t` does nothing observable but free memory (no user `Drop`, no guard
 * releasing a borrow: std types by `stdDropOnlyFrees`), so that a `let` may be moved past its
 * drop. False when unsure (unknown types, generics, deeper than 8).
 */
function quietDrop(a: Analysis, t: Ty, depth = 0): boolean {
  if (depth > 8) return false;
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'str':
    case 'ref':
    case 'fn':
      return true;
    case 'tuple':
      return t.elems.every((e) => quietDrop(a, e, depth + 1));
    case 'array':
      return quietDrop(a, t.elem, depth + 1);
    case 'adt': {
      if (t.std) return stdDropOnlyFrees(t) && t.args.every((e) => quietDrop(a, e, depth + 1));
      // A user type without `impl Drop`, generic over nothing, whose fields all drop quietly.
      const adt = a.file.adts.get(t.name);
      if (!adt || adt.hasDropImpl || adt.generics.length) return false;
      return [...adt.fields, ...adt.variants.flatMap((v) => v.fields)].every((f) => quietDrop(a, f.ty, depth + 1));
    }
    case 'closure':
      // Captures by reference (a `move` closure may own a value whose drop matters).
      return !t.moveCapture;
    default:
      return false;
  }
}

/** Whether a string literal in `n` names `name` as an inline format argument (`"{name}"`, `"{name:?}"`). */
function inlineFormatUse(n: Parser.SyntaxNode, name: string): boolean {
  const re = new RegExp(`\\{${name}(?:[:}])`);
  return n.descendantsOfType('string_literal').some((s) => re.test(s.text)) || (n.type === 'string_literal' && re.test(n.text));
}

// --- E0502 / E0506: hold a copy instead of a borrow

const FORMAT_MACROS = new Set(['println', 'print', 'eprintln', 'eprint', 'format', 'write', 'writeln', 'panic']);

/**
 * `let r = &v[0];` → `let r = v[0];` (Copy) / `v[0].clone()`; `let r = v.first();` →
 * `v.first().cloned()`; `let r = s.as_str();` → `s.as_str().to_string()`: `r` holds its own
 * value and the borrow ends at once. Only when every later use of `r` is a format argument
 * (Display and Debug print `T` and `&T`, `Option<T>` and `Option<&T>` alike), never `{:p}`.
 */
function copyHeldBorrowFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const borrowed = label(d, /^(immutable )?borrow occurs here$|^`.*` is borrowed here$/);
  if (!borrowed || d.related.some((r) => /^mutable borrow occurs here$/.test(r.message) && sameSpan(r.range, borrowed))) return undefined;
  const start = nodeAt(a, borrowed);
  if (!start) return undefined;
  // Up to the `let`'s value, through the value's own expression only.
  let value: Parser.SyntaxNode = start;
  while (value.parent && value.parent.type !== 'let_declaration') {
    if (!['reference_expression', 'field_expression', 'call_expression', 'index_expression', 'arguments'].includes(value.parent.type))
      return undefined;
    value = value.parent;
  }
  const letNode = value.parent;
  if (!letNode || letNode.childForFieldName('value')?.id !== value.id || letNode.parent?.type !== 'block') return undefined;
  const pat = letNode.childForFieldName('pattern');
  if (pat?.type !== 'identifier' || letNode.childForFieldName('type')) return undefined;
  const decl = localAt(a, spanOf(pat));
  if (!decl) return undefined;
  const name = pat.text;
  // Every later use formats it.
  const block = letNode.parent;
  const later = block.namedChildren.filter((c) => comparePos(spanOf(c).start, spanOf(letNode).end) >= 0);
  for (const c of later) {
    for (const u of c.descendantsOfType('identifier').filter((i) => i.text === name)) {
      if (!formatArgument(u) || /:p\}/.test(u.parent?.parent?.text ?? '')) return undefined;
    }
    if (c.descendantsOfType('string_literal').some((s) => /:p\}/.test(s.text) && new RegExp(`\\{${name}[:}]`).test(s.text)))
      return undefined;
  }
  const t = decl.local.ty;
  let newText: string;
  let what: string;
  if (t.kind === 'ref' && !t.mutable) {
    const own = ownedClone(t.inner);
    if (!own) return undefined;
    const amp = value.type === 'reference_expression' && !value.children.some((c) => c.type === 'mutable_specifier');
    const inner = amp ? value.childForFieldName('value') : undefined;
    const placeExpr = inner && ['index_expression', 'field_expression', 'identifier', 'unary_expression'].includes(inner.type);
    if (inner && inner.type === 'unary_expression' && !inner.text.startsWith('*')) return undefined;
    if (amp && inner && placeExpr && own === 'copy') {
      newText = inner.text;
      what = `a copy of \`${inner.text}\``;
    } else if (amp && inner && placeExpr) {
      const receiver = inner.type === 'unary_expression' ? `(${inner.text})` : inner.text;
      newText = `${receiver}.${own === 'str' ? 'to_string' : 'clone'}()`;
      what = `a clone of \`${inner.text}\``;
    } else {
      newText = `${value.text}.${own === 'str' ? 'to_string' : 'clone'}()`;
      what = 'a clone of the borrowed value';
      if (own === 'copy') newText = `*${value.text}`;
      if (own === 'copy') what = 'a copy of the borrowed value';
    }
  } else if (t.kind === 'adt' && t.std && t.name === 'Option' && t.args.length === 1 && t.args[0].kind === 'ref' && !t.args[0].mutable) {
    const own = ownedClone(t.args[0].inner);
    if (!own || own === 'str' || value.type === 'reference_expression') return undefined;
    newText = `${value.text}.${own === 'copy' ? 'copied' : 'cloned'}()`;
    what = `${own === 'copy' ? 'a copy' : 'a clone'} of the borrowed value`;
  } else return undefined;
  return { title: `Let \`${name}\` hold ${what} instead of a borrow`, edits: [{ range: spanOf(value), newText }] };
}

/** How a value of type `t` is duplicated: `copy`, `clone`, `str` (to `String`); undefined when unknown to be `Clone`. */
function ownedClone(t: Ty, depth = 0): 'copy' | 'clone' | 'str' | undefined {
  if (depth > 8) return undefined;
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
      return 'copy';
    case 'str':
      return depth === 0 ? 'str' : undefined;
    case 'adt': {
      if (!t.std || !['String', 'Vec', 'Option', 'Box', 'HashMap', 'VecDeque', 'BTreeMap'].includes(t.name)) return undefined;
      const args = t.args.map((x) => ownedClone(x, depth + 1));
      return args.every((x) => x) ? (t.name === 'Option' && args.every((x) => x === 'copy') ? 'copy' : 'clone') : undefined;
    }
    case 'tuple': {
      const elems = t.elems.map((x) => ownedClone(x, depth + 1));
      return elems.every((x) => x) ? (elems.every((x) => x === 'copy') ? 'copy' : 'clone') : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `s.push_str(&s.clone())`, `v.extend(v.clone().iter())`: a shared borrow of `x` in an argument
 * of the call that borrows `x` mutably reads a clone instead (the clone lives until the end of
 * the statement; the call receives the same value). `x` a local whose type is `Clone`.
 */
function cloneArgumentFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const borrowed = label(d, /^immutable borrow occurs here$/);
  const mutable = label(d, /^mutable borrow occurs here$/);
  if (!borrowed || !mutable) return undefined;
  const start = nodeAt(a, borrowed);
  if (!start) return undefined;
  const place =
    start.type === 'reference_expression' && !start.children.some((c) => c.type === 'mutable_specifier')
      ? start.childForFieldName('value')
      : start;
  if (!place || place.type !== 'identifier') return undefined;
  let x: Parser.SyntaxNode = start;
  while (x.parent && x.parent.type !== 'arguments') {
    if (!['reference_expression', 'field_expression', 'call_expression'].includes(x.parent.type)) return undefined;
    x = x.parent;
  }
  const call = x.parent?.parent;
  if (call?.type !== 'call_expression' || comparePos(spanOf(call).start, mutable.start) !== 0) return undefined;
  const local = localNamed(a, place);
  if (!local || !ownedClone(local.ty) || ownedClone(local.ty) === 'str') return undefined;
  return { title: `Pass a clone of \`${place.text}\` (the call borrows it mutably)`, edits: [insert(spanOf(place).end, '.clone()')] };
}

/**
 * The last use of a shared borrow's binding moved before the statement that borrows mutably:
 * `let first = &v[0]; v.push(4); let n = *first + 1;` → `let n = *first + 1;` before
 * `v.push(4);`. It reads what the binding borrowed when it was taken, as a copy would. Offered
 * when that use is one statement naming nothing but the binding (and macro, method and field
 * names: it reads no other value the mutation could change), the statements it passes over do
 * not name it or what it declares, and none of them prints or calls a fn of the file (the order
 * of effects stays the same).
 */
function useBeforeMutationFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const borrowed = label(d, /^immutable borrow occurs here$/);
  if (!borrowed || !/as mutable because it is also borrowed as immutable/.test(d.message)) return undefined;
  const held = letOf(a, borrowed);
  const holder = held?.childForFieldName('pattern');
  if (!held || holder?.type !== 'identifier') return undefined;
  // A binding whose drop uses the borrow (a `Ref` guard) holds it to the end of its scope anyway.
  const decl = localAt(a, spanOf(holder));
  if (!decl || !quietDrop(a, decl.local.ty)) return undefined;
  const mutation = nodeAt(a, d.range);
  const m = mutation && statementOf(mutation);
  if (!m || m.stmt.parent?.id !== held.parent?.id) return undefined;
  const list = statements(held.parent!);
  const im = list.findIndex((c) => c.id === m.stmt.id);
  const uses = (c: Parser.SyntaxNode, n: string): boolean => hasIdent(c, n) || inlineFormatUse(c, n);
  const later = list.map((c, i) => (i > im && uses(c, holder.text) ? i : -1)).filter((i) => i >= 0);
  if (im < 0 || later.length !== 1) return undefined;
  const use = list[later[0]];
  if (use.type !== 'expression_statement' && use.type !== 'let_declaration') return undefined;
  // It names nothing but the binding, macro names, methods and fields.
  const macros = new Set(use.descendantsOfType('macro_invocation').map((x) => x.childForFieldName('macro')?.id));
  for (const i of use.descendantsOfType('identifier')) {
    if (i.text === holder.text || macros.has(i.id)) continue;
    const p = i.parent;
    if (p?.type === 'field_expression' && p.childForFieldName('field')?.id === i.id) continue;
    if (p?.type === 'token_tree' && i.previousSibling?.type === '.') continue;
    if (use.type === 'let_declaration' && use.childForFieldName('pattern')?.id === i.id) continue;
    return undefined;
  }
  if (use.descendantsOfType('string_literal').some((x) => /\{[A-Za-z_]/.test(x.text.replace(new RegExp(`\\{${holder.text}[:}]`, 'g'), ''))))
    return undefined;
  const bound = use.type === 'let_declaration' ? (use.childForFieldName('pattern')?.text ?? '') : '';
  const passed = list.slice(im, later[0]);
  for (const c of passed) {
    if (uses(c, holder.text) || (bound && uses(c, bound))) return undefined;
    if (c.descendantsOfType('macro_invocation').length) return undefined;
    const callees = c.descendantsOfType('call_expression').map((x) => x.childForFieldName('function'));
    if (callees.some((f) => !f || f.type !== 'field_expression' || a.file.fns.some((fn) => fn.name === f.childForFieldName('field')?.text)))
      return undefined;
  }
  const moved = takeStatement(a, use);
  const s = spanOf(m.stmt).start;
  return {
    title: `Move this use of \`${holder.text}\` before the mutable borrow`,
    edits: [insert(s, `${moved.text}\n${' '.repeat(s.character)}`), moved.remove],
  };
}

/**
 * `let len = v.len();` before the statement and `len` in place of `v.len()` inside it, where the
 * statement borrows `v` mutably first (`v[v.len() - 1] = 0`, `v.swap(0, v.len() - 1)`; rustc:
 * "try adding a local storing this... and then using that local here"). Only for `len`,
 * `is_empty`, `capacity` (they change nothing and return a `Copy` value), when nothing with
 * effects runs before them in the statement and they are not under a condition or closure.
 */
function hoistGetterFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const borrowed = label(d, /^immutable borrow occurs here$/);
  if (!borrowed || !label(d, /^mutable borrow occurs here$/)) return undefined;
  const receiver = nodeAt(a, borrowed);
  const method = receiver?.parent;
  const call = method?.parent;
  if (receiver?.type !== 'identifier' || method?.type !== 'field_expression' || method.childForFieldName('value')?.id !== receiver.id)
    return undefined;
  const name = method.childForFieldName('field')?.text ?? '';
  if (!['len', 'is_empty', 'capacity'].includes(name)) return undefined;
  if (call?.type !== 'call_expression' || call.childForFieldName('arguments')?.namedChildren.length !== 0) return undefined;
  const found = statementOf(call);
  if (!found || found.path.some((p) => CONDITIONAL.has(p.type) && p.type !== 'binary_expression')) return undefined;
  if (found.path.some((p) => p.type === 'binary_expression' && /&&|\|\|/.test(p.child(1)?.type ?? ''))) return undefined;
  const { stmt } = found;
  const before = (x: Parser.SyntaxNode): boolean => comparePos(spanOf(x).end, spanOf(call).start) <= 0;
  if ([...stmt.descendantsOfType('call_expression'), ...stmt.descendantsOfType('macro_invocation')].some(before)) return undefined;
  const scope = fnNodeOf(stmt);
  if (!scope) return undefined;
  const local = freshName(scope, name);
  const s = spanOf(stmt).start;
  return {
    title: `Store \`${call.text}\` in a local \`${local}\` before the mutable borrow`,
    edits: [insert(s, `let ${local} = ${call.text};\n${' '.repeat(s.character)}`), { range: spanOf(call), newText: local }],
  };
}

/** The local an identifier names: the latest of that name declared before it in its fn. */
function localNamed(a: Analysis, ident: Parser.SyntaxNode): LocalDecl | undefined {
  const at = spanOf(ident).start;
  let best: LocalDecl | undefined;
  for (const fn of a.file.fns) {
    if (comparePos(fn.span.start, at) > 0 || comparePos(at, fn.span.end) > 0) continue;
    for (const l of fn.locals) {
      if (!l || l.name !== ident.text || l.closure !== undefined || comparePos(l.span.start, at) > 0) continue;
      if (!best || comparePos(l.span.start, best.span.start) > 0) best = l;
    }
  }
  return best;
}

// --- E0382: `ref` in the pattern

/** Std methods that take `&self` (called on `&T` they do the same), for `ref` bindings. */
const BY_REF_METHODS = new Set([
  'len',
  'is_empty',
  'as_str',
  'chars',
  'bytes',
  'iter',
  'to_string',
  'to_owned',
  'clone',
  'trim',
  'starts_with',
  'ends_with',
  'contains',
  'to_uppercase',
  'to_lowercase',
  'first',
  'last',
  'get',
]);

/**
 * `Some(ref s)` where a pattern binding moved part of the value (rustc's machine-applicable
 * "borrow this binding in the pattern to avoid moving the value"), when in its arm or `if let`
 * body the binding is only a format argument or a method call's receiver (both work on `&T`).
 */
function refBindingFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const moved = label(d, /^value partially moved here$/);
  if (!moved) return undefined;
  const ident = nodeAt(a, moved);
  if (!ident || ident.type !== 'identifier') return undefined;
  const p = ident.parent;
  if (!p || !['tuple_struct_pattern', 'field_pattern', 'tuple_pattern'].includes(p.type)) return undefined;
  if (p.type === 'field_pattern' && p.childForFieldName('pattern') && p.childForFieldName('pattern')?.id !== ident.id) return undefined;
  if (p.type === 'field_pattern' && !p.childForFieldName('pattern')) return undefined; // shorthand `{ name }` would need `ref name`
  if (ident.previousSibling?.type === 'mutable_specifier') return undefined;
  // The body where the binding is in scope.
  let x: Parser.SyntaxNode | null = p;
  while (x && x.type !== 'let_condition' && x.type !== 'match_arm') x = x.parent;
  if (!x) return undefined;
  const body = x.type === 'match_arm' ? x.childForFieldName('value') : x.parent?.childForFieldName('consequence');
  if (
    !body ||
    (x.type === 'match_arm' &&
      x
        .childForFieldName('pattern')
        ?.descendantsOfType('identifier')
        .filter((i) => i.text === ident.text).length !== 1)
  )
    return undefined;
  if (x.type === 'let_condition' && x.parent?.type !== 'if_expression') return undefined;
  for (const u of body.descendantsOfType('identifier').filter((i) => i.text === ident.text)) {
    const formatted = formatArgument(u);
    const method = u.parent?.type === 'field_expression' && u.parent.childForFieldName('value')?.id === u.id ? u.parent : undefined;
    const receiver = method?.parent?.type === 'call_expression' && BY_REF_METHODS.has(method.childForFieldName('field')?.text ?? '');
    if (!formatted && !receiver) return undefined;
  }
  return {
    title: `Borrow \`${ident.text}\` in the pattern (\`ref ${ident.text}\`) instead of moving it`,
    edits: [insert(spanOf(ident).start, 'ref ')],
  };
}

/**
 * `keep(&list)` where `list` was moved into a generic parameter `value: T` of a fn of the file
 * (rustc's "consider borrowing `list`"), when `T` appears nowhere else in the signature and its
 * bounds are formatting traits (`&T` implements `Debug` / `Display` as `T` does and prints the
 * same), and `list`'s drop, now at the end of its scope, does nothing visible.
 */
function borrowGenericArgumentFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const moved = label(d, /^value moved here$/);
  if (!moved) return undefined;
  const arg = nodeAt(a, moved);
  if (arg?.type !== 'identifier' || arg.parent?.type !== 'arguments') return undefined;
  const call = arg.parent.parent;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
  if (callee?.type !== 'identifier') return undefined;
  const fn = a.file.fns.find((f) => f.qualName === callee.text && !f.selfKind);
  const index = arg.parent.namedChildren
    .filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment')
    .findIndex((c) => c.id === arg.id);
  const param = fn?.params[index];
  if (!fn || !param || param.ty.kind !== 'param') return undefined;
  const t = param.ty.name;
  const bounds = fn.bounds?.[t] ?? [];
  if (!bounds.every((b) => b === 'Debug' || b === 'Display')) return undefined;
  const mentions = (x: Ty): boolean => JSON.stringify(x).includes(`"name":"${t}"`);
  if (mentions(fn.ret) || fn.params.some((p, i) => i !== index && mentions(p.ty))) return undefined;
  const local = localNamed(a, arg);
  if (!local || !quietDrop(a, local.ty)) return undefined;
  return { title: `Borrow \`${arg.text}\` instead of moving it (\`&${arg.text}\`)`, edits: [insert(spanOf(arg).start, '&')] };
}

// --- E0499: two mutable borrows

/** The `let` whose initialiser contains the node spanning `s`, when it is a statement of a block. */
function letOf(a: Analysis, s: Span): Parser.SyntaxNode | undefined {
  let x: Parser.SyntaxNode | null | undefined = nodeAt(a, s);
  while (x && x.type !== 'let_declaration') {
    if (x.type === 'block' || CONDITIONAL.has(x.type)) return undefined;
    x = x.parent;
  }
  return x?.parent?.type === 'block' ? x : undefined;
}

const statements = (block: Parser.SyntaxNode): Parser.SyntaxNode[] =>
  block.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment');

/**
 * `let a = v.get_mut(0).unwrap(); let b = v.get_mut(2).unwrap();` (or `&mut v[0]`, `&mut v[2]`)
 * on two consecutive lines → `let [a, b] = v.get_disjoint_mut([0, 2]).unwrap();` (rustc: "use
 * `.split_at_mut(position)` to obtain two mutable non-overlapping sub-slices"; the slice method
 * `get_disjoint_mut` is stable since Rust 1.86). Distinct integer literals only; the one
 * `unwrap` panics exactly when one of the two did.
 */
function disjointElementsFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const firstAt = label(d, /^first mutable borrow occurs here$/);
  if (!firstAt) return undefined;
  const first = letOf(a, firstAt);
  const second = letOf(a, d.range);
  if (!first || !second || first.parent?.id !== second.parent?.id) return undefined;
  const list = statements(first.parent!);
  if (list.findIndex((c) => c.id === second.id) !== list.findIndex((c) => c.id === first.id) + 1) return undefined;
  const element = (l: Parser.SyntaxNode): { base: string; index: string } | undefined => {
    if (l.childForFieldName('type')) return undefined;
    const v = l.childForFieldName('value');
    let m = v && /^([A-Za-z_][A-Za-z0-9_]*)\.get_mut\((\d+)\)\.unwrap\(\)$/.exec(v.text.replace(/\s+/g, ''));
    m ??= v && /^&mut([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]$/.exec(v.text.replace(/\s+/g, ''));
    return m ? { base: m[1], index: m[2] } : undefined;
  };
  const x = element(first);
  const y = element(second);
  if (!x || !y || x.base !== y.base || Number(x.index) === Number(y.index)) return undefined;
  const receiver = first
    .childForFieldName('value')!
    .descendantsOfType('identifier')
    .find((i) => i.text === x.base);
  const local = receiver && localNamed(a, receiver);
  const ty = local?.ty.kind === 'ref' ? local.ty.inner : local?.ty;
  if (!ty || !((ty.kind === 'adt' && ty.std && ty.name === 'Vec') || ty.kind === 'array' || ty.kind === 'slice')) return undefined;
  const p1 = first.childForFieldName('pattern')?.text;
  const p2 = second.childForFieldName('pattern')?.text;
  if (!p1 || !p2) return undefined;
  return {
    title: `Borrow both elements at once: \`${x.base}.get_disjoint_mut([${x.index}, ${y.index}])\``,
    edits: [
      { range: spanOf(first), newText: `let [${p1}, ${p2}] = ${x.base}.get_disjoint_mut([${x.index}, ${y.index}]).unwrap();` },
      removeStatement(a, second),
    ],
  };
}

/**
 * `let second = &mut x;` moved after the last statement using the first borrow's binding
 * (`first.push('b');`): creating a reference does nothing else, so taking it later is the same,
 * and the first borrow then ends before it. Offered when the first borrow is held by a `let`
 * binding of the same block used only through (method calls, fields, `*`, format arguments),
 * `x` is a local or a field path, and the statements passed over never name `second` or any
 * name of `x` (another borrow of `x` there could outlive the new position: a chain of borrows).
 */
function delaySecondBorrowFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  const firstAt = label(d, /^first mutable borrow occurs here$/);
  const second = nodeAt(a, d.range);
  if (!firstAt || second?.type !== 'reference_expression' || !second.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  const s2 = second.parent;
  if (s2?.type !== 'let_declaration' || s2.childForFieldName('value')?.id !== second.id || s2.parent?.type !== 'block') return undefined;
  const place = second.childForFieldName('value');
  if (!place || !(place.type === 'identifier' || (place.type === 'field_expression' && /^[A-Za-z_][\w.]*$/.test(place.text))))
    return undefined;
  const name = s2.childForFieldName('pattern');
  if (name?.type !== 'identifier') return undefined;
  const s1 = letOf(a, firstAt);
  const holder = s1?.childForFieldName('pattern');
  if (!s1 || holder?.type !== 'identifier' || s1.parent?.id !== s2.parent.id) return undefined;
  // A binding whose drop uses the borrow (a `RefMut` guard) holds it to the end of its scope anyway.
  const decl = localAt(a, spanOf(holder));
  if (!decl || !quietDrop(a, decl.local.ty)) return undefined;
  const list = statements(s2.parent);
  const i1 = list.findIndex((c) => c.id === s1.id);
  const i2 = list.findIndex((c) => c.id === s2.id);
  const uses = (c: Parser.SyntaxNode, n: string): boolean => hasIdent(c, n) || inlineFormatUse(c, n);
  let last = -1;
  list.forEach((c, i) => {
    if (i > i2 && uses(c, holder.text)) last = i;
  });
  if (i1 < 0 || i1 >= i2 || last < 0) return undefined;
  const passed = list.slice(i2 + 1, last + 1);
  const placeNames = new Set(
    place
      .descendantsOfType('identifier')
      .map((i) => i.text)
      .concat(place.type === 'identifier' ? [place.text] : []),
  );
  for (const c of passed) {
    if (uses(c, name.text)) return undefined;
    if (c.type !== 'expression_statement' && c.type !== 'let_declaration') return undefined;
    // Nor name `x` at all: a borrow of it there (`let r2 = &mut x;` in a chain of borrows) may
    // still be live where the moved borrow would now start.
    // (This also rules out rebinding or assigning `x`, which would make the later `&mut x` another place's borrow.)
    if (c.descendantsOfType('identifier').some((i) => placeNames.has(i.text))) return undefined;
    for (const u of c.descendantsOfType('identifier').filter((i) => i.text === holder.text)) if (!throughUse(u)) return undefined;
  }
  // Also after: the first borrow's binding is not used past `last` (by construction) and `last` is a statement.
  const end = spanOf(list[last]).end;
  const line = a.text.split('\n')[end.line] ?? '';
  const rest = line.slice(end.character);
  if (!/^\s*(\/\/.*)?$/.test(rest)) return undefined;
  const indent = ' '.repeat(spanOf(s2).start.character);
  const moved = takeStatement(a, s2);
  return {
    title: `Borrow \`${place.text}\` mutably for \`${name.text}\` after the last use of \`${holder.text}\``,
    edits: [moved.remove, insert({ line: end.line, character: line.length }, `\n${indent}${moved.text}`)],
  };
}

/** Whether a use of a reference only goes through it: a method receiver, a field's base, `*r`, a format argument. */
function throughUse(u: Parser.SyntaxNode): boolean {
  const p = u.parent;
  if (!p) return false;
  if (p.type === 'field_expression' && p.childForFieldName('value')?.id === u.id) return true;
  if (p.type === 'unary_expression' && p.text.startsWith('*')) return true;
  return formatArgument(u);
}

/**
 * Whether an identifier is a whole argument of a format macro (`println!("{}", r)`), or the
 * receiver of a std `&self` method there (`r.len()`): either prints the same for `T` and `&T`.
 */
function formatArgument(u: Parser.SyntaxNode): boolean {
  const mac = u.parent?.type === 'token_tree' ? u.parent.parent : undefined;
  if (mac?.type !== 'macro_invocation' || !FORMAT_MACROS.has(mac.childForFieldName('macro')?.text ?? '')) return false;
  if (u.previousSibling && u.previousSibling.type !== ',') return false;
  let next = u.nextSibling;
  if (
    next?.type === '.' &&
    next.nextSibling &&
    BY_REF_METHODS.has(next.nextSibling.text) &&
    next.nextSibling.nextSibling?.type === 'token_tree'
  )
    next = next.nextSibling.nextSibling.nextSibling;
  return !next || next.type === ',' || next.type === ')';
}

// --- E0373: a `move` closure

/**
 * `move |..|` (rustc's machine-applicable "to force the closure to take ownership of `x` (and any
 * other referenced variables), use the `move` keyword"), when every local the closure names from
 * outside is `Copy` (a copy moves in) or is not named again after the closure (moving it in
 * takes nothing a later use needs).
 */
function moveClosureFix(a: Analysis, d: EngineDiagnostic): LabelFix | undefined {
  let closure: Parser.SyntaxNode | null | undefined = nodeAt(a, d.range);
  while (closure && closure.type !== 'closure_expression') closure = closure.parent;
  if (!closure || closure.children.some((c) => c.type === 'move')) return undefined;
  const params = closure.childForFieldName('parameters');
  if (!params || comparePos(spanOf(params).start, d.range.start) !== 0) return undefined;
  const fnNode = fnNodeOf(closure);
  if (!fnNode) return undefined;
  const inside = spanOf(closure);
  const after = fnNode.descendantsOfType('identifier').filter((i) => comparePos(spanOf(i).start, inside.end) >= 0);
  const within = (s: Span): boolean => comparePos(inside.start, s.start) <= 0 && comparePos(s.end, inside.end) <= 0;
  for (const i of closure.descendantsOfType('identifier')) {
    const local = localNamed(a, i);
    if (!local || within(local.span)) continue;
    const t = local.ty;
    if (ownedClone(t) === 'copy' || (t.kind === 'ref' && !t.mutable)) continue;
    if (after.some((x) => x.text === i.text) || inlineFormatUse(fnNode, i.text)) return undefined;
  }
  return { title: 'Make it a `move` closure, taking ownership of what it uses', edits: [insert(inside.start, 'move ')] };
}
