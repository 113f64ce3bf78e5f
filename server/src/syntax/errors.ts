/**
 * Syntax errors: tree-sitter's ERROR and MISSING nodes (and unbalanced delimiters) as
 * diagnostics in rustc's words, so a file that does not parse is never silently unchecked.
 * A pure function of the tree; no lowering, no types.
 *
 * rustc's order is followed: its lexer checks delimiters first and, when they do not balance,
 * reports only that ("this file contains an unclosed delimiter", "unexpected closing delimiter:
 * `}`", "mismatched closing delimiter: `)`"; rustc_parse/src/lexer/tokentrees.rs). Otherwise
 * each ERROR or MISSING node becomes one error, worded as rustc's parser words the same
 * situation (rustc_parse/src/parser/diagnostics.rs):
 *
 *   - a missing `;` ................ "expected `;`, found `println`"
 *   - `let x = ;`, `a + ;` .......... "expected expression, found `;`"
 *   - `s.;`, `let z = w.` + `}` ...... "unexpected token: `;`"
 *   - anything else in a function body "unexpected token: `!`" (rustc often lists what it
 *     expected instead: "expected one of `(`, `.`, ..., found `!`"; the line and the token agree)
 *
 * tree-sitter-rust does not parse all of Rust: where its grammar has gaps (macro token trees,
 * empty bounds, items it does not know), an ERROR is not a syntax error, so those are skipped
 * (`grammarGap`), and errors outside function bodies are reported only in the forms above.
 * Checked: no syntax error on the Rust by Example and rustc UI corpora, nor on the crates of
 * `npm run crates`.
 *
 * Positions are LSP's (0-based lines, UTF-16 columns, as tree-sitter gives them for JS
 * strings). Bounded: at most `MAX_SYNTAX_ERRORS` errors; the walk only enters subtrees that
 * contain an error.
 */
import type Parser from 'tree-sitter';
import { SYNTAX_CODE, type EngineDiagnostic } from '../base/diagnostic';
import type { Span } from '../base/span';
import { lineOffsets } from '../base/text';
import type { CstNode } from './cst';

type SyntaxNode = Parser.SyntaxNode;

/** Most syntax errors reported for one file (rustc also stops early on a badly broken file). */
export const MAX_SYNTAX_ERRORS = 20;

/** Leaves visited by the delimiter scan before it gives up (a file of 8 MiB has fewer). */
const MAX_LEAVES = 5_000_000;

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** An unclosed `{` (or `(`, `[`): where it is and, when it opens an item, what item. */
export interface UnclosedDelimiter {
  delimiter: '(' | '[' | '{';
  range: Span;
  /** `fn main`, `impl Stack`, `struct Point`, ...: the item or expression the delimiter opens. */
  opens?: string;
}

/** The result of `syntaxErrors`: the diagnostics, and the unclosed delimiters found. */
export interface SyntaxErrors {
  diagnostics: EngineDiagnostic[];
  /** Delimiters still open at the end of the file, outermost first. */
  unclosed: UnclosedDelimiter[];
}

// --- helpers

function span(n: SyntaxNode): Span {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

function at(p: { row: number; column: number }): Span {
  const q = { line: p.row, character: p.column };
  return { start: q, end: q };
}

function diag(range: Span, message: string, related: { range: Span; message: string }[] = []): EngineDiagnostic {
  return { range, severity: 'error', code: SYNTAX_CODE, message, related };
}

/** The token as rustc quotes it: its text's first line, shortened. */
function tokenText(n: SyntaxNode): string {
  const t = n.text.split('\n')[0];
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}

/**
 * Calls `f` with the cursor on every leaf (token) in source order, with the types of its
 * ancestors (the parent last), kept by the cursor: tree-sitter's `parent` walks down from the
 * root, so asking it for every leaf costs the depth each time. Stops when `f` returns false or
 * past `MAX_LEAVES` leaves. True when every leaf was visited.
 */
function walkLeaves(root: SyntaxNode, f: (c: Parser.TreeCursor, ancestors: readonly string[]) => boolean): boolean {
  const c = root.walk();
  const ancestors: string[] = [];
  let n = 0;
  for (;;) {
    const type = c.nodeType;
    if (c.gotoFirstChild()) {
      ancestors.push(type);
      continue;
    }
    if (++n > MAX_LEAVES || !f(c, ancestors)) return false;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return true;
      ancestors.pop();
    }
  }
}

