/**
 * `macro_rules!` by example (The Rust Reference, "Macros By Example"): the rules of a
 * definition (`parseMacroRules`), and one invocation expanded to Rust text (`expandMacro`), which
 * `lower.ts` parses and lowers in the invocation's place.
 *
 * - Tokens: identifiers, lifetimes, literals (strings, raw strings, chars, numbers with
 *   suffixes), punctuation (longest match), and delimited groups `()`, `[]`, `{}`; comments are
 *   skipped.
 * - Matching: rules are tried in order; the first whose matcher matches all the input wins.
 *   Fragments: `ident`, `lifetime`, `literal`, `tt`, `block` (one token or group); `expr`,
 *   `ty`, `pat`, `pat_param`, `path`, `stmt`, `item`, `meta`, `vis` (the tokens up to the next
 *   token of the fragment's follow set at the same depth: `,` `;` `=>`, and for types and patterns
 *   `=` `|` `{` too). Repetitions `$( … ) sep? *|+|?`, nested.
 * - Transcription: `$name` becomes the matched tokens (an `expr` of several tokens in parentheses,
 *   as rustc keeps it one expression), `$( … ) sep op` repeats for each match; `stringify!` of
 *   the result becomes a string literal of the tokens as rustc prints them (`1u32 + 1`,
 *   `{ let x = 1u32; x * x }`).
 * Not modelled: hygiene (a `let` in the expansion is visible where the same name is written in
 * the expansion; the expansion is lowered as a block, so it does not leak), `$crate`, macros in
 * item position. Bounded: input length, tokens, repetitions and transcription size.
 */

/** One token; groups hold their tokens; `frag` is a fragment substituted into a transcription. */
export type Token =
  | { kind: 'ident' | 'lifetime' | 'literal' | 'punct'; text: string }
  | { kind: 'group'; open: '(' | '[' | '{'; tokens: Token[] }
  | { kind: 'frag'; frag: string; tokens: Token[] };

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const PUNCT = [
  '...',
  '..=',
  '<<=',
  '>>=',
  '::',
  '->',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '^=',
  '&=',
  '|=',
  '<<',
  '>>',
  '..',
];
const MAX_TOKENS = 20_000;

/** Tokenizes `text` into token trees; undefined when delimiters do not balance or it is too long. */
export function tokenize(text: string): Token[] | undefined {
  if (text.length > 100_000) return undefined;
  const stack: Token[][] = [[]];
  const opens: ('(' | '[' | '{')[] = [];
  let count = 0;
  let i = 0;
  const push = (t: Token): void => {
    stack[stack.length - 1].push(t);
    count++;
  };
  while (i < text.length) {
    if (count > MAX_TOKENS) return undefined;
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length : e;
      continue;
    }
    if (text.startsWith('/*', i)) {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text.startsWith('/*', i)) {
          depth++;
          i++;
        } else if (text.startsWith('*/', i) && --depth === 0) {
          i += 2;
          break;
        } else if (text.startsWith('*/', i)) i++;
      }
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      opens.push(c);
      stack.push([]);
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      const open = opens.pop();
      if (!open || CLOSE[open] !== c) return undefined;
      const tokens = stack.pop()!;
      push({ kind: 'group', open, tokens });
      i++;
      continue;
    }
    const raw = /^(?:b|c)?r(#*)"/.exec(text.slice(i, i + 260));
    if (raw) {
      const end = text.indexOf('"' + raw[1], i + raw[0].length);
      if (end < 0) return undefined;
      const stop = end + 1 + raw[1].length;
      push({ kind: 'literal', text: text.slice(i, stop) });
      i = stop;
      continue;
    }
    if (c === '"' || ((c === 'b' || c === 'c') && text[i + 1] === '"')) {
      let j = c === '"' ? i + 1 : i + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      push({ kind: 'literal', text: text.slice(i, j + 1) + suffixAt(text, j + 1) });
      i = j + 1 + suffixAt(text, j + 1).length;
      continue;
    }
    if (c === "'" || (c === 'b' && text[i + 1] === "'")) {
      const start = c === 'b' ? i + 1 : i;
      const ch = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]+\}|.)|[^\\'])'/su.exec(text.slice(start, start + 16));
      if (ch) {
        push({ kind: 'literal', text: text.slice(i, start + ch[0].length) });
        i = start + ch[0].length;
        continue;
      }
      const lt = /^'[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
      if (lt) {
        push({ kind: 'lifetime', text: lt[0] });
        i += lt[0].length;
        continue;
      }
    }
    const num =
      /^(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.(?!\.|[A-Za-z_])[\d_]*)?(?:[eE][+-]?[\d_]+)?)(?:[iuf](?:8|16|32|64|128|size))?/.exec(
        text.slice(i, i + 200),
      );
    if (num && /\d/.test(c)) {
      push({ kind: 'literal', text: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^(?:r#)?[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i, i + 300));
    if (id) {
      push({ kind: 'ident', text: id[0] });
      i += id[0].length;
      continue;
    }
    const p = PUNCT.find((x) => text.startsWith(x, i)) ?? c;
    push({ kind: 'punct', text: p });
    i += p.length;
  }
  if (opens.length) return undefined;
  return stack[0];
}

function suffixAt(text: string, i: number): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 100))?.[0] ?? '';
}

