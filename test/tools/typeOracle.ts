/**
 * The type oracle: the type each hover states for a binding is checked against the type the
 * compiled program has (`std::any::type_name_of_val`).
 *
 * Cases are the programs rustc accepts: the fixtures without `//~ ERROR`/`//~ SYNTAX`
 * annotations, `test/claims/*.rs`, and the Rust by Example programs of
 * `../shared/corpus/rust-by-example` (skipped with a message when `../shared` is absent).
 * - The bindings are found in the syntax tree: the identifiers of the patterns of `let` (with a
 *   value), `for`, `if let`/`while let`, `match` arms and closure parameters (through `mut`,
 *   `ref`, tuples, slices, tuple-struct and struct patterns; an identifier that starts with a
 *   capital letter is a constant or a variant, not a binding).
 * - rustc compiles the case with a probe where each binding comes into scope, on the same line
 *   (after the `let`, inside the body's `{`, or around an arm's or closure's expression):
 *   `println!("@RMTY {id} {}", type_name_of_val(&x));`; the program is run (5 s at most) and
 *   every probe it reaches prints the binding's type.
 * - The engine's hover on the binding's name (`HoverInfo.type`) is compared with it, after both
 *   are written the same way: paths dropped (`alloc::string::String` → `String`), lifetimes
 *   dropped (`Iter<'_, i32>` → `Iter<i32>`), closures written `{closure}`, fn items by their name.
 *   A `?` in the hover (a part the engine does not know) matches any type there.
 *
 * Verdicts per binding: `agree`, `partial` (agrees where the hover knows the type, and it has a
 * `?`), `unknown` (the hover's type is `?`), `opaque` (the hover says `impl Trait`, as the source
 * does), `disagree` (a wrong type claim: a failure), and not
 * counted: probes the run never reached, and bindings of generic functions (one binding, many
 * types; the hover names the parameter). Run by `npm run oracle` (alone: `npm run oracle --
 * --types`; `--verbose` lists the partial ones).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Parser from 'tree-sitter';
import * as engine from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { parseAnnotations } from '../support/annotations';
import { fixturesDir, listFixtures, rbePrograms, repoRoot } from '../support/fixtures';
import { claimsDir } from './memoryOracle';
import { MAX_PARALLEL, pool, run } from './rustc';

/** A binding a pattern introduces, and where its probe goes. */
interface LetBinding {
  name: string;
  /** 0-based line and UTF-16 column of the name (the hover position). */
  line: number;
  character: number;
  /** UTF-16 offset where the probe is inserted: after a `let` statement, or at the start of the block or expression the binding is in scope in. */
  at: number;
  /** When the scope is an expression (`Some(x) => x + 1`, `|x| x + 1`), its end: it is wrapped in a block with the probe. */
  wrapEnd?: number;
  /** What introduced it: `let`, `for`, `if let`, `while let`, `match` or `closure`. */
  form: string;
}

/** The binding identifiers of a pattern (see the module comment). */
function patternBindings(p: Parser.SyntaxNode, out: Parser.SyntaxNode[]): void {
  switch (p.type) {
    case 'identifier':
      if (/^[a-z_]/.test(p.text) && p.text !== '_') out.push(p);
      return;
    case 'mut_pattern':
    case 'ref_pattern':
    case 'reference_pattern':
    case 'tuple_pattern':
    case 'slice_pattern':
    case 'captured_pattern':
      for (const c of p.namedChildren) patternBindings(c, out);
      return;
    case 'match_pattern': {
      const guard = p.childForFieldName('condition');
      for (const c of p.namedChildren) if (!guard || c.id !== guard.id) patternBindings(c, out);
      return;
    }
    case 'parameter': {
      const pat = p.childForFieldName('pattern');
      if (pat) patternBindings(pat, out);
      return;
    }
    case 'tuple_struct_pattern': {
      const ty = p.childForFieldName('type');
      for (const c of p.namedChildren) if (!ty || c.id !== ty.id) patternBindings(c, out);
      return;
    }
    case 'struct_pattern':
      for (const f of p.namedChildren) {
        if (f.type !== 'field_pattern') continue;
        const sub = f.childForFieldName('pattern');
        if (sub) patternBindings(sub, out);
        else {
          const name = f.childForFieldName('name');
          if (name) out.push(name);
        }
      }
      return;
    default:
      return;
  }
}