/** `walkLeaves` with the leaf's node (one node object per leaf: for walks that need its API). */
function forEachLeaf(root: SyntaxNode, f: (leaf: SyntaxNode, ancestors: readonly string[]) => boolean): void {
  walkLeaves(root, (c, ancestors) => f(c.currentNode, ancestors));
}

/**
 * Whether a leaf is a token of the program: not inserted (MISSING), not empty, not in a comment.
 * `ancestors`: the types of its ancestors, the parent last.
 */
function isToken(l: SyntaxNode, ancestors: readonly (string | undefined)[]): boolean {
  if (l.isMissing || l.startIndex === l.endIndex) return false;
  if (/comment/.test(l.type)) return false;
  const up = [ancestors[ancestors.length - 1], ancestors[ancestors.length - 2]];
  return !up.some((t) => t !== undefined && /comment/.test(t));
}

/**
 * The token (see `isToken`) right after (`dir` 1) or before (`dir` -1) node `n` in source order.
 * `up`: `n`'s ancestors, the parent last (the walk climbs them instead of asking tree-sitter for
 * `parent`, which walks down from the root: a cost of the depth at every move).
 */
function tokenBeside(n: SyntaxNode, dir: 1 | -1, up: readonly SyntaxNode[]): SyntaxNode | undefined {
  const sibling = (x: SyntaxNode): SyntaxNode | null => (dir === 1 ? x.nextSibling : x.previousSibling);
  const path = up.slice();
  let cur: SyntaxNode | null = n;
  // Each move costs a native call: at most `budget` moves (a token thousands of levels away is
  // not "beside" for a message).
  let budget = 2_000;
  while (cur && budget > 0) {
    while (cur && !sibling(cur) && budget-- > 0) cur = path.pop() ?? null;
    if (!cur || budget <= 0) return undefined;
    cur = sibling(cur);
    while (cur && cur.childCount > 0 && budget-- > 0) {
      path.push(cur);
      cur = cur.child(dir === 1 ? 0 : cur.childCount - 1);
    }
    if (cur && budget > 0 && isToken(cur, [path[path.length - 2]?.type, path[path.length - 1]?.type])) return cur;
    budget--;
  }
  return undefined;
}

/** Whether a leaf can end an expression (so a line break after it may be a missing `;`). */
function endsExpression(leaf: SyntaxNode): boolean {
  return /^[)\]?]$/.test(leaf.type) || /identifier|literal|^self$|^true$|^false$/.test(leaf.type) || leaf.type === '"';
}

/** Whether a leaf whose ancestors have the types `ancestors` (the parent last) is part of a comment or literal (its brackets are text, not delimiters). */
function inTrivia(ancestors: readonly string[]): boolean {
  for (let i = 1; i <= 3 && i <= ancestors.length; i++) if (isTriviaType(ancestors[ancestors.length - i])) return true;
  return false;
}

const triviaTypes = new Map<string, boolean>();

/** Whether nodes of this type hold no tokens of the program (comments, string and char literals). */
function isTriviaType(type: string): boolean {
  let t = triviaTypes.get(type);
  if (t === undefined) triviaTypes.set(type, (t = /comment|string_literal|char_literal/.test(type)));
  return t;
}

// --- delimiters (rustc's lexer)

/** What a `{` opens, from the tokens before it: `fn main`, `impl Stack`, `struct Point`, `match`. */
function opensWhat(before: SyntaxNode[]): string | undefined {
  // Walk back over the signature (balanced parentheses, generics, return type) to a keyword.
  let depth = 0;
  for (let i = before.length - 1, seen = 0; i >= 0 && seen < 64; i--, seen++) {
    const t = before[i].type;
    if (t === ')' || t === ']') depth++;
    else if (t === '(' || t === '[') depth--;
    if (depth > 0) continue;
    if (depth < 0 || t === ';' || t === '{' || t === '}') return undefined;
    if (t === 'fn' || t === 'struct' || t === 'enum' || t === 'trait' || t === 'mod' || t === 'union') {
      const name = before[i + 1];
      return name && /identifier/.test(name.type) ? `${t} ${name.text}` : t;
    }
    if (t === 'impl') {
      // As written, spaces collapsed: `impl<T: Clone> Stack<T>`.
      let text = '';
      for (let j = i; j < before.length; j++) text += (j > i && before[j].startIndex > before[j - 1].endIndex ? ' ' : '') + before[j].text;
      return text;
    }
    if (t === 'match' || t === 'loop' || t === 'while' || t === 'for' || t === 'if' || t === 'else' || t === 'unsafe') return t;
  }
  return undefined;
}