// --- definitions

/** One rule: the matcher (inside its delimiters) and the transcriber (inside its delimiters). */
export interface MacroRule {
  matcher: Token[];
  transcriber: Token[];
}

/**
 * The rules of `macro_rules! NAME { (m) => { t }; ... }` from the definition's text; undefined
 * when it is not in that form.
 */
export function parseMacroRules(definitionText: string): { name: string; rules: MacroRule[] } | undefined {
  const toks = tokenize(definitionText);
  if (!toks || toks.length < 4) return undefined;
  const [kw, bang, name, body] = toks;
  if (kw.kind !== 'ident' || kw.text !== 'macro_rules' || bang.kind !== 'punct' || bang.text !== '!') return undefined;
  if (name.kind !== 'ident' || body.kind !== 'group') return undefined;
  const rules: MacroRule[] = [];
  const t = body.tokens;
  for (let i = 0; i < t.length;) {
    const m = t[i];
    const arrow = t[i + 1];
    const tr = t[i + 2];
    if (m?.kind !== 'group' || arrow?.kind !== 'punct' || arrow.text !== '=>' || tr?.kind !== 'group') return undefined;
    rules.push({ matcher: m.tokens, transcriber: tr.tokens });
    i += 3;
    const semi = t[i];
    if (semi && semi.kind === 'punct' && semi.text === ';') i++;
  }
  return { name: name.text, rules };
}

// --- matching

type Binding = { frag: string; tokens: Token[] } | Binding[];
type Bindings = Map<string, Binding>;

/** The follow-set stops of a fragment kind: where a greedy fragment ends. */
function stops(frag: string): Set<string> {
  if (frag === 'ty' || frag === 'path') return new Set([',', ';', '=>', '=', '|', '{', ':', '>', 'as', 'where']);
  if (frag === 'pat' || frag === 'pat_param') return new Set([',', ';', '=>', '=', '|', 'if', 'in']);
  return new Set([',', ';', '=>']);
}

const isText = (t: Token | undefined, text: string): boolean => !!t && (t.kind === 'punct' || t.kind === 'ident') && t.text === text;

/** Matches one fragment at `pos`; the end position, or -1. */
function matchFragment(frag: string, input: Token[], pos: number): number {
  const t = input[pos];
  switch (frag) {
    case 'ident':
      return t?.kind === 'ident' ? pos + 1 : -1;
    case 'lifetime':
      return t?.kind === 'lifetime' ? pos + 1 : -1;
    case 'literal':
      if (isText(t, '-') && input[pos + 1]?.kind === 'literal') return pos + 2;
      return t?.kind === 'literal' || isText(t, 'true') || isText(t, 'false') ? pos + 1 : -1;
    case 'tt':
      return t ? pos + 1 : -1;
    case 'block':
      return t?.kind === 'group' && t.open === '{' ? pos + 1 : -1;
    default: {
      const stop = stops(frag);
      let j = pos;
      let angle = 0;
      while (j < input.length) {
        const x = input[j];
        if ((x.kind === 'punct' || x.kind === 'ident') && stop.has(x.text) && angle === 0) break;
        if (frag === 'ty' || frag === 'path') {
          if (isText(x, '<')) angle++;
          else if (isText(x, '>') && angle > 0) angle--;
          else if (isText(x, '>>') && angle > 0) angle = Math.max(0, angle - 2);
        }
        j++;
      }
      return j > pos ? j : -1;
    }
  }
}