/** Whether `n` is inside a generic fn or impl (its bindings can have many types). */
function inGenericItem(n: Parser.SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent)
    if ((p.type === 'function_item' || p.type === 'impl_item' || p.type === 'trait_item') && p.childForFieldName('type_parameters'))
      return true;
  return false;
}

/** The `let_condition`s of an `if`/`while` condition (`let` chains too). */
function letConditions(cond: Parser.SyntaxNode | null): Parser.SyntaxNode[] {
  if (!cond) return [];
  if (cond.type === 'let_condition') return [cond];
  if (cond.type === 'let_chain') return cond.namedChildren.filter((c) => c.type === 'let_condition');
  return [];
}

/**
 * The bindings of a file's patterns, outside generic items: `let` with a value (a `let x;` has
 * nothing to probe yet), `for`, `if let`, `while let`, `match` arms and closure parameters.
 */
export function letBindings(tree: Parser.Tree): LetBinding[] {
  const out: LetBinding[] = [];
  const add = (pats: (Parser.SyntaxNode | null)[], form: string, at: number, wrapEnd?: number): void => {
    const names: Parser.SyntaxNode[] = [];
    for (const p of pats) if (p) patternBindings(p, names);
    for (const id of names)
      out.push({
        name: id.text,
        line: id.startPosition.row,
        character: id.startPosition.column,
        at,
        form,
        ...(wrapEnd !== undefined ? { wrapEnd } : {}),
      });
  };
  // Where a scope's probes go: just inside a block's `{`, or around an expression.
  const scope = (body: Parser.SyntaxNode | null): [number, number | undefined] | undefined =>
    !body ? undefined : body.type === 'block' ? [body.startIndex + 1, undefined] : [body.startIndex, body.endIndex];
  const visit = (n: Parser.SyntaxNode): void => {
    if (!inGenericItem(n)) {
      switch (n.type) {
        case 'let_declaration':
          if (n.childForFieldName('value')) add([n.childForFieldName('pattern')], 'let', n.endIndex);
          break;
        case 'for_expression': {
          const s = scope(n.childForFieldName('body'));
          if (s) add([n.childForFieldName('pattern')], 'for', ...s);
          break;
        }
        case 'if_expression':
        case 'while_expression': {
          const lets = letConditions(n.childForFieldName('condition'));
          const s = scope(n.childForFieldName(n.type === 'if_expression' ? 'consequence' : 'body'));
          if (lets.length && s)
            add(
              lets.map((l) => l.childForFieldName('pattern')),
              n.type === 'if_expression' ? 'if let' : 'while let',
              ...s,
            );
          break;
        }
        case 'match_arm': {
          const s = scope(n.childForFieldName('value'));
          if (s) add([n.childForFieldName('pattern')], 'match', ...s);
          break;
        }
        case 'closure_expression': {
          const s = scope(n.childForFieldName('body'));
          const params = n.childForFieldName('parameters');
          if (s && params) add(params.namedChildren, 'closure', ...s);
          break;
        }
      }
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(tree.rootNode);
  return out;
}

/** The program with a probe for each binding where it comes into scope (lines unchanged). */
export function typeProbeProgram(text: string, bindings: readonly LetBinding[]): string {
  // Insertions by offset: probes (and a wrapped expression's `{`) at `at`, its `}` at `wrapEnd`.
  const opens = new Map<number, string[]>();
  const closes = new Map<number, number>();
  const sites = new Map<string, { at: number; wrapEnd?: number; probes: string[] }>();
  bindings.forEach((b, k) => {
    const key = `${b.at}:${b.wrapEnd ?? ''}`;
    const site = sites.get(key) ?? { at: b.at, wrapEnd: b.wrapEnd, probes: [] };
    site.probes.push(`::std::println!("@RMTY ${k} {}", ::std::any::type_name_of_val(&${b.name}));`);
    sites.set(key, site);
  });
  for (const s of sites.values()) {
    const probe = s.wrapEnd === undefined ? ` { ${s.probes.join(' ')} }` : `{ ${s.probes.join(' ')} `;
    opens.set(s.at, [...(opens.get(s.at) ?? []), probe]);
    if (s.wrapEnd !== undefined) closes.set(s.wrapEnd, (closes.get(s.wrapEnd) ?? 0) + 1);
  }
  const offsets = [...new Set([...opens.keys(), ...closes.keys()])].sort((a, b) => a - b);
  let out = '';
  let last = 0;
  for (const off of offsets) {
    // At one offset, an expression ending closes before another one opens.
    out += text.slice(last, off) + ' }'.repeat(closes.get(off) ?? 0) + (opens.get(off) ?? []).join('');
    last = off;
  }
  return out + text.slice(last);
}

/** The types each probe printed, by probe index (a probe reached with several types keeps them all). */
export function parseTypeProbes(stdout: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const line of stdout.split('\n')) {
    const m = /^@RMTY (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const k = Number(m[1]);
    if (!out.has(k)) out.set(k, new Set());
    out.get(k)!.add(m[2]);
  }
  return out;
}

/**
 * A type written the one way both sides are compared in: no paths (`a::b::C` → `C`), no
 * lifetimes, closures `{closure}`, `fn name` → `name`, no spaces.
 */
export function normaliseType(t: string): string {
  return (
    t
      .replace(/\{\{closure\}\}|\bclosure\b/g, '{closure}')
      .replace(/(?:[A-Za-z_][A-Za-z0-9_]*::)+/g, '')
      .replace(/\s*\+\s*'[A-Za-z_][A-Za-z0-9_]*/g, '')
      .replace(/'[A-Za-z_][A-Za-z0-9_]*\s*,?\s*/g, '')
      // `&(dyn Error)` once its `+ 'static` is gone: rustc writes the parentheses only around several bounds.
      .replace(/\((dyn [^()+,]+)\)/g, '$1')
      .replace(/\bfn ([A-Za-z_][A-Za-z0-9_]*)/g, '$1')
      .replace(/<>/g, '')
      .replace(/\s+/g, '')
  );
}

/** Whether the hover's type (normalised, `?` for what it does not know) matches rustc's (normalised). */
export function typeMatches(hover: string, rustc: string): boolean {
  // `?` matches one balanced type: translate the hover into a pattern over rustc's text.
  const parts = hover.split('?').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (parts.length === 1) return hover === rustc;
  const re = new RegExp(`^${parts.join('(.+?)')}$`);
  const m = re.exec(rustc);
  if (!m) return false;
  // Each wildcard's text must be balanced (a whole type, not `i32>,Vec<u8`).
  return m.slice(1).every((s) => {
    let depth = 0;
    for (const ch of s) {
      if ('<([{'.includes(ch)) depth++;
      else if ('>)]}'.includes(ch) && --depth < 0) return false;
    }
    return depth === 0;
  });
}

export interface TypeOracleResult {
  files: number;
  /** Files whose probe program did not compile or run (listed in `problems`). */
  skippedFiles: number;
  agree: number;
  partial: number;
  unknown: number;
  /** The hover names an opaque `impl Trait` type (rustc's concrete type is not written in the source). */
  opaque: number;
  disagree: number;
  notReached: number;
  generic: number;
  problems: string[];
  partials: string[];
  /** The bindings whose hover type is `?`, with rustc's type (listed by `--verbose`). */
  unknowns: string[];
}

async function checkFile(file: string, label: string, edition: string, tmp: string, index: number, r: TypeOracleResult): Promise<void> {
  const text = fs.readFileSync(file, 'utf8');
  const analysis = engine.analyze(text, { edition: edition as engine.Edition });
  const bindings = letBindings(analysis.tree);
  if (!bindings.length) return;
  r.files++;
  const src = path.join(tmp, `types-${index}.rs`);
  const exe = path.join(tmp, `types-${index}`);
  fs.writeFileSync(src, typeProbeProgram(text, bindings));
  const comp = await run('rustc', ['--edition', edition, '-A', 'warnings', '--crate-name', 'probe', '-o', exe, src], tmp);
  if (comp.code !== 0 || comp.error) {
    r.skippedFiles++;
    const first = (comp.error ?? comp.stderr).split('\n').find((l) => l.startsWith('error')) ?? '';
    r.problems.push(`${label}: skipped, the probe program does not compile: ${first.slice(0, 200)}`);
    return;
  }
  const ran = await run('timeout', ['5', exe], tmp);
  const seen = parseTypeProbes(ran.stdout);
  bindings.forEach((b, k) => {
    const types = seen.get(k);
    if (!types) {
      r.notReached++;
      return;
    }
    if (types.size > 1) {
      r.generic++;
      return;
    }
    const rustcTy = [...types][0];
    const h = hoverAt(analysis, { line: b.line, character: b.character });
    const where = `${label}:${b.line + 1} \`${b.name}\` (${b.form})`;
    if (!h || h.type === '?') {
      r.unknown++;
      r.unknowns.push(`${where}: rustc \`${rustcTy}\``);
      return;
    }
    const want = normaliseType(rustcTy);
    const got = normaliseType(h.type);
    // `impl Trait` is the type as the source names it: the concrete type behind it is hidden there.
    if (/^impl\b/.test(h.type)) r.opaque++;
    else if (got === want) r.agree++;
    else if (got.includes('?') && typeMatches(got, want)) {
      r.partial++;
      r.partials.push(`${where}: hover \`${h.type}\`, rustc \`${rustcTy}\``);
    } else {
      r.disagree++;
      r.problems.push(`${where}: hover says \`${h.type}\`, rustc \`${rustcTy}\``);
    }
  });
}

/** Runs the type oracle on every case whose path contains one of `filters` (all when none). */
export async function checkTypes(tmp: string, filters: string[] = []): Promise<TypeOracleResult> {
  const root = repoRoot();
  const r: TypeOracleResult = {
    files: 0,
    skippedFiles: 0,
    agree: 0,
    partial: 0,
    unknown: 0,
    opaque: 0,
    disagree: 0,
    notReached: 0,
    generic: 0,
    problems: [],
    partials: [],
    unknowns: [],
  };
  const cases: { file: string; label: string; edition: string }[] = [];
  const fx = fixturesDir(root);
  for (const rel of listFixtures(fx)) {
    const text = fs.readFileSync(path.join(fx, rel), 'utf8');
    const a = parseAnnotations(text);
    if (a.directives.parseError || a.errors.some((e) => e.kind === 'ERROR') || a.syntax.length) continue;
    cases.push({ file: path.join(fx, rel), label: `test/fixtures/${rel}`, edition: a.directives.edition });
  }
  const claims = claimsDir(root);
  for (const f of fs.readdirSync(claims).filter((x) => x.endsWith('.rs')))
    cases.push({ file: path.join(claims, f), label: `test/claims/${f}`, edition: '2021' });
  const rbe = rbePrograms();
  if (!rbe) console.log('oracle: types: ../shared/corpus/rust-by-example is absent: its programs are not checked');
  for (const p of rbe ?? []) cases.push({ file: p.file, label: `rust-by-example/${path.basename(p.file)}`, edition: p.edition });
  const chosen = cases.filter((c) => !filters.length || filters.some((f) => c.label.includes(f)));
  await pool(chosen, MAX_PARALLEL, (c, i) => checkFile(c.file, c.label, c.edition, tmp, i, r));
  return r;
}

/** Prints the result; true when some hover's type disagrees with rustc's. */
export function reportTypes(r: TypeOracleResult, verbose: boolean): boolean {
  for (const p of r.problems) console.log(p.includes('skipped') ? `  ${p}` : `FAIL ${p}`);
  if (verbose) for (const p of r.partials) console.log(`  partial ${p}`);
  if (verbose) for (const p of r.unknowns) console.log(`  unknown ${p}`);
  const compared = r.agree + r.partial + r.unknown + r.opaque + r.disagree;
  console.log(
    `oracle: types: ${compared} bindings (let, for, if let, while let, match arms, closure parameters) in ${r.files - r.skippedFiles} programs compared with rustc's type_name_of_val: ${r.agree} agree, ${r.partial} agree where known (a \`?\` part), ${r.unknown} unknown, ${r.opaque} opaque (\`impl Trait\`), ${r.disagree} disagree; ${r.notReached} not reached by the run, ${r.generic} in generic code, ${r.skippedFiles} programs skipped`,
  );
  return r.disagree > 0;
}