/**
 * Whether every `(`, `[`, `{` token is closed in order: the walk of `delimiterErrors` reading only
 * the cursor's type, missing flag and indices (no node object per leaf, which cost ~100 ms per
 * keystroke on a 6,000-line file with a typo in it). The same tokens count as there: not
 * MISSING, not empty, not within three levels of a comment or a string or char literal.
 */
function delimitersBalanced(root: SyntaxNode): boolean {
  const stack: string[] = [];
  const walked = walkLeaves(root, (c, ancestors) => {
    const type = c.nodeType;
    if ((type in OPEN || type in CLOSE) && !c.nodeIsMissing && c.startIndex !== c.endIndex && !inTrivia(ancestors)) {
      if (type in OPEN) stack.push(type);
      else if (stack.pop() !== CLOSE[type]) return false;
    }
    return true;
  });
  return walked && stack.length === 0;
}

/**
 * `delimitersBalanced` on the tree's mirror (`cst.ts`, the same nodes in plain JS): no native
 * call per leaf, which is what the walk of a large file costs (a keystroke that leaves a
 * syntax error in a 6,000-line file checks its delimiters again). An item's delimiters are
 * summed up once per mirror node (`itemDelimiters`): the mirror of the next version reuses the
 * nodes of unchanged items, so a keystroke walks only the items it changed.
 */
function mirrorDelimitersBalanced(root: CstNode): boolean {
  const s = delimitersOf(root, []);
  return s !== undefined && s.closers === '' && s.openers === '';
}

/**
 * The delimiters of a subtree that do not pair inside it: closers first (they close delimiters
 * opened before it), then openers (closed after it), as strings of `(`, `[`, `{` / `)`, `]`, `}`.
 * Undefined: a mismatch inside (`(]`), so the file does not balance.
 */
interface DelimiterSummary {
  closers: string;
  openers: string;
}

/** Item nodes (the mirror reuses them between versions): their summaries are kept (see `mirrorDelimitersBalanced`). */
const SUMMARISED: ReadonlySet<string> = new Set(['function_item', 'impl_item', 'trait_item', 'mod_item', 'struct_item', 'enum_item']);
const itemDelimiters = new WeakMap<CstNode, DelimiterSummary | null>();

/** The summary of `root`'s subtree; `ancestors`: the types above it, the parent last. Bounded by `MAX_LEAVES` per call. */
function delimitersOf(root: CstNode, ancestors: string[]): DelimiterSummary | undefined {
  let closers = '';
  const stack: string[] = [];
  /** Adds one delimiter; false on a mismatch. */
  const add = (type: string): boolean => {
    if (type in OPEN) {
      stack.push(type);
      return true;
    }
    if (!stack.length) {
      closers += type;
      return true;
    }
    return stack.pop() === CLOSE[type];
  };
  // The path from the root: each node, and the index of its next child to visit.
  const path: CstNode[] = [root];
  const next: number[] = [0];
  const base = ancestors.length;
  let n = 0;
  while (path.length) {
    const d = path.length - 1;
    const node = path[d];
    const kids = node.children;
    if (d > 0 && next[d] === 0 && SUMMARISED.has(node.type)) {
      // An item inside: its own summary (kept with its node), applied here.
      let sub = itemDelimiters.get(node);
      if (sub === undefined) {
        sub = delimitersOf(node, ancestors) ?? null;
        itemDelimiters.set(node, sub);
      }
      path.pop();
      next.pop();
      if (!sub) return undefined;
      for (const c of sub.closers) if (!add(c)) return undefined;
      for (const o of sub.openers) stack.push(o);
      continue;
    }
    if (kids.length === 0) {
      path.pop();
      next.pop();
      if (++n > MAX_LEAVES) return undefined;
      const type = node.type;
      if ((type in OPEN || type in CLOSE) && node.startIndex !== node.endIndex && !inTrivia(ancestors) && !add(type)) return undefined;
      continue;
    }
    const i = next[d];
    if (i < kids.length) {
      if (i === 0) ancestors.push(node.type);
      next[d] = i + 1;
      path.push(kids[i]);
      next.push(0);
      continue;
    }
    path.pop();
    next.pop();
    ancestors.pop();
  }
  ancestors.length = base;
  return { closers, openers: stack.join('') };
}