/** Parses `$name:frag` / `$( … ) sep op` at `i` of a matcher; undefined for a plain token. */
function metaAt(
  m: Token[],
  i: number,
):
  | { kind: 'var'; name: string; frag: string; next: number }
  | { kind: 'rep'; sub: Token[]; sep?: Token; op: string; next: number }
  | undefined {
  if (!isText(m[i], '$')) return undefined;
  const a = m[i + 1];
  if (a?.kind === 'ident' && isText(m[i + 2], ':') && m[i + 3]?.kind === 'ident')
    return { kind: 'var', name: a.text, frag: (m[i + 3] as { text: string }).text, next: i + 4 };
  if (a?.kind === 'group' && a.open === '(') {
    let j = i + 2;
    let sep: Token | undefined;
    const op = (t: Token | undefined): boolean => isText(t, '*') || isText(t, '+') || isText(t, '?');
    if (!op(m[j])) {
      sep = m[j];
      j++;
    }
    if (!op(m[j])) return undefined;
    return { kind: 'rep', sub: a.tokens, sep, op: (m[j] as { text: string }).text, next: j + 1 };
  }
  return undefined;
}

function sameToken(a: Token, b: Token): boolean {
  if (a.kind === 'group' || b.kind === 'group') return false;
  if (a.kind === 'frag' || b.kind === 'frag') return false;
  return a.text === b.text;
}

let budget = 0;

/** Matches matcher `m` against all of `input` from `pos`; the end position (must be input's end at top level), or -1. */
function matchSeq(m: Token[], input: Token[], pos: number, b: Bindings, whole: boolean): number {
  let p = pos;
  for (let i = 0; i < m.length;) {
    if (++budget > 200_000) return -1;
    const meta = metaAt(m, i);
    if (meta?.kind === 'var') {
      const end = matchFragment(meta.frag, input, p);
      if (end < 0) return -1;
      b.set(meta.name, { frag: meta.frag, tokens: input.slice(p, end) });
      p = end;
      i = meta.next;
      continue;
    }
    if (meta?.kind === 'rep') {
      const reps: Bindings[] = [];
      for (let n = 0; n < 10_000; n++) {
        let q = p;
        if (n > 0 && meta.sep) {
          if (!input[q] || !sameToken(meta.sep, input[q])) break;
          q++;
        }
        const sub: Bindings = new Map();
        const end = matchSeq(meta.sub, input, q, sub, false);
        if (end < 0 || (end === q && meta.sub.length > 0)) break;
        reps.push(sub);
        p = end;
        if (meta.op === '?') break;
      }
      if (meta.op === '+' && reps.length === 0) return -1;
      for (const name of varsOf(meta.sub))
        b.set(
          name,
          reps.map((r) => r.get(name) ?? []),
        );
      i = meta.next;
      continue;
    }
    const t = m[i];
    const x = input[p];
    if (!x) return -1;
    if (t.kind === 'group') {
      if (x.kind !== 'group' || x.open !== t.open) return -1;
      if (matchSeq(t.tokens, x.tokens, 0, b, true) < 0) return -1;
    } else if (!sameToken(t, x)) return -1;
    p++;
    i++;
  }
  if (whole && p !== input.length) return -1;
  return p;
}

/** The metavariable names a matcher binds (at any depth). */
function varsOf(m: Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.length; i++) {
    const meta = metaAt(m, i);
    if (meta?.kind === 'var') out.push(meta.name);
    else if (meta?.kind === 'rep') out.push(...varsOf(meta.sub));
    else if (m[i].kind === 'group') out.push(...varsOf((m[i] as { tokens: Token[] }).tokens));
  }
  return out;
}

// --- transcription

function transcribe(t: Token[], b: Bindings, out: Token[]): boolean {
  for (let i = 0; i < t.length; i++) {
    if (out.length > MAX_TOKENS) return false;
    const tok = t[i];
    if (isText(tok, '$')) {
      const a = t[i + 1];
      if (a?.kind === 'ident') {
        const v = b.get(a.text);
        if (v && !Array.isArray(v)) {
          out.push({ kind: 'frag', frag: v.frag, tokens: v.tokens });
          i++;
          continue;
        }
        if (v) return false; // a repeated variable outside its repetition
      }
      if (a?.kind === 'group' && a.open === '(') {
        let j = i + 2;
        let sep: Token | undefined;
        const op = (x: Token | undefined): boolean => isText(x, '*') || isText(x, '+') || isText(x, '?');
        if (!op(t[j])) {
          sep = t[j];
          j++;
        }
        if (!op(t[j])) return false;
        const names = varsUsed(a.tokens).filter((n) => Array.isArray(b.get(n)));
        const n = names.length ? Math.max(...names.map((x) => (b.get(x) as Binding[]).length)) : 0;
        for (let k = 0; k < n; k++) {
          if (k > 0 && sep) out.push(sep);
          const sub: Bindings = new Map(b);
          for (const name of names) {
            const reps = b.get(name) as Binding[];
            if (reps[k] === undefined) return false;
            sub.set(name, reps[k]);
          }
          if (!transcribe(a.tokens, sub, out)) return false;
        }
        i = j;
        continue;
      }
    }
    if (tok.kind === 'group') {
      const inner: Token[] = [];
      if (!transcribe(tok.tokens, b, inner)) return false;
      out.push({ kind: 'group', open: tok.open, tokens: inner });
    } else out.push(tok);
  }
  return true;
}