/**
 * rustc's token-tree pass: unbalanced `(`, `[`, `{` (nothing else is checked when it fails).
 * `mirror`: the tree's mirror, when the caller has one (a faster scan; same answer).
 */
function delimiterErrors(tree: Parser.Tree, mirror?: CstNode): SyntaxErrors | undefined {
  const root = tree.rootNode;
  if (mirror ? mirrorDelimitersBalanced(mirror) : delimitersBalanced(root)) return undefined;
  const stack: { leaf: SyntaxNode; opens?: string }[] = [];
  const previous: SyntaxNode[] = [];
  let error: EngineDiagnostic | undefined;
  let last: SyntaxNode | undefined;
  forEachLeaf(root, (leaf, ancestors) => {
    if (leaf.startIndex !== leaf.endIndex) last = leaf;
    if (!isToken(leaf, ancestors)) return true;
    const t = leaf.type;
    if (!(t in OPEN) && !(t in CLOSE)) {
      previous.push(leaf);
      if (previous.length > 80) previous.splice(0, 40);
      return true;
    }
    if (inTrivia(ancestors)) return true;
    if (t in OPEN) {
      stack.push({ leaf, opens: t === '{' ? opensWhat(previous) : undefined });
      previous.push(leaf);
      return true;
    }
    previous.push(leaf);
    const top = stack[stack.length - 1];
    if (!top) {
      error = diag(span(leaf), `unexpected closing delimiter: \`${t}\``, [{ range: span(leaf), message: 'unexpected closing delimiter' }]);
      return false;
    }
    if (top.leaf.type !== CLOSE[t]) {
      const related = [{ range: span(top.leaf), message: 'unclosed delimiter' }];
      const meant = [...stack].reverse().find((s) => s.leaf.type === CLOSE[t]);
      if (meant) related.unshift({ range: span(meant.leaf), message: 'closing delimiter possibly meant for this' });
      related.push({ range: span(leaf), message: 'mismatched closing delimiter' });
      error = diag(span(leaf), `mismatched closing delimiter: \`${t}\``, related);
      return false;
    }
    stack.pop();
    return true;
  });
  if (error) return { diagnostics: [error], unclosed: [] };
  if (!stack.length) return undefined;
  // rustc points at the end of the file.
  const lastNode = last && last.parent && /comment/.test(last.parent.type) ? last.parent : last;
  let end = lastNode ? lastNode.endPosition : root.endPosition;
  // A line comment ends before its line's `\r\n`, but tree-sitter counts the `\r` in it: LSP's line ends before it.
  if (lastNode && end.column > 0 && lastNode.text.endsWith('\r')) end = { row: end.row, column: end.column - 1 };
  const unclosed: UnclosedDelimiter[] = stack.map((s) => ({
    delimiter: s.leaf.type as UnclosedDelimiter['delimiter'],
    range: span(s.leaf),
    ...(s.opens ? { opens: s.opens } : {}),
  }));
  const d = diag(
    at(end),
    'this file contains an unclosed delimiter',
    unclosed.map((u) => ({ range: u.range, message: 'unclosed delimiter' })),
  );
  return { diagnostics: [d], unclosed };
}

// --- ERROR and MISSING nodes (rustc's parser)

/** Tokens after which an expression must follow (`a + ;` and `let x = ;` are errors; `f(a,)` is not). */
const EXPRESSION_AFTER = /^(=|\+|-|\*|\/|%|&&|\|\||==|!=|<=|>=|<|>|\+=|-=|\*=|\/=|%=|\^|\||&|<<|>>)$/;

/** rustc's error for token `b` right after token `a`, when that pair is never valid Rust. */
function badPair(a: SyntaxNode, b: SyntaxNode): EngineDiagnostic | undefined {
  const found = `\`${tokenText(b)}\``;
  if (a.type === 'let' && b.type === '=')
    return diag(span(b), `expected pattern, found ${found}`, [{ range: span(b), message: 'expected pattern' }]);
  if (EXPRESSION_AFTER.test(a.type) && /^[;,)\]}]$/.test(b.type))
    return diag(span(b), `expected expression, found ${found}`, [{ range: span(b), message: 'expected expression' }]);
  if (a.type === '.' && !/identifier|integer_literal|^await$/.test(b.type)) return diag(span(b), `unexpected token: ${found}`);
  return undefined;
}

/**
 * One diagnostic for an ERROR or MISSING node; undefined when rustc's error cannot be told (see
 * `syntaxErrors`). `up`: the node's ancestors, the parent last.
 */
function nodeError(n: SyntaxNode, up: readonly SyntaxNode[]): EngineDiagnostic | undefined {
  const next = tokenBeside(n, 1, up);
  const prev = tokenBeside(n, -1, up);
  const parent = up.length ? up[up.length - 1] : null;
  const found = next ? `\`${tokenText(next)}\`` : 'end of file';
  if (n.isMissing) {
    if (n.type === ';') {
      const related = next ? [{ range: span(next), message: 'unexpected token' }] : [];
      return diag(at(n.startPosition), `expected \`;\`, found ${found}`, related);
    }
    // `a + ;`: an operand is missing after an operator.
    if (prev && EXPRESSION_AFTER.test(prev.type) && next)
      return diag(span(next), `expected expression, found ${found}`, [{ range: span(next), message: 'expected expression' }]);
    // `s.;`: a member is missing after the dot.
    if (/identifier/.test(n.type) && next) return diag(span(next), `unexpected token: ${found}`);
    const what = /^[a-z_]+$/.test(n.type) ? n.type.replace(/_/g, ' ') : `\`${n.type}\``;
    return diag(next ? span(next) : at(n.startPosition), `expected ${what}, found ${found}`);
  }
  // ERROR: what is inside, what comes before and what follows.
  const leaves: SyntaxNode[] = [];
  forEachLeaf(n, (l, ancestors) => {
    if (isToken(l, ancestors)) leaves.push(l);
    return leaves.length < 2000;
  });
  const first = leaves[0];
  const firstText = `\`${first ? tokenText(first) : tokenText(n)}\``;
  // Two tokens that cannot follow each other, anywhere from the token before the ERROR to the
  // one after it (tree-sitter sometimes wraps a whole function in one ERROR).
  const toks = [...(prev ? [prev] : []), ...leaves, ...(next ? [next] : [])];
  for (let i = 0; i + 1 < toks.length; i++) {
    const d = badPair(toks[i], toks[i + 1]);
    if (d) return d;
  }
  // `struct S { a: i32 b: i32 }`: a field list without its comma.
  if (parent && /field_declaration_list|field_initializer_list/.test(parent.type) && prev && prev.type !== ',' && prev.type !== '{')
    return diag(at(prev.endPosition), `expected \`,\`, or \`}\`, found ${firstText}`);
  // A statement that ends at a line break and the next one starts: a missing `;`.
  if (first && prev && first.startPosition.row > prev.endPosition.row && endsExpression(prev) && inBlock(up))
    return diag(at(prev.endPosition), `expected \`;\`, found ${firstText}`, [{ range: span(first), message: 'unexpected token' }]);
  if (next && next.startPosition.row > n.endPosition.row && parent && /let_declaration|expression_statement/.test(parent.type) && first)
    return diag(at(n.endPosition), `expected \`;\`, found ${found}`, [{ range: span(next), message: 'unexpected token' }]);
  // Anything else: only inside a function body, where tree-sitter's grammar and rustc's agree
  // (outside, in items and attributes, its gaps would be wrong squiggles on valid code).
  if (!inBlock(up)) return undefined;
  return diag(first ? span(first) : span(n), `unexpected token: ${firstText}`);
}

/** Whether a node whose ancestors are `up` (the parent last) sits inside a block's statements (not in an item's signature or a type). */
function inBlock(up: readonly SyntaxNode[]): boolean {
  for (let i = up.length - 1; i >= 0 && i >= up.length - 8; i--) {
    const t = up[i].type;
    if (t === 'block') return true;
    if (/item$|declaration_list|parameters|type/.test(t)) return false;
  }
  return false;
}

/**
 * Valid Rust that tree-sitter-rust cannot parse: reported as nothing (a missing squiggle is a
 * gap, a wrong one is a bug). Macro token trees (any token goes: `~`, `$`, `#`), empty bounds
 * (`fn f<T:>()`, `where T:,`), `&raw` borrowing a variable named `raw`, and the edition-2015
 * `try!(..)` macro (a keyword since 2018;
 * rustc 2021 rejects it, but not as a syntax error of ours to word).
 */