function varsUsed(t: Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    if (isText(x, '$') && t[i + 1]?.kind === 'ident') out.push((t[i + 1] as { text: string }).text);
    if (x.kind === 'group') out.push(...varsUsed(x.tokens));
  }
  return out;
}

/** `stringify!(…)` in the transcription becomes a string literal of its tokens. */
function stringifyAll(t: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    if (isText(x, 'stringify') && isText(t[i + 1], '!') && t[i + 2]?.kind === 'group') {
      const text = render((t[i + 2] as { tokens: Token[] }).tokens, false);
      out.push({ kind: 'literal', text: `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` });
      i += 2;
      continue;
    }
    if (x.kind === 'group') out.push({ kind: 'group', open: x.open, tokens: stringifyAll(x.tokens) });
    else if (x.kind === 'frag') out.push({ kind: 'frag', frag: x.frag, tokens: stringifyAll(x.tokens) });
    else out.push(x);
  }
  return out;
}

const NO_SPACE_BEFORE = new Set([',', ';', '.', '?', '::']);
const NO_SPACE_AFTER = new Set(['.', '::', '#', '$']);
const PREFIX = new Set(['-', '!', '&', '*']);

/**
 * Tokens as text, spaced as rustc's pretty printer spaces them (`1 + 2`, `f(x, y)`, `a.b`,
 * `{ let x = 1; x }`). `code`: an `expr` fragment of several tokens is parenthesised (it stays one
 * expression where it lands, as in rustc); otherwise (for `stringify!`) it is written as it is.
 */
export function render(tokens: Token[], code: boolean): string {
  let s = '';
  let prev: Token | undefined;
  let before: Token | undefined;
  let prevPrefix = false;
  for (const t of tokens) {
    let text: string;
    if (t.kind === 'group') {
      // The arguments of a macro invocation get the fragments as they are: the inner macro
      // matches them again (rustc passes them on as opaque fragments).
      const invocation = isText(prev, '!') && before?.kind === 'ident';
      const inner = render(t.tokens, code && !invocation);
      text = t.open === '{' ? (inner ? `{ ${inner} }` : '{}') : `${t.open}${inner}${CLOSE[t.open]}`;
    } else if (t.kind === 'frag') {
      const inner = render(t.tokens, code);
      text = code && t.frag === 'expr' && t.tokens.length > 1 ? `(${inner})` : inner;
    } else text = t.text;
    const punct = t.kind === 'punct' ? t.text : undefined;
    let space = s !== '';
    if (punct && NO_SPACE_BEFORE.has(punct)) space = false;
    if (prev && prev.kind === 'punct' && NO_SPACE_AFTER.has(prev.text)) space = false;
    if (prevPrefix) space = false;
    if (
      t.kind === 'group' &&
      t.open !== '{' &&
      prev &&
      (prev.kind === 'ident' || isText(prev, '!') || isText(prev, '>')) &&
      !isKeyword(prev)
    )
      space = false;
    if (isText(t, '!') && prev?.kind === 'ident') space = false;
    s += (space ? ' ' : '') + text;
    // `-x`, `!x`, `&x`, `*x`: a prefix operator where no operand precedes it.
    prevPrefix =
      !!punct &&
      PREFIX.has(punct) &&
      (!prev || (prev.kind === 'punct' && !NO_SPACE_BEFORE.has(prev.text)) || (prev.kind === 'ident' && isKeyword(prev)));
    before = prev;
    prev = t;
  }
  return s;
}

const KEYWORDS = new Set(['let', 'return', 'if', 'else', 'match', 'while', 'for', 'in', 'loop', 'mut', 'move', 'as', 'fn', 'in']);
const isKeyword = (t: Token): boolean => t.kind === 'ident' && KEYWORDS.has(t.text);

/**
 * Expands one invocation of a macro with `rules` on the invocation's token text (inside its
 * delimiters): the transcription as Rust text, or undefined when no rule matches.
 */
export function expandMacro(rules: MacroRule[], inputText: string): string | undefined {
  const input = tokenize(inputText);
  if (!input) return undefined;
  for (const r of rules) {
    budget = 0;
    const b: Bindings = new Map();
    if (matchSeq(r.matcher, input, 0, b, true) < 0) continue;
    const out: Token[] = [];
    if (!transcribe(r.transcriber, b, out)) return undefined;
    return render(stringifyAll(out), true);
  }
  return undefined;
}