function grammarGap(n: SyntaxNode, up: readonly SyntaxNode[]): boolean {
  // A macro's tokens are any tokens (`~`, `$`, `#`): rustc parses them only once expanded.
  for (let i = up.length - 1; i >= 0 && i >= up.length - 64; i--)
    if (/^(token_tree|macro_rule|macro_definition)$/.test(up[i].type)) return true;
  const parent = up.length ? up[up.length - 1] : undefined;
  if (n.isMissing) return parent?.type === 'trait_bounds';
  if (parent?.type === 'type_parameters' && n.endIndex - n.startIndex < 64 && n.text.trim() === ':') return true;
  // `&raw` where `raw` is a variable (tree-sitter reads `&raw const x` / `&raw mut x` only).
  if (n.endIndex - n.startIndex < 40 && /^&\s*raw$/.test(n.text)) return true;
  const t0 = n.child(0);
  const t1 = n.child(1);
  return !!t0 && t0.type === 'try' && !!t1 && t1.type === '!';
}

/**
 * The syntax errors of a parsed file, in rustc's words (see the module comment), sorted by
 * position, at most `MAX_SYNTAX_ERRORS`, and the delimiters left open. Never throws.
 * `mirror`: the tree's mirror (`cst.ts`) for exactly this tree, when the caller has one: the
 * delimiters are then checked on it, without a native call per leaf.
 */
export function syntaxErrors(tree: Parser.Tree, mirror?: CstNode): SyntaxErrors {
  const cached = syntaxErrorsOf.get(tree);
  if (cached) return cached;
  const r0 = syntaxErrorsIn(tree, mirror);
  const r = r0.diagnostics.length ? { ...r0, diagnostics: r0.diagnostics.map((d) => insideLines(d, tree)) } : r0;
  syntaxErrorsOf.set(tree, r);
  return r;
}

/** `syntaxErrors` of each tree, made once (the engine asks for the diagnostics, each snapshot for the unclosed delimiters). */
const syntaxErrorsOf = new WeakMap<Parser.Tree, SyntaxErrors>();

/**
 * `d` with its positions moved inside their lines: tree-sitter counts a line's `\r` (of `\r\n`)
 * in the nodes that end it (a line comment), LSP's line ends before it.
 */
function insideLines(d: EngineDiagnostic, tree: Parser.Tree): EngineDiagnostic {
  let offsets: number[] | undefined;
  let text = '';
  const clamp = (p: { line: number; character: number }): { line: number; character: number } => {
    if (!offsets) {
      // The text the tree was parsed from (node-tree-sitter keeps it as `input`; the root node may start after blank lines).
      const input = (tree as unknown as { input?: unknown }).input;
      text = typeof input === 'string' ? input : '';
      offsets = lineOffsets(text);
    }
    if (!text) return p;
    if (p.line >= offsets.length) return p;
    let end = p.line + 1 < offsets.length ? offsets[p.line + 1] : text.length;
    if (end > offsets[p.line] && text.charCodeAt(end - 1) === 10) end--;
    if (end > offsets[p.line] && text.charCodeAt(end - 1) === 13) end--;
    const len = end - offsets[p.line];
    return p.character > len ? { line: p.line, character: len } : p;
  };
  const range = (r: Span): Span => ({ start: clamp(r.start), end: clamp(r.end) });
  return { ...d, range: range(d.range), related: d.related.map((x) => ({ ...x, range: range(x.range) })) };
}

function syntaxErrorsIn(tree: Parser.Tree, mirror?: CstNode): SyntaxErrors {
  try {
    const root = tree.rootNode;
    if (!root.hasError) return { diagnostics: [], unclosed: [] };
    const delims = delimiterErrors(tree, mirror);
    if (delims) return delims;
    const out: EngineDiagnostic[] = [];
    // The ancestors of the node visited, the parent last (tree-sitter's `parent` costs the depth).
    const up: SyntaxNode[] = [];
    const visit = (n: SyntaxNode): void => {
      if (out.length >= MAX_SYNTAX_ERRORS) return;
      if ((n.type === 'ERROR' || n.isMissing) && grammarGap(n, up)) return;
      if (n.type === 'ERROR' || n.isMissing) {
        const d = nodeError(n, up);
        if (d) out.push(d);
        return;
      }
      if (!n.hasError) return;
      up.push(n);
      for (const c of n.children) visit(c);
      up.pop();
    };
    // Iterative over the top level, recursive below (tree depth is bounded by the parser).
    if (root.type === 'ERROR') visit(root);
    else {
      up.push(root);
      for (const c of root.children) visit(c);
    }
    out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return { diagnostics: out, unclosed: [] };
  } catch (e) {
    return {
      diagnostics: [diag(at({ row: 0, column: 0 }), `the syntax check failed: ${e instanceof Error ? e.message : String(e)}`)],
      unclosed: [],
    };
  }
}
