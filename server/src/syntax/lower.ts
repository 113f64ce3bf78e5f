/**
 * Lowering: tree-sitter CST → HIR (`hir/hir.ts`).
 *
 * Two passes over the file: items first (so bodies can refer to any fn, struct, enum, const or
 * static declared anywhere in the file), then bodies, with lexical scopes resolving identifiers
 * to locals. Syntax errors are tolerated: ERROR nodes become `unknown` expressions and the rest
 * is lowered as usual. Macro arguments are token trees in the CST; the macros whose meaning is
 * known (`println!`, `format!`, `vec!`, `assert!`, ...) are re-parsed as expression lists and
 * lowered with positions mapped back to the file.
 *
 * Never throws on any tree; recursion depth is bounded (`MAX_DEPTH`), deeper nesting is lowered
 * as `unknown` and recorded in `FileHir.unsupported`.
 */
// Lowering reads the tree mirror (`cst.ts`), which has the part of tree-sitter's SyntaxNode API
// used here; tree-sitter's own nodes fit the same type.
import { parseMirror, type CstNode as SyntaxNode } from './cst';
import { expandMacro, parseMacroRules, type MacroRule } from './macroRules';
import { cfgValue } from './cfg';
import type { Position } from 'vscode-languageserver-protocol';
import type {
  AdtDef,
  Block,
  ConstDef,
  Expr,
  ExprKind,
  FieldDef,
  FileHir,
  FnDef,
  UserArgs,
  FormatPiece,
  ImplDef,
  Lit,
  LocalDecl,
  LocalId,
  MatchArm,
  Param,
  Pat,
  Res,
  SelfKind,
  Span,
  Stmt,
  TraitDef,
  VariantDef,
  BinOp,
} from '../hir/hir';
import { containsUnknown, FLOAT_NAMES, INT_NAMES, substitute, type Ty, unknown, UNIT } from '../hir/ty';
// Std types the lowering recognises by name, those in the prelude, and the glob imports: derived from the std registry.
import { STD_FN_MODULES, STD_PRELUDE_TYPES, STD_PRELUDE_VALUES, STD_TYPE_NAMES, stdTypesOfModule } from '../std/registry';
import { emptyFile } from '../hir/hir';
import { OPERATOR_TRAITS } from '../hir/overloaded';
import {
  type AdtEntry,
  type ConstEntry,
  DefMap,
  ItemScope,
  parseUseTree,
  type Resolution,
  type TraitEntry,
  type VariantShape,
} from '../hir/defmap';

/** Nesting deeper than this (expressions, blocks, patterns, types) is lowered as `unknown`. */
export const MAX_DEPTH = 400;

const NESTED_ITEM_TYPES = new Set([
  'function_item',
  'struct_item',
  'enum_item',
  'impl_item',
  'const_item',
  'static_item',
  'trait_item',
  'union_item',
  'use_declaration',
]);

/** The attribute items directly before `children[idx]`. */
function attrsAt(children: SyntaxNode[], idx: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = idx - 1; i >= 0 && children[i].type === 'attribute_item'; i--) out.unshift(children[i]);
  return out;
}

/** Macros with a known meaning; everything else lowers to `unknown` without looking inside. */
const FORMAT_MACROS = new Set([
  'println',
  'print',
  'eprintln',
  'eprint',
  'format',
  'panic',
  'unreachable',
  'todo',
  'unimplemented',
  'format_args',
]);
const WRITE_MACROS = new Set(['write', 'writeln']);
const ASSERT_MACROS = new Set(['assert', 'assert_eq', 'assert_ne', 'debug_assert', 'debug_assert_eq', 'debug_assert_ne']);

/** Maps a position in a re-parsed macro argument text back to the file. */
type PosMap = (p: Position) => Position;

interface Scope {
  names: Map<string, LocalId>;
  /** Closure id when this scope is a closure's parameter scope (captures cross it). */
  closure?: number;
}

/** What a method's signature and body need from its `impl` or `trait`. */
interface ImplCtx {
  selfTy: Ty;
  /** The trait's key (a trait of the file) or its last segment (`Drop`, `Display`). */
  traitName?: string;
  generics: string[];
  lifetimes?: string[];
  impl?: ImplDef;
}

/** The next fresh ids; one counter per document, so ids stay unique across its versions' units. */
export interface IdCounter {
  /** Next `ExprId`. */
  expr: number;
  /** Next closure id (Ty `closure.id`). */
  closure: number;
}

/**
 * One item whose body is lowered (and analysed) on its own: a fn with a body (free fn, method,
 * trait default method) or a const/static initializer, with everything declared inside it
 * (nested fns, closures, items in blocks). The unit of incremental analysis (`engine/`).
 */
export interface BodyUnit {
  /** The fn's `qualName`, or the const's path. */
  readonly key: string;
  readonly kind: 'fn' | 'const';
  /** The item's node (`function_item`, `const_item`, `static_item`). */
  readonly node: SyntaxNode;
  /** Text outside the node that its lowering depends on: attributes, and the header of the enclosing `impl`/`trait`. */
  readonly context: string;
  /**
   * @internal For a fn: lowers its signature (done by `lowerUnit`, so that a reused unit's
   * signature is not lowered again) and puts a FnDef where the fn goes in the file.
   */
  readonly signature?: () => FnDef;
  readonly install?: (fn: FnDef) => void;
  /** @internal Lowers the body (into the fn's FnDef, for a fn). */
  readonly run: (fn?: FnDef) => void;
}

/** What lowering one unit adds to the file: its fn (first) and the items declared inside it. */
export interface UnitHir {
  fns: FnDef[];
  adts: AdtDef[];
  impls: ImplDef[];
  traits: TraitDef[];
  consts: ConstDef[];
  statics: ConstDef[];
  unsupported: { span: Span; what: string }[];
}

/**
 * A signature of the file for incremental analysis: `text` changes when the item's meaning for
 * other items may change (its path, key, header, fields, variants, derives, imports); `names`
 * are the identifiers that items depending on it mention. `global`: a change re-analyses every
 * unit (glob imports).
 */
export interface ItemRecord {
  text: string;
  names: string[];
  global?: boolean;
}

/**
 * Lowering of one file in two steps, so that bodies can be lowered one at a time: the
 * constructor declares every item (paths, scopes, imports) and defines the signatures (fns,
 * ADTs, impls, traits, consts); each `BodyUnit` is then lowered with `lowerUnit`, or, when an
 * earlier lowering of the same text can be reused, adopted with `adoptUnit`; `finish` completes
 * the file. Units must be lowered or adopted in order.
 */
export class FileLowering {
  readonly file: FileHir;
  readonly units: BodyUnit[];
  readonly records: ItemRecord[];
  private readonly l: Lowerer;

  /**
   * `moduleFile`: for a `mod name;` item without a body, the root of the module's file (a crate's
   * other file: `engine/crate.ts`), whose items are declared in the module; none: the module is
   * empty (a file analysed alone).
   */
  constructor(root: SyntaxNode, ids: IdCounter = { expr: 1, closure: 1 }, moduleFile?: (mod: SyntaxNode) => SyntaxNode | undefined) {
    const defs = new DefMap();
    this.file = emptyFile(defs);
    this.l = new Lowerer(this.file, defs, ids, moduleFile);
    this.l.declareItems(root, defs.root);
    defs.assignKeys();
    this.l.defineItems();
    this.units = this.l.units;
    this.records = this.l.records;
  }

  /** Lowers a unit's body (and everything declared in it). Never throws. */
  lowerUnit(u: BodyUnit): UnitHir {
    return this.l.lowerUnit(u);
  }

  /** Puts an earlier lowering of the same unit (same text, same signatures around it) in the file. */
  adoptUnit(u: BodyUnit, hir: UnitHir): void {
    const f = this.file;
    const [fn, ...nested] = hir.fns;
    if (u.install && fn) u.install(fn);
    for (const n of nested) {
      f.fns.push(n);
      f.fnByPath.set(n.qualName, n);
    }
    for (const a of hir.adts) f.adts.set(a.name, a);
    f.impls.push(...hir.impls);
    for (const t of hir.traits) f.traits.set(t.name, t);
    for (const c of hir.consts) f.consts.set(c.name, c);
    for (const c of hir.statics) f.statics.set(c.name, c);
    for (const x of hir.unsupported) if (f.unsupported.length < 1000) f.unsupported.push(x);
  }

  /** Completes the file once every unit is lowered or adopted (flags that impls set on ADTs). */
  finish(): FileHir {
    for (const impl of this.file.impls) {
      const name = impl.selfTy.kind === 'adt' ? impl.selfTy.name : undefined;
      const adt = name ? this.file.adts.get(name) : undefined;
      if (!adt) continue;
      if (impl.traitName === 'Drop') adt.hasDropImpl = true;
      if (impl.traitName === 'Copy') {
        adt.implsCopy = true;
        if (impl.selfTy.kind === 'adt') adt.copyImplArgs = impl.selfTy.args;
        if (impl.selfTy.kind === 'adt' && impl.selfTy.regions?.length) adt.copyImplRegions = impl.selfTy.regions;
      }
      if (impl.traitName === 'Clone') adt.implsClone = true;
    }
    return this.file;
  }
}

/**
 * Lowers a parsed file to HIR. `root` is the tree's `source_file` node.
 * Total: never throws; what cannot be lowered is recorded in `unsupported`.
 */
export function lowerFile(root: SyntaxNode): FileHir {
  const l = new FileLowering(root);
  for (const u of l.units) l.lowerUnit(u);
  return l.finish();
}

class Lowerer {
  /** Signatures and definitions, run in source order once every item of the file is declared. */
  private tasks: (() => void)[] = [];
  /** Bodies of items declared inside the unit being lowered, run after its own body. */
  private pending: (() => void)[] = [];
  /** The units of the file (module-level bodies), in source order. */
  readonly units: BodyUnit[] = [];
  readonly records: ItemRecord[] = [];
  /** While a unit is lowered: what it adds to the file. */
  private sink: UnitHir | undefined;
  /** The item scope names are resolved in (a module, or a body's block scope). */
  private scope: ItemScope;
  /** The body whose closures are being named (`main`, `main::{closure#0}`). */
  private owner = '';
  private closureCounts = new Map<string, number>();
  // per-function state
  private locals: LocalDecl[] = [];
  private scopes: Scope[] = [];
  /** Generic parameters in scope, with their trait bounds (`T` → `['Copy', 'Debug']`). */
  private generics = new Map<string, string[]>();
  /**
   * The file's `type Name<P..> = T;` items by name (Rust reference, "Type aliases"): a use of
   * `Name<A..>` is `T` with the parameters replaced. Null: two aliases share the name (not resolved).
   */
  private readonly typeAliases = new Map<string, { params: string[]; node: SyntaxNode; scope: ItemScope } | null>();
  private readonly expandingAliases = new Set<string>();
  private selfTy: Ty | undefined;
  /** The associated types of the impl whose items are being lowered (`type Target = T;`): what `Self::Target` names. */
  private selfAssoc: Record<string, Ty> | undefined;
  private posMap: PosMap | undefined;
  private depth = 0;
  /** `macro_rules!` definitions seen so far (module level first, then in bodies as they come). */
  private readonly macros = new Map<string, MacroRule[]>();
  /** Nesting of user macro expansions being lowered (bounded: recursive macros). */
  private macroDepth = 0;

  constructor(
    private file: FileHir,
    private defs: DefMap,
    private ids: IdCounter,
    private readonly moduleFile?: (mod: SyntaxNode) => SyntaxNode | undefined,
  ) {
    this.scope = defs.root;
  }

  lowerUnit(u: BodyUnit): UnitHir {
    let fn: FnDef | undefined;
    try {
      fn = u.signature?.();
    } catch (e) {
      this.addUnsupported({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `internal: ${(e as Error).message}`);
    }
    if (fn) u.install?.(fn);
    const sink: UnitHir = { fns: fn ? [fn] : [], adts: [], impls: [], traits: [], consts: [], statics: [], unsupported: [] };
    this.sink = sink;
    this.defs.beginUnit();
    this.closureCounts.clear();
    try {
      const run = [(): void => (fn || !u.signature ? u.run(fn) : undefined)];
      // Items declared in the body append their bodies to `pending`; each runs exactly once.
      for (let i = 0; i < run.length + this.pending.length; i++) {
        try {
          (i < run.length ? run[i] : this.pending[i - run.length])();
        } catch (e) {
          this.addUnsupported({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `internal: ${(e as Error).message}`);
        }
      }
    } finally {
      this.pending = [];
      this.sink = undefined;
      this.scope = this.defs.root;
    }
    return sink;
  }

  // --- adding to the file (and to the unit being lowered)

  private addFn(fn: FnDef): void {
    this.file.fns.push(fn);
    this.file.fnByPath.set(fn.qualName, fn);
    this.sink?.fns.push(fn);
  }

  private addUnsupported(span: Span, what: string): void {
    if (this.file.unsupported.length >= 1000) return;
    const x = { span, what };
    this.file.unsupported.push(x);
    this.sink?.unsupported.push(x);
  }

  // --- spans

  private pos(p: { row: number; column: number }): Position {
    const q = { line: p.row, character: p.column };
    return this.posMap ? this.posMap(q) : q;
  }

  span(n: SyntaxNode): Span {
    return { start: this.pos(n.startPosition), end: this.pos(n.endPosition) };
  }

  private unsupported(n: SyntaxNode, what: string): void {
    this.addUnsupported(this.span(n), what);
  }

  private inScope<T>(scope: ItemScope, f: () => T): T {
    const saved = this.scope;
    this.scope = scope;
    try {
      return f();
    } finally {
      this.scope = saved;
    }
  }

  // --- items, pass 1: names (every item's path, module scopes, imports)

  /** Declares the items of a module body (or the file) in `scope`; their definitions become tasks. */
  declareItems(container: SyntaxNode, scope: ItemScope): void {
    let attrs: SyntaxNode[] = [];
    for (const n of container.namedChildren) {
      if (n.type === 'attribute_item') {
        attrs.push(n);
        continue;
      }
      const itemAttrs = attrs;
      attrs = [];
      try {
        this.declareItem(n, itemAttrs, scope);
      } catch (e) {
        this.unsupported(n, `item could not be lowered: ${(e as Error).message}`);
      }
    }
  }

  private declareItem(n: SyntaxNode, attrs: SyntaxNode[], scope: ItemScope): void {
    const task = (f: () => void): void => {
      this.tasks.push(() => {
        try {
          this.inScope(scope, f);
        } catch (e) {
          this.unsupported(n, `item could not be lowered: ${(e as Error).message}`);
        }
      });
    };
    switch (n.type) {
      case 'macro_definition':
        this.defineMacro(n);
        break;
      case 'function_item':
      case 'function_signature_item': {
        const name = n.childForFieldName('name')?.text;
        if (!name) break;
        const entry = this.defs.declareFn(scope, name);
        task(() => this.defineFn(n, entry.key, undefined, attrsText(attrs)));
        break;
      }
      case 'struct_item':
      case 'union_item':
      case 'enum_item': {
        const name = n.childForFieldName('name')?.text;
        if (!name) break;
        const entry = this.defs.declareAdt(scope, name, adtShape(n), n.type === 'enum_item' ? variantShapes(n) : []);
        task(() => {
          const adt = this.adtDef(n, attrs, entry);
          this.file.adts.set(adt.name, adt);
          this.sink?.adts.push(adt);
          this.record(['adt', entry.key, entry.path, attrsText(attrs), n.text], [name, ...adt.variants.map((v) => v.name)]);
        });
        break;
      }
      case 'impl_item':
        task(() => this.defineImpl(n));
        break;
      case 'trait_item': {
        const name = n.childForFieldName('name')?.text;
        if (!name) break;
        const entry = this.defs.declareTrait(scope, name);
        const supers = n.childForFieldName('bounds');
        entry.supertraits =
          n.namedChildren.some((c) => c.type === 'where_clause') || n.childForFieldName('type_parameters')
            ? null
            : (supers?.namedChildren ?? []).flatMap((b) => {
                const t = b.type === 'generic_type' ? b.childForFieldName('type') : b;
                return t && !t.text.startsWith("'") ? [lastSegment(t.text)] : [];
              });
        const methods: { node: SyntaxNode; key: string }[] = [];
        for (const m of n.childForFieldName('body')?.namedChildren ?? []) {
          const mName = fnItemName(m);
          if (!mName) continue;
          const key = this.defs.fnKey(`${entry.path}::${mName}`);
          if (!entry.methods.has(mName)) entry.methods.set(mName, key);
          methods.push({ node: m, key });
        }
        task(() => this.defineTrait(n, entry, methods, attrsText(attrs)));
        break;
      }
      case 'const_item':
      case 'static_item': {
        const name = n.childForFieldName('name')?.text;
        if (!name) break;
        const entry = this.defs.declareConst(scope, name, n.type === 'const_item' ? 'const' : 'static');
        task(() => this.defineConst(n, entry));
        break;
      }
      case 'mod_item': {
        const name = n.childForFieldName('name')?.text;
        if (!name) break;
        const child = this.defs.declareMod(scope, name);
        this.record(['mod', child.path], [name]);
        const body = n.childForFieldName('body') ?? (scope.kind === 'mod' ? this.moduleFile?.(n) : undefined);
        if (body) this.declareItems(body, child);
        break;
      }
      case 'use_declaration':
        this.declareUse(n, scope);
        break;
      case 'type_item': {
        const name = n.childForFieldName('name')?.text;
        const node = n.childForFieldName('type');
        if (!name || !node) break;
        const params = this.typeParams(n.childForFieldName('type_parameters'));
        this.typeAliases.set(name, this.typeAliases.has(name) ? null : { params, node, scope });
        // Units that name the alias are lowered again when it changes.
        this.record(['type', scope.path, n.text], [name]);
        break;
      }
      case 'extern_crate_declaration': {
        const name = n.childForFieldName('name')?.text ?? '';
        const alias = n.childForFieldName('alias')?.text;
        this.defs.declareExternCrate(scope, name, alias);
        this.file.imported.add(alias ?? name);
        this.record(['extern', scope.path, n.text], [alias ?? name]);
        break;
      }
      case 'ERROR':
        // Items inside an ERROR node are still worth finding.
        this.declareItems(n, scope);
        break;
      case 'expression_statement':
      case 'macro_invocation':
        this.declareMacroItems(n.type === 'macro_invocation' ? n : n.namedChildren[0], scope);
        break;
      default:
        break;
    }
  }

  /**
   * A `macro_rules!` macro of the file invoked where items go (`create_function!(foo);`): its
   * expansion is parsed as items and declared in `scope`, every position inside it mapped to the
   * invocation (as for expression macros). Nothing when the macro is not the file's, or its
   * expansion does not parse.
   */
  private declareMacroItems(inv: SyntaxNode | undefined, scope: ItemScope): void {
    if (!inv || inv.type !== 'macro_invocation' || this.macroDepth >= 32) return;
    const name = lastSegment((inv.childForFieldName('macro') ?? inv.namedChildren[0])?.text ?? '');
    const rules = this.macros.get(name);
    const tt = inv.namedChildren.find((c) => c.type === 'token_tree');
    if (!rules || !tt) return;
    const text = expandMacro(rules, tt.text.slice(1, -1));
    if (text === undefined || text.length > 200_000) return;
    const { root } = parseMirror(text);
    if (root.hasError) {
      this.unsupported(inv, `the expansion of \`${name}!\``);
      return;
    }
    // Only fns and impls are declared: a type defined by a macro (syn's `ast_struct!`) often
    // carries attributes and cfgs the engine does not model, and a wrongly known type costs more
    // than an unknown one (precision first).
    if (
      !root.namedChildren.every((c) => ['function_item', 'impl_item', 'attribute_item', 'line_comment', 'block_comment'].includes(c.type))
    )
      return;
    const at = this.pos(inv.startPosition);
    const atPos = (f: () => void): void => {
      const outer = this.posMap;
      this.posMap = () => at;
      try {
        f();
      } finally {
        this.posMap = outer;
      }
    };
    // Definitions (and the body units they make) run later: each with positions at the invocation.
    const t0 = this.tasks.length;
    this.macroDepth++;
    try {
      this.declareItems(root, scope);
    } finally {
      this.macroDepth--;
    }
    for (let i = t0; i < this.tasks.length; i++) {
      const task = this.tasks[i];
      this.tasks[i] = () => {
        const u0 = this.units.length;
        atPos(task);
        for (let k = u0; k < this.units.length; k++) {
          const u = this.units[k];
          this.units[k] = {
            ...u,
            ...(u.signature
              ? {
                  signature: () => {
                    let fn: FnDef | undefined;
                    atPos(() => (fn = u.signature!()));
                    return fn!;
                  },
                }
              : {}),
            run: (fn?: FnDef) => atPos(() => u.run(fn)),
          };
        }
      };
    }
  }

  private declareUse(n: SyntaxNode, scope: ItemScope): void {
    const items = parseUseTree(n.text);
    this.defs.declareUse(scope, items);
    this.record(
      ['use', scope.path, scope.kind, n.text],
      items.flatMap((u) => (u.name ? [u.name] : [])),
      items.some((u) => u.glob),
    );
    // The file-wide summaries (`FileHir.imported`, `stdImported`); resolution uses the scopes.
    for (const u of items) {
      const fromStd = ['std', 'core', 'alloc'].includes(u.path[0]);
      if (u.glob) {
        if (fromStd) for (const t of stdTypesOfModule(u.path[u.path.length - 1])) this.file.stdImported.add(t);
      } else if (u.name) {
        if (fromStd) this.file.stdImported.add(u.name);
        else this.file.imported.add(u.name);
      }
    }
  }

  // --- items, pass 2: signatures and definitions

  /** Runs the definition tasks (in source order); tasks may not add module-level items. */
  defineItems(): void {
    for (let i = 0; i < this.tasks.length; i++) this.tasks[i]();
    this.tasks = [];
  }

  /**
   * Defines a fn item: its signature now, its body as a unit (module level) or after the body of
   * the unit being lowered (nested). `list`: the impl's or trait's method list it goes in;
   * `context`: its attributes and enclosing impl/trait header (see `BodyUnit.context`).
   */
  private defineFn(n: SyntaxNode, key: string, implCtx: ImplCtx | undefined, context: string, list?: FnDef[]): void {
    const body = n.childForFieldName('body');
    if (!this.sink)
      this.record(['fn', key, context, body ? n.text.slice(0, body.startIndex - n.startIndex) : n.text], [fnItemName(n) ?? '']);
    const scope = this.scope;
    if (body && !this.sink) {
      // A unit: its signature is lowered with its body (`lowerUnit`) or comes with the reused
      // unit (`adoptUnit`); until then a placeholder keeps its place in the file's lists.
      const fnIndex = this.file.fns.push(PENDING_FN) - 1;
      const listIndex = list ? list.push(PENDING_FN) - 1 : -1;
      const generics = this.generics;
      const selfTy = this.selfTy;
      const install = (fn: FnDef): void => {
        this.file.fns[fnIndex] = fn;
        this.file.fnByPath.set(key, fn);
        if (list) list[listIndex] = fn;
      };
      const signature = (): FnDef =>
        this.inScope(scope, () => {
          const saved = [this.generics, this.selfTy] as const;
          [this.generics, this.selfTy] = [generics, selfTy];
          try {
            return this.fnSignature(n, implCtx, key);
          } finally {
            [this.generics, this.selfTy] = saved;
          }
        });
      const run = (fn?: FnDef): void => this.inScope(scope, () => this.lowerFnBody(fn!, n, body, implCtx));
      this.units.push({ key, kind: 'fn', node: n, context, signature, install, run });
      return;
    }
    const fn = this.fnSignature(n, implCtx, key);
    this.addFn(fn);
    list?.push(fn);
    if (body) this.pending.push(() => this.inScope(scope, () => this.lowerFnBody(fn, n, body, implCtx)));
  }

  private record(parts: string[], names: string[], global = false): void {
    if (this.sink) return; // items inside a body are part of that body's unit
    this.records.push({ text: parts.join('\u0000'), names, ...(global ? { global } : {}) });
  }

  private defineImpl(n: SyntaxNode): void {
    const generics = this.typeParams(n.childForFieldName('type_parameters'));
    const saved = this.generics;
    const implBounds = this.paramBounds(
      n.childForFieldName('type_parameters'),
      n.namedChildren.find((c) => c.type === 'where_clause') ?? null,
    );
    this.generics = new Map([...saved, ...generics.map((g): [string, string[]] => [g, implBounds[g] ?? []])]);
    try {
      const tyNode = n.childForFieldName('type');
      const selfTy = tyNode ? this.lowerType(tyNode) : unknown('impl self type');
      const traitNode = n.childForFieldName('trait');
      const traitRef = traitNode ? this.traitRef(traitNode.text) : undefined;
      const traitName = traitRef?.key;
      const lifetimes = this.lifetimeParams(n.childForFieldName('type_parameters'));
      const impl: ImplDef = { selfTy, traitName, generics, lifetimes, methods: [], span: this.span(n) };
      this.file.impls.push(impl);
      this.sink?.impls.push(impl);
      const bodyNode = n.childForFieldName('body');
      const header = bodyNode ? n.text.slice(0, bodyNode.startIndex - n.startIndex) : n.text;
      // An operator impl (`Deref`, `Index`, `Add`...) is called where its methods' names are not written
      // (`hir/overloaded.ts`): its whole text is its record, so an edit of it (its `Target`, its
      // `deref`) analyses again the bodies that use its type.
      const recorded = traitName && OPERATOR_TRAITS.has(traitName) ? n.text : header;
      this.record(['impl', this.scope.path, recorded], identifiers(header));
      const adtEntry = selfTy.kind === 'adt' && !selfTy.std ? this.defs.adtByKey(selfTy.name) : undefined;
      // Methods are keyed under the ADT's full path (`a::Point::new`); for other self types
      // (`impl Tr for String`), under the impl's module (`a::String::describe`).
      const selfPath = adtEntry ? adtEntry.path : this.scope.module.child(displayImplName(selfTy));
      const body = bodyNode;
      if (!body) return;
      // The impl's associated types (`type Target = T;`), which `Self::Target` names in its items;
      // their text is part of each method's context, so an edit of one re-lowers the methods.
      const assoc = this.implAssocTys(body);
      if (assoc.tys) impl.assocTys = assoc.tys;
      const savedSelf = this.selfTy;
      this.selfTy = selfTy;
      try {
        const ctx: ImplCtx = { selfTy, traitName, generics, lifetimes, impl };
        let attrs: SyntaxNode[] = [];
        for (const m of body.namedChildren) {
          if (m.type === 'attribute_item') {
            attrs.push(m);
            continue;
          }
          const mAttrs = attrs;
          attrs = [];
          const name = fnItemName(m);
          if (!name) continue;
          // A trait impl's method is `<Type as Trait>::m` (rustc's def path): it never collides
          // with an inherent `Type::m` of the same name.
          const key = this.defs.fnKey(traitRef ? `<${selfPath} as ${traitRef.path}>::${name}` : `${selfPath}::${name}`);
          // Inherent methods win over trait methods of the same name for `Type::name` paths.
          if (adtEntry && (!adtEntry.assoc.has(name) || !traitName)) adtEntry.assoc.set(name, key);
          this.defineFn(m, key, ctx, `${header}\u0000${assoc.text}\u0000${attrsText(mAttrs)}`, impl.methods);
        }
      } finally {
        this.selfTy = savedSelf;
      }
    } finally {
      this.generics = saved;
    }
  }

  /** The `type Name = T;` items of an impl body, lowered, and their text; `tys` undefined when there are none. */
  private implAssocTys(body: SyntaxNode): { tys?: Record<string, Ty>; text: string } {
    let tys: Record<string, Ty> | undefined;
    let text = '';
    for (const m of body.namedChildren) {
      if (m.type !== 'type_item') continue;
      const name = m.childForFieldName('name')?.text;
      const node = m.childForFieldName('type');
      if (!name || !node || m.childForFieldName('type_parameters')) continue;
      (tys ??= Object.create(null) as Record<string, Ty>)[name] = this.lowerType(node);
      text += `${m.text}\u0000`;
    }
    return { ...(tys ? { tys } : {}), text };
  }

  /** The trait a path names: a trait of the file (its key and path), else the path's last segment. */
  private traitRef(text: string): { key: string; path: string } {
    const segs = pathSegments(text);
    const r = segs.length ? this.defs.resolvePath(this.scope, segs, 'type') : undefined;
    if (r?.kind === 'trait') return { key: r.key, path: r.path };
    const name = lastSegment(text.replace(/<[\s\S]*$/, ''));
    return { key: name, path: name };
  }

  private defineTrait(n: SyntaxNode, entry: TraitEntry, methods: { node: SyntaxNode; key: string }[], attrs: string): void {
    const t: TraitDef = { name: entry.key, path: entry.path, methods: [], span: this.span(n) };
    this.file.traits.set(entry.key, t);
    this.sink?.traits.push(t);
    const body = n.childForFieldName('body');
    const header = body ? n.text.slice(0, body.startIndex - n.startIndex) : n.text;
    this.record(['trait', entry.key, entry.path, attrs, header], [entry.name, ...entry.methods.keys()]);
    const selfTy: Ty = { kind: 'param', name: 'Self' };
    const savedSelf = this.selfTy;
    this.selfTy = selfTy;
    try {
      for (const m of methods)
        this.defineFn(m.node, m.key, { selfTy, traitName: entry.key, generics: [] }, `${attrs}\u0000${header}`, t.methods);
    } finally {
      this.selfTy = savedSelf;
    }
  }

  private defineConst(n: SyntaxNode, entry: ConstEntry): void {
    const nameNode = n.childForFieldName('name');
    if (!nameNode) return;
    const tyNode = n.childForFieldName('type');
    const def: ConstDef = {
      name: entry.key,
      path: entry.path,
      ty: tyNode ? this.lowerType(tyNode) : unknown(),
      mutable: n.namedChildren.some((c) => c.type === 'mutable_specifier'),
      init: null,
      span: this.span(n),
      nameSpan: this.span(nameNode),
    };
    if (entry.kind === 'const') this.file.consts.set(def.name, def);
    else this.file.statics.set(def.name, def);
    if (entry.kind === 'const') this.sink?.consts.push(def);
    else this.sink?.statics.push(def);
    this.record([entry.kind, entry.key, entry.path, n.text], [entry.name]);
    const value = n.childForFieldName('value');
    const scope = this.scope;
    if (!value) return;
    const run = (): void =>
      this.inScope(scope, () => {
        this.beginFn(entry.path);
        def.init = this.guardExpr(value);
      });
    if (this.sink) this.pending.push(run);
    else this.units.push({ key: entry.path, kind: 'const', node: n, context: '', run });
  }

  private adtDef(n: SyntaxNode, attrs: SyntaxNode[], entry: AdtEntry): AdtDef {
    const nameNode = n.childForFieldName('name') ?? n;
    const generics = this.typeParams(n.childForFieldName('type_parameters'));
    const saved = this.generics;
    const adtBounds = this.paramBounds(
      n.childForFieldName('type_parameters'),
      n.namedChildren.find((c) => c.type === 'where_clause') ?? null,
    );
    this.generics = new Map([...saved, ...generics.map((g): [string, string[]] => [g, adtBounds[g] ?? []])]);
    const derives: string[] = [];
    const repr: string[] = [];
    for (const a of attrs) {
      const t = a.text.replace(/\s+/g, '');
      const d = /^#\[derive\((.*)\)\]$/.exec(t);
      if (d) derives.push(...d[1].split(',').map(lastSegment).filter(Boolean));
      const r = /^#\[repr\((.*)\)\]$/.exec(t);
      if (r) repr.push(...r[1].split(','));
    }
    const kind = n.type === 'enum_item' ? 'enum' : n.type === 'union_item' ? 'union' : 'struct';
    const body = n.childForFieldName('body');
    const adt: AdtDef = {
      name: entry.key,
      path: entry.path,
      kind,
      generics,
      lifetimes: this.lifetimeParams(n.childForFieldName('type_parameters')),
      fields: [],
      variants: [],
      derives,
      repr,
      hasDropImpl: false,
      implsCopy: false,
      implsClone: false,
      span: this.span(n),
      nameSpan: this.span(nameNode),
    };
    if (kind === 'enum') {
      for (const v of body?.namedChildren ?? []) {
        if (v.type !== 'enum_variant') continue;
        const vb = v.childForFieldName('body');
        const value = v.childForFieldName('value');
        const variant: VariantDef = {
          name: v.childForFieldName('name')?.text ?? '?',
          shape: !vb ? 'unit' : vb.type === 'field_declaration_list' ? 'struct' : 'tuple',
          fields: vb ? this.fieldDefs(vb) : [],
        };
        if (value?.type === 'integer_literal') variant.discriminant = Number(parseIntLit(value.text).value);
        adt.variants.push(variant);
      }
    } else if (body) {
      adt.fields = this.fieldDefs(body);
    } else {
      // tuple struct: `struct P(i32, i32);` has the list as a direct child
      const list = n.namedChildren.find((c) => c.type === 'ordered_field_declaration_list');
      if (list) adt.fields = this.fieldDefs(list);
    }
    this.generics = saved;
    return adt;
  }

  private fieldDefs(list: SyntaxNode): FieldDef[] {
    const out: FieldDef[] = [];
    if (list.type === 'field_declaration_list') {
      for (const f of list.namedChildren) {
        if (f.type !== 'field_declaration') continue;
        const t = f.childForFieldName('type');
        out.push({ name: f.childForFieldName('name')?.text ?? '?', ty: t ? this.lowerType(t) : unknown(), span: this.span(f) });
      }
    } else {
      let i = 0;
      for (const t of list.childrenForFieldName('type')) {
        out.push({ name: String(i++), ty: this.lowerType(t), span: this.span(t) });
      }
    }
    return out;
  }

  /** Lifetime parameters (`<'a, 'b: 'a, T>` → `'a`, `'b`). */
  private lifetimeParams(n: SyntaxNode | null): string[] {
    if (!n) return [];
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'lifetime_parameter') {
        const l = c.childForFieldName('name') ?? c.namedChildren.find((x) => x.type === 'lifetime');
        if (l) out.push(l.text.replace(/\s+/g, ''));
      } else if (c.type === 'lifetime') out.push(c.text.replace(/\s+/g, ''));
    }
    return out;
  }

  /** Trait bounds of type parameters (`<F: FnMut()>`, `where F: Clone`), by parameter name. */
  private paramBounds(typeParams: SyntaxNode | null, whereClause: SyntaxNode | null): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (name: string | undefined, bounds: SyntaxNode | null): void => {
      if (!name || !bounds) return;
      for (const b of bounds.namedChildren) {
        const traitNode =
          b.type === 'function_type' ? b.childForFieldName('trait') : b.type === 'generic_type' ? b.childForFieldName('type') : b;
        const t = traitNode ? lastSegment(traitNode.text) : '';
        if (t && !t.startsWith("'")) (out[name] ??= []).push(t);
      }
    };
    for (const c of typeParams?.namedChildren ?? []) {
      if (c.type === 'type_parameter' || c.type === 'constrained_type_parameter')
        add((c.childForFieldName('name') ?? c.childForFieldName('left'))?.text, c.childForFieldName('bounds'));
    }
    for (const p of whereClause?.namedChildren ?? []) {
      if (p.type === 'where_predicate') add(p.childForFieldName('left')?.text, p.childForFieldName('bounds'));
    }
    return out;
  }

  /**
   * The lifetime facts of generic parameters' bounds (`FnDef.regionBounds`): which are bounded
   * `'static`, which outlive other lifetimes (`T: 'a`, `'b: 'a`, in the parameters or the
   * `where` clause), and which of an `Fn*(..)` bound's arguments hold an elided reference (`&T`, `&'_ T`).
   */
  private regionBounds(typeParams: SyntaxNode | null, whereClause: SyntaxNode | null): FnDef['regionBounds'] {
    const out: NonNullable<FnDef['regionBounds']> = { static: [], fnArgsElided: {} };
    const add = (name: string | undefined, bounds: SyntaxNode | null): void => {
      if (!name || !bounds) return;
      for (const b of bounds.namedChildren) {
        const lt = b.type === 'lifetime' ? b.text.replace(/\s+/g, '') : '';
        if (lt === "'static") out.static.push(name);
        else if (lt && lt !== "'_") ((out.outlives ??= {})[name] ??= []).push(lt);
        else if (b.type === 'function_type') {
          const args = b.childForFieldName('parameters')?.namedChildren ?? [];
          out.fnArgsElided[name] = args.map((a) => /&(?!\s*'(?!_)\w)/.test(a.text));
        }
      }
    };
    for (const c of typeParams?.namedChildren ?? []) {
      if (c.type === 'type_parameter' || c.type === 'constrained_type_parameter' || c.type === 'lifetime_parameter')
        add((c.childForFieldName('name') ?? c.childForFieldName('left'))?.text?.replace(/\s+/g, ''), c.childForFieldName('bounds'));
    }
    for (const p of whereClause?.namedChildren ?? []) {
      if (p.type === 'where_predicate') add(p.childForFieldName('left')?.text, p.childForFieldName('bounds'));
    }
    return out.static.length || out.outlives || Object.keys(out.fnArgsElided).length ? out : undefined;
  }

  /**
   * `FnDef.callBounds`: for each of `own` (the fn's own type parameters) bounded by exactly one
   * `Fn(..)`/`FnMut(..)`/`FnOnce(..)` sugar, its argument and result types (lowered with the fn's
   * generics in scope); a bound with an unknown part, or two such bounds, gives none.
   */
  private callBounds(own: string[], typeParams: SyntaxNode | null, whereClause: SyntaxNode | null): FnDef['callBounds'] {
    const out: NonNullable<FnDef['callBounds']> = {};
    const twice = new Set<string>();
    const add = (name: string | undefined, bounds: SyntaxNode | null): void => {
      if (!name || !bounds || !own.includes(name)) return;
      for (const b of bounds.namedChildren) {
        if (b.type !== 'function_type') continue;
        const trait = b.childForFieldName('trait')?.text;
        if (trait !== 'Fn' && trait !== 'FnMut' && trait !== 'FnOnce') continue;
        if (out[name]) twice.add(name);
        const params = (b.childForFieldName('parameters')?.namedChildren ?? []).filter((c) => !isTrivia(c)).map((c) => this.lowerType(c));
        const retNode = b.childForFieldName('return_type');
        out[name] = { trait, params, ret: retNode ? this.lowerType(retNode) : UNIT };
      }
    };
    for (const c of typeParams?.namedChildren ?? []) {
      if (c.type === 'type_parameter' || c.type === 'constrained_type_parameter')
        add((c.childForFieldName('name') ?? c.childForFieldName('left'))?.text, c.childForFieldName('bounds'));
    }
    for (const p of whereClause?.namedChildren ?? []) {
      if (p.type === 'where_predicate') add(p.childForFieldName('left')?.text, p.childForFieldName('bounds'));
    }
    for (const name of Object.keys(out)) {
      const sig = out[name];
      if (twice.has(name) || [...sig.params, sig.ret].some((t) => containsUnknown(t))) delete out[name];
    }
    return Object.keys(out).length ? out : undefined;
  }

  private typeParams(n: SyntaxNode | null): string[] {
    if (!n) return [];
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'type_identifier') out.push(c.text);
      else if (c.type === 'type_parameter' || c.type === 'constrained_type_parameter' || c.type === 'optional_type_parameter') {
        const name =
          c.childForFieldName('name') ?? c.childForFieldName('left') ?? c.namedChildren.find((x) => x.type === 'type_identifier');
        if (name?.type === 'type_identifier') out.push(name.text);
      }
    }
    return out;
  }

  /** The signature of a fn item keyed `key` (see `hir/defmap.ts`); the body is lowered later. */
  private fnSignature(n: SyntaxNode, implCtx: ImplCtx | undefined, key: string): FnDef {
    const savedAssoc = this.selfAssoc;
    this.selfAssoc = implCtx?.impl?.assocTys;
    try {
      return this.fnSignatureIn(n, implCtx, key);
    } finally {
      this.selfAssoc = savedAssoc;
    }
  }

  private fnSignatureIn(n: SyntaxNode, implCtx: ImplCtx | undefined, key: string): FnDef {
    const nameNode = n.childForFieldName('name') ?? n;
    const name = nameNode.text;
    const generics = this.typeParams(n.childForFieldName('type_parameters'));
    const saved = this.generics;
    const fnBounds = this.paramBounds(
      n.childForFieldName('type_parameters'),
      n.namedChildren.find((c) => c.type === 'where_clause') ?? null,
    );
    this.generics = new Map([...saved, ...generics.map((g): [string, string[]] => [g, fnBounds[g] ?? []])]);
    const regionBounds = this.regionBounds(
      n.childForFieldName('type_parameters'),
      n.namedChildren.find((c) => c.type === 'where_clause') ?? null,
    );
    const callBounds = this.callBounds(
      generics,
      n.childForFieldName('type_parameters'),
      n.namedChildren.find((c) => c.type === 'where_clause') ?? null,
    );
    // `impl Trait` in argument position is an anonymous generic.
    let selfKind: SelfKind | null = null;
    let selfMutable = false;
    let selfRegion: string | undefined;
    const paramsNode = n.childForFieldName('parameters');
    const paramTys: { node: SyntaxNode; ty: Ty }[] = [];
    for (const p of paramsNode?.namedChildren ?? []) {
      if (p.type === 'self_parameter') {
        const t = p.text.replace(/\s+/g, ' ');
        selfKind = t.startsWith('&') ? (/\bmut\b/.test(t) ? 'mut' : 'ref') : 'value';
        selfMutable = !t.startsWith('&') && /^mut\b/.test(t);
        selfRegion = p.namedChildren.find((c) => c.type === 'lifetime')?.text.replace(/\s+/g, '');
        const explicit = p.childForFieldName('type');
        if (explicit) selfKind = 'value';
      } else if (typedSelfKind(p)) {
        // `self: &mut Self` (a `parameter` whose pattern is `self`): the same receiver as `&mut self`.
        selfKind = typedSelfKind(p)!;
        selfMutable = p.namedChildren.some((c) => c.type === 'mutable_specifier');
        selfRegion = p
          .childForFieldName('type')
          ?.namedChildren.find((c) => c.type === 'lifetime')
          ?.text.replace(/\s+/g, '');
      } else if (p.type === 'parameter') {
        const tyNode = p.childForFieldName('type');
        paramTys.push({ node: p, ty: tyNode ? this.lowerType(tyNode) : unknown() });
      }
    }
    const retNode = n.childForFieldName('return_type');
    const implOf = implCtx ? displayImplName(implCtx.selfTy) : undefined;
    const fn: FnDef = {
      name,
      qualName: key,
      implOf,
      traitName: implCtx?.traitName,
      selfKind,
      selfMutable,
      generics: [...(implCtx?.generics ?? []), ...generics],
      lifetimes: [...(implCtx?.lifetimes ?? []), ...this.lifetimeParams(n.childForFieldName('type_parameters'))],
      bounds: Object.fromEntries(this.generics),
      ...(regionBounds ? { regionBounds } : {}),
      ...(callBounds ? { callBounds } : {}),
      ...(implCtx
        ? { implParams: { selfTy: implCtx.selfTy, types: implCtx.generics.length, lifetimes: implCtx.lifetimes?.length ?? 0 } }
        : {}),
      ...(selfRegion ? { selfRegion } : {}),
      params: paramTys.map(({ node, ty }) => ({ pat: { kind: 'wild', span: this.span(node) }, ty, span: this.span(node) })),
      ret: retNode ? this.lowerType(retNode) : UNIT,
      body: null,
      locals: [emptyLocal()],
      span: this.span(n),
      nameSpan: this.span(nameNode),
    };
    this.generics = saved;
    return fn;
  }

  // --- bodies

  /** Fresh per-body state; `owner` is the body's path (its closures are `owner::{closure#N}`). */
  private beginFn(owner: string): void {
    this.locals = [emptyLocal()];
    this.scopes = [{ names: new Map() }];
    this.depth = 0;
    this.owner = owner;
  }

  private lowerFnBody(fn: FnDef, n: SyntaxNode, body: SyntaxNode, implCtx: ImplCtx | undefined): void {
    this.beginFn(fn.qualName);
    this.locals = fn.locals;
    const saved = this.generics;
    const savedSelf = this.selfTy;
    this.generics = new Map(fn.generics.map((g): [string, string[]] => [g, fn.bounds?.[g] ?? []]));
    const savedAssoc = this.selfAssoc;
    if (implCtx) this.selfTy = implCtx.selfTy;
    this.selfAssoc = implCtx?.impl?.assocTys;
    const paramsNode = n.childForFieldName('parameters');
    let i = 0;
    for (const p of paramsNode?.namedChildren ?? []) {
      if (p.type === 'self_parameter') {
        const selfTy = implCtx?.selfTy ?? unknown('Self');
        const region = fn.selfRegion ? { region: fn.selfRegion } : {};
        const ty: Ty =
          fn.selfKind === 'ref'
            ? { kind: 'ref', mutable: false, inner: selfTy, ...region }
            : fn.selfKind === 'mut'
              ? { kind: 'ref', mutable: true, inner: selfTy, ...region }
              : selfTy;
        const selfNode = p.namedChildren.find((c) => c.type === 'self') ?? p;
        this.declare('self', fn.selfMutable, null, ty, selfNode, 'self');
      } else if (typedSelfKind(p)) {
        const selfTy = implCtx?.selfTy ?? unknown('Self');
        const region = fn.selfRegion ? { region: fn.selfRegion } : {};
        const ty: Ty = fn.selfKind === 'value' ? selfTy : { kind: 'ref', mutable: fn.selfKind === 'mut', inner: selfTy, ...region };
        this.declare('self', fn.selfMutable, null, ty, p.childForFieldName('pattern') ?? p, 'self');
      } else if (p.type === 'parameter') {
        const patNode = p.childForFieldName('pattern');
        const param = fn.params[i++];
        if (patNode && param) {
          const mutSibling = p.namedChildren.some((c) => c.type === 'mutable_specifier');
          param.pat = this.lowerPat(patNode, 'arg', mutSibling);
        }
      }
    }
    fn.body = this.lowerBlock(body);
    this.generics = saved;
    this.selfTy = savedSelf;
    this.selfAssoc = savedAssoc;
  }

  private declare(name: string, mutable: boolean, byRef: LocalDecl['byRef'], ty: Ty, node: SyntaxNode, kind: LocalDecl['kind']): LocalId {
    const id = this.locals.length;
    const closure = this.currentClosure();
    this.locals.push({ id, name, mutable, byRef, ty, span: this.span(node), kind, ...(closure !== undefined ? { closure } : {}) });
    this.scopes[this.scopes.length - 1].names.set(name, id);
    return id;
  }

  private currentClosure(): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].closure !== undefined) return this.scopes[i].closure;
    return undefined;
  }

  private lookupLocal(name: string): LocalId | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const id = this.scopes[i].names.get(name);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  private withScope<T>(f: () => T, closure?: number): T {
    this.scopes.push({ names: new Map(), ...(closure !== undefined ? { closure } : {}) });
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }

  // --- blocks and statements

  lowerBlock(n: SyntaxNode): Block {
    const savedScope = this.scope;
    try {
      return this.lowerBlockIn(n);
    } finally {
      this.scope = savedScope;
    }
  }

  private lowerBlockIn(n: SyntaxNode): Block {
    return this.withScope(() => {
      const block: Block = { stmts: [], tail: null, span: this.span(n), unsafe: n.type === 'unsafe_block' };
      const inner = n.type === 'block' ? n : (n.namedChildren.find((c) => c.type === 'block') ?? n);
      const children = inner.namedChildren.filter((c) => !isTrivia(c));
      // Items declared in this block (nested fns, structs...) are visible in the whole block:
      // collect them before lowering its statements; their bodies are lowered later.
      if (children.some((c) => NESTED_ITEM_TYPES.has(c.type))) this.declareBlockItems(children);
      children.forEach((c, idx) => {
        const last = idx === children.length - 1;
        switch (c.type) {
          case 'let_declaration': {
            // Missing `;` after a let (`let a = b` newline `foo();`): tree-sitter yields
            // `let a = ERROR(b) foo()`. Recover as rustc does: `let a = b;` then `foo();`.
            const value = c.childForFieldName('value');
            const err = c.namedChildren.find((x) => x.type === 'ERROR');
            const errExprs = err?.namedChildren.filter((x) => isExprLike(x)) ?? [];
            if (
              value &&
              err &&
              err.startIndex < value.startIndex &&
              errExprs.length === 1 &&
              err.startPosition.row < value.startPosition.row + 1
            ) {
              block.stmts.push(this.lowerLet(c, errExprs[0]));
              const expr = this.guardExpr(value);
              if (last) block.tail = expr;
              else block.stmts.push({ kind: 'expr', expr, semi: true, span: this.span(value) });
              break;
            }
            block.stmts.push(this.lowerLet(c));
            break;
          }
          case 'expression_statement': {
            const e = c.namedChildren.find((x) => !isTrivia(x));
            if (!e) break;
            const semi = c.text.trimEnd().endsWith(';');
            const expr = this.guardExpr(e);
            if (last && !semi && isBlockLike(e)) block.tail = expr;
            else block.stmts.push({ kind: 'expr', expr, semi, span: this.span(c) });
            break;
          }
          case 'function_item':
          case 'struct_item':
          case 'enum_item':
          case 'impl_item':
          case 'trait_item':
          case 'const_item':
          case 'static_item':
          case 'use_declaration':
          case 'type_item':
          case 'macro_definition':
          case 'attribute_item':
          case 'empty_statement':
            if (c.type === 'macro_definition') this.defineMacro(c);
            block.stmts.push({ kind: 'item', span: this.span(c) });
            break;
          default: {
            const expr = this.guardExpr(c);
            if (last) block.tail = expr;
            else block.stmts.push({ kind: 'expr', expr, semi: false, span: this.span(c) });
          }
        }
      });
      return block;
    });
  }

  /**
   * Items declared in a block (nested fns, structs, `use`...) are visible in the whole block and
   * in the items declared beside them, not outside: they get a block scope under the body's path
   * (`main::helper`), declared and defined before the block's statements are lowered; their
   * bodies are lowered later. Leaves `this.scope` set to the block scope (the caller restores it).
   */
  private declareBlockItems(children: SyntaxNode[]): void {
    const blockScope = new ItemScope(this.owner, 'block', this.scope);
    children.forEach((c, idx) => {
      if (NESTED_ITEM_TYPES.has(c.type)) this.declareItem(c, attrsAt(children, idx), blockScope);
    });
    // Outer generics and `Self` are not in scope in nested items (rustc E0401).
    const savedGenerics = this.generics;
    const savedSelf = this.selfTy;
    const savedDepth = this.depth;
    this.generics = new Map();
    this.selfTy = undefined;
    try {
      this.defineItems();
    } finally {
      this.generics = savedGenerics;
      this.selfTy = savedSelf;
      this.depth = savedDepth;
    }
    this.scope = blockScope;
  }

  private lowerLet(n: SyntaxNode, initOverride?: SyntaxNode): Stmt {
    const tyNode = n.childForFieldName('type');
    const valueNode = initOverride ?? n.childForFieldName('value');
    const elseNode = n.childForFieldName('alternative');
    // The initializer is lowered before the pattern's bindings come into scope (`let x = x;`).
    let init = valueNode ? this.guardExpr(valueNode) : null;
    // `let x = try!(e);` (edition 2015, where `try` is no keyword) parses as an error node `try!`
    // before the value `(e)`: it is `e?`.
    if (init && valueNode && !initOverride && n.namedChildren.some((c) => c.type === 'ERROR' && c.text.replace(/\s/g, '') === 'try!'))
      init = this.mk(valueNode, { kind: 'try', expr: init });
    const elseBlock = elseNode
      ? this.lowerBlock(elseNode.type === 'else_clause' ? (elseNode.namedChildren[0] ?? elseNode) : elseNode)
      : null;
    const patNode = n.childForFieldName('pattern');
    const mutSibling = n.namedChildren.some((c) => c.type === 'mutable_specifier');
    const pat = patNode ? this.lowerPat(patNode, 'let', mutSibling) : { kind: 'wild' as const, span: this.span(n) };
    const tyAnnot = tyNode ? this.lowerType(tyNode) : null;
    if (tyAnnot && pat.kind === 'binding' && this.locals[pat.local].byRef === null) this.locals[pat.local].ty = tyAnnot;
    return { kind: 'let', pat, tyAnnot, init, elseBlock, span: this.span(n) };
  }

  // --- patterns

  /** Lowers a pattern, declaring its bindings in the current scope. */
  lowerPat(n: SyntaxNode, kind: LocalDecl['kind'], mutable = false): Pat {
    const span = this.span(n);
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return { kind: 'unknown', text: 'nesting too deep', span };
    }
    try {
      switch (n.type) {
        case 'identifier': {
          const name = n.text;
          const path = this.pathPatternOf(name);
          if (path !== undefined) return { kind: 'path', path, span };
          return { kind: 'binding', local: this.declare(name, mutable, null, unknown(), n, kind), span };
        }
        case 'mut_pattern': {
          const inner = n.namedChildren.find((c) => c.type !== 'mutable_specifier');
          return inner ? this.lowerPat(inner, kind, true) : { kind: 'wild', span };
        }
        case 'ref_pattern': {
          // `ref mut x` parses as ref_pattern(mut_pattern(mutable_specifier, identifier)).
          let isMut = n.namedChildren.some((c) => c.type === 'mutable_specifier');
          let inner = n.namedChildren.find((c) => c.type !== 'mutable_specifier');
          if (inner?.type === 'mut_pattern') {
            isMut = true;
            inner = inner.namedChildren.find((c) => c.type !== 'mutable_specifier');
          }
          if (inner?.type === 'identifier') {
            const local = this.declare(inner.text, false, isMut ? 'ref mut' : 'ref', unknown(), inner, kind);
            return { kind: 'binding', local, span };
          }
          if (inner?.type === 'captured_pattern') {
            // `ref z @ ..`, `ref mut w @ Some(_)`: the binding is by reference.
            const [nameNode, sub] = inner.namedChildren;
            const subPat = sub ? this.lowerPat(sub, kind) : undefined;
            const local = this.declare(nameNode.text, false, isMut ? 'ref mut' : 'ref', unknown(), nameNode, kind);
            return { kind: 'binding', local, sub: subPat, span };
          }
          return inner ? this.lowerPat(inner, kind) : { kind: 'wild', span };
        }
        case 'captured_pattern': {
          const [nameNode, sub] = n.namedChildren;
          const subPat = sub ? this.lowerPat(sub, kind) : undefined;
          const local = this.declare(nameNode.text, mutable, null, unknown(), nameNode, kind);
          return { kind: 'binding', local, sub: subPat, span };
        }
        case '_':
          return { kind: 'wild', span };
        case 'remaining_field_pattern':
          return { kind: 'rest', span };
        case 'tuple_pattern': {
          const subs = subPatterns(n);
          // `(p)` without a trailing comma is a parenthesized pattern, not a 1-tuple (Rust
          // reference, "Grouped patterns"; tree-sitter parses both as `tuple_pattern`); `(..)` is a tuple.
          if (subs.length === 1 && subs[0].type !== 'remaining_field_pattern' && !/,\s*\)$/.test(n.text))
            return this.lowerPat(subs[0], kind);
          return { kind: 'tuple', pats: subs.map((c) => this.lowerPat(c, kind)), span };
        }
        case 'slice_pattern':
          return { kind: 'slice', pats: subPatterns(n).map((c) => this.lowerPat(c, kind)), span };
        case 'tuple_struct_pattern': {
          const typeNode = n.childForFieldName('type');
          const pats = subPatterns(n)
            .filter((c) => c.startIndex !== typeNode?.startIndex || c.type !== typeNode?.type)
            .map((c) => this.lowerPat(c, kind));
          // `Foo::<'static>(z)`: the path's generic arguments annotate the scrutinee's type.
          const generic = typeNode?.type === 'generic_type' ? typeNode : undefined;
          const pathNode = generic?.childForFieldName('type') ?? typeNode;
          const userArgs = generic ? this.userArgs(generic.childForFieldName('type_arguments')) : undefined;
          const path = pathNode ? this.patPath(pathNode.text, 'value') : '?';
          return { kind: 'tupleStruct', path, pats, span, ...(userArgs ? { userArgs } : {}) };
        }
        case 'struct_pattern': {
          const typeNode = n.childForFieldName('type');
          const fields: { name: string; pat: Pat }[] = [];
          let rest = false;
          for (const f of n.namedChildren) {
            if (f.type === 'remaining_field_pattern') rest = true;
            if (f.type !== 'field_pattern') continue;
            const nameNode = f.childForFieldName('name');
            const sub = f.childForFieldName('pattern');
            const fname = nameNode?.text ?? '?';
            if (sub) fields.push({ name: fname, pat: this.lowerPat(sub, kind) });
            else {
              const isRef = f.namedChildren.some((c) => c.text === 'ref') || /^ref\b/.test(f.text);
              const isMut = /\bmut\b/.test(f.text);
              const local = this.declare(
                fname,
                isMut && !isRef,
                isRef ? (isMut ? 'ref mut' : 'ref') : null,
                unknown(),
                nameNode ?? f,
                kind,
              );
              fields.push({ name: fname, pat: { kind: 'binding', local, span: this.span(f) } });
            }
          }
          return { kind: 'struct', path: typeNode ? this.patPath(typeNode.text, 'type') : '?', fields, rest, span };
        }
        case 'reference_pattern': {
          const isMut = n.namedChildren.some((c) => c.type === 'mutable_specifier');
          const inner = n.namedChildren.find((c) => c.type !== 'mutable_specifier');
          return { kind: 'ref', mutable: isMut, pat: inner ? this.lowerPat(inner, kind) : { kind: 'wild', span }, span };
        }
        case 'or_pattern': {
          // Each alternative binds the same names; declare from the first, resolve the rest to them.
          const alts = n.namedChildren.filter((c) => !isTrivia(c));
          const first = this.lowerPat(alts[0], kind, mutable);
          const rest = alts.slice(1).map((a) => this.withScope(() => this.lowerPat(a, kind, mutable)));
          return { kind: 'or', pats: [first, ...rest.map((p) => this.rebind(p))], span };
        }
        case 'scoped_identifier':
          return { kind: 'path', path: this.patPath(n.text, 'value'), span };
        case 'range_pattern': {
          const lo = n.childForFieldName('left');
          const hi = n.childForFieldName('right');
          const inclusive = n.children.some((c) => c.type === '..=' || c.type === '...');
          return { kind: 'range', lo: lo ? this.guardExpr(lo) : null, hi: hi ? this.guardExpr(hi) : null, inclusive, span };
        }
        case 'integer_literal':
        case 'float_literal':
        case 'string_literal':
        case 'char_literal':
        case 'boolean_literal':
        case 'negative_literal':
        case 'raw_string_literal':
          return { kind: 'lit', expr: this.guardExpr(n), span };
        case 'match_pattern': {
          const inner = n.namedChildren[0];
          return inner ? this.lowerPat(inner, kind, mutable) : { kind: 'wild', span };
        }
        default:
          this.unsupported(n, `pattern \`${n.type}\``);
          return { kind: 'unknown', text: n.text.slice(0, 40), span };
      }
    } finally {
      this.depth--;
    }
  }

  /** In `A(x) | B(x)`, later alternatives' bindings are the first alternative's locals. */
  private rebind(p: Pat): Pat {
    if (p.kind === 'binding') {
      const name = this.locals[p.local].name;
      const first = this.lookupLocal(name);
      return first !== undefined ? { ...p, local: first } : p;
    }
    if (p.kind === 'tuple' || p.kind === 'slice' || p.kind === 'tupleStruct' || p.kind === 'or')
      return { ...p, pats: p.pats.map((x) => this.rebind(x)) } as Pat;
    if (p.kind === 'struct') return { ...p, fields: p.fields.map((f) => ({ name: f.name, pat: this.rebind(f.pat) })) };
    if (p.kind === 'ref') return { ...p, pat: this.rebind(p.pat) };
    return p;
  }

  /**
   * An identifier pattern that names a constant, unit struct or enum variant instead of binding
   * a new variable: its canonical path (see `patPath`); undefined for a binding.
   */
  private pathPatternOf(name: string): string | undefined {
    const r = this.defs.resolveName(this.scope, name, 'value');
    if (!r) return name === 'None' ? name : undefined;
    if (r.kind === 'const' || r.kind === 'static') return r.key;
    if (r.kind === 'variant') return `${r.adt.key}::${r.name}`;
    if (r.kind === 'adt' && r.shape === 'unit-struct') return r.key;
    return undefined;
  }

  /**
   * A pattern's path (`E::V`, `a::P`, `Self::V`, `Some`) made canonical: a variant of the file as
   * `ADT_KEY::Variant`, a struct as its key, a const as its key; anything else as written.
   */
  private patPath(text: string, ns: 'value' | 'type'): string {
    const written = text.replace(/\s+/g, '');
    const r = this.resolveItemPath(pathSegments(written), ns);
    if (r?.kind === 'variant') return `${r.adt.key}::${r.name}`;
    if (r?.kind === 'adt' || r?.kind === 'const' || r?.kind === 'static') return r.key;
    return written;
  }

  /** Resolves a path in the file's items, `Self::...` included (see `hir/defmap.ts`). */
  private resolveItemPath(segs: string[], ns: 'value' | 'type'): Resolution | undefined {
    if (!segs.length) return undefined;
    if (segs[0] === 'Self') {
      const self = this.selfTy?.kind === 'adt' && !this.selfTy.std ? this.defs.adtByKey(this.selfTy.name) : undefined;
      if (!self) return undefined;
      if (segs.length === 1) return self;
      if (segs.length !== 2) return undefined;
      if (self.variants.has(segs[1])) return { kind: 'variant', adt: self, name: segs[1] };
      const fn = ns === 'value' ? self.assoc.get(segs[1]) : undefined;
      return fn ? { kind: 'fn', key: fn } : undefined;
    }
    return segs.length === 1 ? this.defs.resolveName(this.scope, segs[0], ns) : this.defs.resolvePath(this.scope, segs, ns);
  }

  // --- expressions

  private mk(n: SyntaxNode, k: ExprKind, ty: Ty = unknown()): Expr {
    return { id: this.ids.expr++, span: this.span(n), ty, ...k } as Expr;
  }

  /** Lowers an expression with the depth guard: too deep → `unknown`. Never throws. */
  guardExpr(n: SyntaxNode): Expr {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      if (this.depth === MAX_DEPTH - 1) this.unsupported(n, 'expression nested too deeply');
      return this.mk(n, { kind: 'unknown', text: 'nested too deeply', children: [] });
    }
    try {
      return this.lowerExpr(n);
    } catch (e) {
      this.unsupported(n, `expression could not be lowered: ${(e as Error).message}`);
      return this.mk(n, { kind: 'unknown', text: n.type, children: [] });
    } finally {
      this.depth--;
    }
  }

  private lowerExpr(n: SyntaxNode): Expr {
    switch (n.type) {
      case 'integer_literal':
      case 'float_literal':
      case 'boolean_literal':
      case 'char_literal':
      case 'string_literal':
      case 'raw_string_literal':
        return this.mk(n, { kind: 'lit', lit: lowerLit(n) });
      case 'negative_literal': {
        const inner = n.namedChildren[0];
        const lit = inner ? lowerLit(inner) : { kind: 'int' as const, value: 0n };
        if (lit.kind === 'int') return this.mk(n, { kind: 'lit', lit: { ...lit, value: -lit.value } });
        if (lit.kind === 'float') return this.mk(n, { kind: 'lit', lit: { ...lit, value: -lit.value } });
        return this.mk(n, { kind: 'lit', lit });
      }
      case 'identifier':
      case 'self':
        return this.lowerPath(n, n.text);
      case 'scoped_identifier':
      case 'generic_function': {
        if (n.type === 'generic_function') {
          const f = n.childForFieldName('function');
          if (f?.type === 'field_expression') return this.lowerExpr(f);
          return f ? this.lowerPath(n, f.text.replace(/\s+/g, '')) : this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        }
        return this.lowerPath(n, n.text.replace(/\s+/g, ''));
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((c) => !isTrivia(c));
        return inner ? this.guardExpr(inner) : this.mk(n, { kind: 'tuple', elems: [] });
      }
      case 'unit_expression':
        return this.mk(n, { kind: 'tuple', elems: [] }, UNIT);
      case 'tuple_expression':
        return this.mk(n, {
          kind: 'tuple',
          elems: n.namedChildren.filter((c) => !isTrivia(c) && c.type !== 'attribute_item').map((c) => this.guardExpr(c)),
        });
      case 'array_expression': {
        const len = n.childForFieldName('length');
        if (len) {
          const elem = n.namedChildren.find((c) => c !== len && !isTrivia(c));
          return this.mk(n, {
            kind: 'arrayRepeat',
            elem: elem ? this.guardExpr(elem) : this.mk(n, { kind: 'unknown', text: '', children: [] }),
            count: this.guardExpr(len),
          });
        }
        return this.mk(n, {
          kind: 'array',
          elems: n.namedChildren.filter((c) => !isTrivia(c) && c.type !== 'attribute_item').map((c) => this.guardExpr(c)),
        });
      }
      case 'call_expression':
        return this.lowerCall(n);
      case 'field_expression': {
        const base = n.childForFieldName('value');
        const field = n.childForFieldName('field');
        // `s.` being typed (a missing field name) is rustc's error expression: no use of `s`.
        if (!base || !field || !field.text) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, { kind: 'field', base: this.guardExpr(base), name: field.text, nameSpan: this.span(field) });
      }
      case 'index_expression': {
        const [base, index] = n.namedChildren.filter((c) => !isTrivia(c));
        if (!base || !index) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, { kind: 'index', base: this.guardExpr(base), index: this.guardExpr(index) });
      }
      case 'reference_expression': {
        const value = n.childForFieldName('value');
        const isMut = n.namedChildren.some((c) => c.type === 'mutable_specifier');
        if (!value) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, { kind: 'ref', mutable: isMut, operand: this.guardExpr(value) });
      }
      case 'unary_expression': {
        const op = n.child(0)?.type;
        const operand = n.namedChildren.find((c) => !isTrivia(c));
        if (!operand) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        const e = this.guardExpr(operand);
        if (op === '*') return this.mk(n, { kind: 'unary', op: 'deref', operand: e });
        if (op === '!') return this.mk(n, { kind: 'unary', op: 'not', operand: e });
        if (op === '-') {
          if (e.kind === 'lit' && (e.lit.kind === 'int' || e.lit.kind === 'float')) {
            return this.mk(n, {
              kind: 'lit',
              lit: e.lit.kind === 'int' ? { ...e.lit, value: -e.lit.value } : { ...e.lit, value: -e.lit.value },
            });
          }
          return this.mk(n, { kind: 'unary', op: 'neg', operand: e });
        }
        return this.mk(n, { kind: 'unknown', text: n.text, children: [e] });
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.type as BinOp | undefined;
        if (!l || !r || !op) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, { kind: 'binary', op, lhs: this.guardExpr(l), rhs: this.guardExpr(r) });
      }
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (!l || !r) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        const rhs = this.guardExpr(r);
        return this.mk(n, { kind: 'assign', lhs: this.guardExpr(l), rhs });
      }
      case 'compound_assignment_expr': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const opText = n.childForFieldName('operator')?.type ?? '+=';
        if (!l || !r) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, {
          kind: 'compoundAssign',
          op: opText.replace(/=$/, '') as BinOp,
          lhs: this.guardExpr(l),
          rhs: this.guardExpr(r),
        });
      }
      case 'type_cast_expression': {
        const v = n.childForFieldName('value');
        const t = n.childForFieldName('type');
        if (!v) return this.mk(n, { kind: 'unknown', text: n.text, children: [] });
        return this.mk(n, { kind: 'cast', expr: this.guardExpr(v), target: t ? this.lowerType(t) : unknown() });
      }
      case 'try_expression': {
        const inner = n.namedChildren.find((c) => !isTrivia(c));
        return inner
          ? this.mk(n, { kind: 'try', expr: this.guardExpr(inner) })
          : this.mk(n, { kind: 'unknown', text: n.text, children: [] });
      }
      case 'range_expression': {
        const parts = n.namedChildren.filter((c) => !isTrivia(c));
        const opIdx = n.children.findIndex((c) => c.type === '..' || c.type === '..=' || c.type === '...');
        const op = n.children[opIdx];
        const start = parts.find((p) => p.endIndex <= (op?.startIndex ?? 0)) ?? null;
        const end = parts.find((p) => p.startIndex >= (op?.endIndex ?? Infinity)) ?? null;
        return this.mk(n, {
          kind: 'range',
          start: start ? this.guardExpr(start) : null,
          end: end ? this.guardExpr(end) : null,
          inclusive: op?.type === '..=',
        });
      }
      case 'block':
      case 'unsafe_block':
        return this.mk(n, { kind: 'block', block: this.lowerBlock(n) });
      case 'if_expression':
        return this.lowerIf(n);
      case 'match_expression':
        return this.lowerMatch(n);
      case 'loop_expression': {
        const body = n.childForFieldName('body');
        return this.mk(n, { kind: 'loop', body: body ? this.lowerBlock(body) : emptyBlock(this.span(n)), label: labelOf(n) });
      }
      case 'while_expression': {
        const body = n.childForFieldName('body');
        const condNode = n.childForFieldName('condition');
        return this.withScope(() => {
          const cond = condNode ? this.lowerCond(condNode, 'while-let') : this.mk(n, { kind: 'lit', lit: { kind: 'bool', value: true } });
          return this.mk(n, { kind: 'while', cond, body: body ? this.lowerBlock(body) : emptyBlock(this.span(n)), label: labelOf(n) });
        });
      }
      case 'for_expression': {
        const patNode = n.childForFieldName('pattern');
        const valueNode = n.childForFieldName('value');
        const body = n.childForFieldName('body');
        const iter = valueNode ? this.guardExpr(valueNode) : this.mk(n, { kind: 'unknown', text: '', children: [] });
        return this.withScope(() => {
          const pat = patNode ? this.lowerPat(patNode, 'for') : { kind: 'wild' as const, span: this.span(n) };
          return this.mk(n, { kind: 'for', pat, iter, body: body ? this.lowerBlock(body) : emptyBlock(this.span(n)), label: labelOf(n) });
        });
      }
      case 'break_expression': {
        const value = n.namedChildren.find((c) => c.type !== 'label' && !isTrivia(c));
        return this.mk(n, { kind: 'break', label: labelOf(n), value: value ? this.guardExpr(value) : null });
      }
      case 'continue_expression':
        return this.mk(n, { kind: 'continue', label: labelOf(n) });
      case 'return_expression': {
        const value = n.namedChildren.find((c) => !isTrivia(c));
        return this.mk(n, { kind: 'return', value: value ? this.guardExpr(value) : null });
      }
      case 'closure_expression':
        return this.lowerClosure(n);
      case 'struct_expression':
        return this.lowerStructLit(n);
      case 'macro_invocation':
        return this.lowerMacro(n);
      case 'let_condition':
      case 'let_chain':
        return this.lowerCond(n, 'if-let');
      case 'ERROR': {
        const children = n.namedChildren.filter((c) => isExprLike(c)).map((c) => this.guardExpr(c));
        return this.mk(n, { kind: 'unknown', text: 'syntax error', children });
      }
      default: {
        this.unsupported(n, `expression \`${n.type}\``);
        const children = n.namedChildren.filter((c) => isExprLike(c)).map((c) => this.guardExpr(c));
        return this.mk(n, { kind: 'unknown', text: n.type, children });
      }
    }
  }

  private lowerPath(n: SyntaxNode, text: string): Expr {
    // Generic arguments written on the path: `f::<T>` (a generic_function) and `A::<'a>::f`.
    const own = n.type === 'generic_function' ? this.userArgs(n.childForFieldName('type_arguments')) : undefined;
    const scoped = n.type === 'generic_function' ? n.childForFieldName('function') : n;
    let seg = scoped?.type === 'scoped_identifier' ? scoped.childForFieldName('path') : null;
    // `<A<'a>>::new`: the type in brackets (not `<X as Trait>`).
    if (seg?.type === 'bracketed_type') seg = seg.namedChildren.find((c) => !isTrivia(c)) ?? null;
    const parent = seg?.type === 'generic_type' ? this.userArgs(seg.childForFieldName('type_arguments')) : undefined;
    return this.mk(n, {
      kind: 'path',
      res: this.qualifiedPath(n) ?? this.resolve(text),
      text,
      ...(own ? { userArgs: own } : {}),
      ...(parent ? { selfArgs: parent } : {}),
    });
  }

  /** The generic arguments of a `type_arguments` node, when it has some (`::<&'a u32, 'b>`). */
  private userArgs(n: SyntaxNode | null): UserArgs | undefined {
    const kids = (n?.namedChildren ?? []).filter((a) => !isTrivia(a) && a.type !== 'type_binding');
    if (!kids.length) return undefined;
    return {
      types: kids.filter((a) => a.type !== 'lifetime').map((a) => this.lowerType(a)),
      regions: kids.filter((a) => a.type === 'lifetime').map((a) => a.text.replace(/\s+/g, '')),
    };
  }

  /**
   * `<X as Trait>::m`: the trait method `Trait::m` with `Self` = `X` (type checking finds the
   * impl); `<X>::m` is `X::m`. Undefined for other paths.
   */
  private qualifiedPath(n: SyntaxNode): Res | undefined {
    const path = n.type === 'scoped_identifier' ? n.childForFieldName('path') : null;
    const name = n.childForFieldName('name');
    if (path?.type !== 'bracketed_type' || !name) return undefined;
    const inner = path.namedChildren.find((c) => !isTrivia(c));
    if (inner?.type === 'qualified_type') {
      const tyNode = inner.childForFieldName('type');
      const alias = inner.childForFieldName('alias');
      // `<X as Tr<A>>::m`: a generic trait is taken only when the file has a single impl of it
      // (several `impl Tr<A> for X`, `impl Tr<B> for X` are told apart by arguments not tracked here).
      const generic = alias?.type === 'generic_type';
      const traitNode = generic ? alias.childForFieldName('type') : alias;
      const trait = traitNode ? lastSegment(traitNode.text) : '';
      const single = !generic || this.file.impls.filter((i) => i.traitName === trait).length === 1;
      if (!tyNode || !this.file.traits.has(trait) || !single) return { kind: 'unknown', text: n.text };
      return { kind: 'fn', name: `${trait}::${name.text}`, selfTy: this.lowerType(tyNode) };
    }
    return inner ? this.resolve(`${inner.text.replace(/\s+/g, '')}::${name.text}`) : undefined;
  }

  /**
   * Resolves a value path: locals, then the file's items from the current scope (modules,
   * imports, `Self::`; `hir/defmap.ts`), then the std names the engine models.
   */
  private resolve(text: string): Res {
    const segs = text.split('::').filter((s) => s && !s.startsWith('<'));
    const clean = segs.map((s) => s.replace(/<.*$/, ''));
    if (clean.length === 1) {
      const local = this.lookupLocal(clean[0]);
      if (local !== undefined) return { kind: 'local', local };
    }
    const r = clean.length ? this.resolveItemPath(clean, 'value') : undefined;
    if (r && r.kind !== 'std') return valueRes(r) ?? { kind: 'unknown', text };
    if (clean.length === 1) {
      const name = clean[0];
      if (r?.kind === 'std' && r.path.includes('::')) return { kind: 'std', path: r.path.split('::').slice(-2).join('::') };
      if (STD_PRELUDE_VALUES.has(name)) return { kind: 'std', path: name };
      return { kind: 'unknown', text };
    }
    // std paths: `String::from`, `Vec::new`, `std::mem::drop`, `mem::swap`, `cmp::min`.
    const [ty, item] = clean.slice(-2);
    if (r?.kind === 'std' || STD_TYPE_NAMES.has(ty) || STD_FN_MODULES.has(ty)) {
      // A type of the file that shares a std name (`struct Vec`) is not std.
      const tyRes = this.resolveItemPath(clean.slice(0, -1), 'type');
      if (tyRes && tyRes.kind !== 'std') return { kind: 'unknown', text };
      return { kind: 'std', path: `${ty}::${item}` };
    }
    return { kind: 'unknown', text };
  }

  private lowerCall(n: SyntaxNode): Expr {
    const f = n.childForFieldName('function');
    const argsNode = n.childForFieldName('arguments');
    const args = (argsNode?.namedChildren ?? []).filter((c) => !isTrivia(c) && c.type !== 'attribute_item').map((c) => this.guardExpr(c));
    if (!f) return this.mk(n, { kind: 'unknown', text: n.text, children: args });
    let callee = f;
    let turbofish: Ty[] = [];
    let targs: SyntaxNode | null = null;
    if (callee.type === 'generic_function') {
      targs = callee.childForFieldName('type_arguments');
      turbofish = (targs?.namedChildren ?? []).filter((t) => t.type !== 'lifetime').map((t) => this.lowerType(t));
      callee = callee.childForFieldName('function') ?? callee;
    }
    if (callee.type === 'field_expression') {
      const recv = callee.childForFieldName('value');
      const method = callee.childForFieldName('field');
      if (recv && method) {
        return this.mk(n, {
          kind: 'methodCall',
          receiver: this.guardExpr(recv),
          method: method.text,
          methodSpan: this.span(method),
          args,
          turbofish,
        });
      }
    }
    const calleeExpr = this.guardExpr(callee);
    // `f::<&'a u32>(..)`, `Variant::<T>(..)`: the path's own generic arguments.
    const userArgs = this.userArgs(targs);
    if (userArgs && calleeExpr.kind === 'path') calleeExpr.userArgs = userArgs;
    return this.mk(n, { kind: 'call', callee: calleeExpr, args });
  }

  private lowerIf(n: SyntaxNode): Expr {
    const condNode = n.childForFieldName('condition');
    const thenNode = n.childForFieldName('consequence');
    const altNode = n.childForFieldName('alternative');
    // `if let` bindings are in scope in the then-block only.
    const { cond, then } = this.withScope(() => {
      const cond = condNode ? this.lowerCond(condNode, 'if-let') : this.mk(n, { kind: 'lit', lit: { kind: 'bool', value: true } });
      const then = thenNode ? this.lowerBlock(thenNode) : emptyBlock(this.span(n));
      return { cond, then };
    });
    let els: Expr | null = null;
    if (altNode) {
      const inner = altNode.type === 'else_clause' ? altNode.namedChildren.find((c) => !isTrivia(c)) : altNode;
      if (inner) els = this.guardExpr(inner);
    }
    return this.mk(n, { kind: 'if', cond, then, else: els });
  }

  /** A condition: an expression, `let PAT = EXPR`, or a `&&` chain of them (let chains). */
  private lowerCond(n: SyntaxNode, kind: LocalDecl['kind']): Expr {
    if (n.type === 'let_condition') {
      const valueNode = n.childForFieldName('value');
      const init = valueNode ? this.guardExpr(valueNode) : this.mk(n, { kind: 'unknown', text: '', children: [] });
      const patNode = n.childForFieldName('pattern');
      const pat = patNode ? this.lowerPat(patNode, kind) : { kind: 'wild' as const, span: this.span(n) };
      return this.mk(n, { kind: 'let', pat, init });
    }
    if (n.type === 'let_chain') {
      const parts = n.namedChildren.filter((c) => !isTrivia(c)).map((c) => this.lowerCond(c, kind));
      return parts.reduce(
        (acc, p) =>
          ({
            id: this.ids.expr++,
            span: { start: acc.span.start, end: p.span.end },
            ty: unknown(),
            kind: 'binary',
            op: '&&',
            lhs: acc,
            rhs: p,
          }) as Expr,
      );
    }
    return this.guardExpr(n);
  }

  private lowerMatch(n: SyntaxNode): Expr {
    const valueNode = n.childForFieldName('value');
    const scrutinee = valueNode ? this.guardExpr(valueNode) : this.mk(n, { kind: 'unknown', text: '', children: [] });
    const arms: MatchArm[] = [];
    for (const a of n.childForFieldName('body')?.namedChildren ?? []) {
      if (a.type !== 'match_arm') continue;
      arms.push(
        this.withScope(() => {
          const mp = a.childForFieldName('pattern');
          const patNode = mp?.type === 'match_pattern' ? mp.namedChildren.find((c) => c !== mp.childForFieldName('condition')) : mp;
          const guardNode = mp?.childForFieldName('condition');
          const pat = patNode ? this.lowerPat(patNode, 'match') : { kind: 'wild' as const, span: this.span(a) };
          const guard = guardNode ? this.lowerCond(guardNode, 'if-let') : null;
          const valueNode2 = a.childForFieldName('value');
          const body = valueNode2 ? this.guardExpr(valueNode2) : this.mk(a, { kind: 'tuple', elems: [] });
          return { pat, guard, body, span: this.span(a) };
        }),
      );
    }
    return this.mk(n, { kind: 'match', scrutinee, arms });
  }

  private lowerClosure(n: SyntaxNode): Expr {
    const closureId = this.ids.closure++;
    const isMove = n.children.some((c) => c.type === 'move');
    // rustc's DefPath for closures: `main::{closure#0}`, numbered per parent body in source order.
    const index = this.closureCounts.get(this.owner) ?? 0;
    this.closureCounts.set(this.owner, index + 1);
    const name = `${this.owner}::{closure#${index}}`;
    const savedOwner = this.owner;
    this.owner = name;
    try {
      return this.lowerClosureIn(n, closureId, isMove, name);
    } finally {
      this.owner = savedOwner;
    }
  }

  /** A closure's `|params|` span (undefined when tree-sitter did not find it). */
  private closureHead(n: SyntaxNode): Span | undefined {
    const ps = n.childForFieldName('parameters');
    return ps ? this.span(ps) : undefined;
  }

  private lowerClosureIn(n: SyntaxNode, closureId: number, isMove: boolean, name: string): Expr {
    return this.withScope(() => {
      const params: Param[] = [];
      // `|_|`: the wildcard is an anonymous token of the grammar, not a named child.
      const ps = n.childForFieldName('parameters')?.children.filter((c) => c.isNamed || c.type === '_') ?? [];
      for (const p of ps) {
        const patNode = p.type === 'parameter' ? p.childForFieldName('pattern') : p;
        const tyNode = p.type === 'parameter' ? p.childForFieldName('type') : null;
        if (!patNode) continue;
        const mutSibling = p.namedChildren.some((c) => c.type === 'mutable_specifier');
        const pat = this.lowerPat(patNode, 'closure-param', mutSibling);
        const ty = tyNode ? this.lowerType(tyNode) : unknown();
        if (pat.kind === 'binding' && tyNode) this.locals[pat.local].ty = ty;
        params.push({ pat, ty, span: this.span(p) });
      }
      const bodyNode = n.childForFieldName('body');
      const body = bodyNode ? this.guardExpr(bodyNode) : this.mk(n, { kind: 'tuple', elems: [] });
      const e = this.mk(
        n,
        { kind: 'closure', name, params, body, moveCapture: isMove, captures: [], head: this.closureHead(n) },
        { kind: 'closure', id: closureId, moveCapture: isMove },
      );
      return e;
    }, closureId);
  }

  private lowerStructLit(n: SyntaxNode): Expr {
    const nameNode = n.childForFieldName('name');
    const path =
      nameNode?.text
        .replace(/\s+/g, '')
        .replace(/::<.*>$/, '')
        .replace(/<.*>$/, '') ?? '?';
    const segs = pathSegments(path);
    let adt = segs[segs.length - 1] ?? '?';
    let variant: string | undefined;
    const r = this.resolveItemPath(segs, 'type');
    if (r?.kind === 'adt') adt = r.key;
    else if (r?.kind === 'variant') {
      adt = r.adt.key;
      variant = r.name;
    } else if (adt === 'Self' && this.selfTy) adt = displayImplName(this.selfTy);
    const fields: { name: string; expr: Expr; span: Span }[] = [];
    let base: Expr | null = null;
    for (const f of n.childForFieldName('body')?.namedChildren ?? []) {
      if (f.type === 'shorthand_field_initializer') {
        const id = f.namedChildren[0] ?? f;
        fields.push({ name: id.text, expr: this.lowerPath(id, id.text), span: this.span(f) });
      } else if (f.type === 'field_initializer') {
        const fname = f.childForFieldName('field') ?? f.childForFieldName('name');
        const value = f.childForFieldName('value');
        if (fname && value) fields.push({ name: fname.text, expr: this.guardExpr(value), span: this.span(f) });
      } else if (f.type === 'base_field_initializer') {
        const inner = f.namedChildren[0];
        if (inner) base = this.guardExpr(inner);
      }
    }
    const userArgs = this.userArgs(nameNode?.childForFieldName('type_arguments') ?? null);
    return this.mk(n, { kind: 'structLit', path, adt, variant, fields, base, ...(userArgs ? { userArgs } : {}) });
  }

  // --- macros

  private lowerMacro(n: SyntaxNode): Expr {
    const macroNode = n.childForFieldName('macro') ?? n.namedChildren[0];
    const name = lastSegment(macroNode?.text ?? '');
    const tt = n.namedChildren.find((c) => c.type === 'token_tree');
    if (!tt) return this.mk(n, { kind: 'unknown', text: `${name}!`, children: [] });
    const rules = this.macros.get(name);
    if (rules) return this.expandUserMacro(n, name, rules, tt);
    if (name === 'cfg') {
      // `cfg!(..)` is a `bool` literal when the target's configuration decides it (`syntax/cfg.ts`).
      const value = cfgValue(tt.text.slice(1, -1));
      if (value !== null) return this.mk(n, { kind: 'lit', lit: { kind: 'bool', value } }, { kind: 'bool' });
    }
    const isKnown =
      FORMAT_MACROS.has(name) ||
      WRITE_MACROS.has(name) ||
      ASSERT_MACROS.has(name) ||
      name === 'vec' ||
      name === 'dbg' ||
      name === 'matches';
    if (!isKnown) {
      const writes = new Set<LocalId>();
      const walk = (x: SyntaxNode, d: number): void => {
        if (d > 200) return;
        if (x.type === 'identifier') {
          const l = this.lookupLocal(x.text);
          if (l !== undefined) writes.add(l);
        }
        for (const c of x.namedChildren) walk(c, d + 1);
      };
      walk(tt, 0);
      return this.mk(n, { kind: 'unknown', text: `${name}!`, children: [], ...(writes.size ? { writes: [...writes] } : {}) });
    }
    const inner = tt.text.slice(1, -1);
    if (name === 'matches') {
      const expanded = this.expandMatches(n, tt);
      if (expanded) return expanded;
    }
    const args = this.reparseArgs(tt, inner, name === 'vec' ? 'array' : 'call');
    if (!args) return this.mk(n, { kind: 'unknown', text: `${name}!`, children: [] });
    if (name === 'vec') {
      const arr = args.exprs[0];
      if (arr?.kind === 'arrayRepeat') return this.mk(n, { kind: 'vec', elems: [arr.elem], repeat: arr.count });
      if (arr?.kind === 'array') return this.mk(n, { kind: 'vec', elems: arr.elems, repeat: null });
      return this.mk(n, { kind: 'vec', elems: [], repeat: null });
    }
    if (name === 'dbg') return this.mk(n, { kind: 'dbg', args: args.exprs });
    if (name === 'matches') {
      const first = args.exprs[0];
      return this.mk(n, {
        kind: 'unknown',
        text: 'matches!',
        children: first ? [this.mk(n, { kind: 'ref', mutable: false, operand: first })] : [],
      });
    }
    if (ASSERT_MACROS.has(name)) {
      const nOperands = name.endsWith('_eq') || name.endsWith('_ne') ? 2 : 1;
      const operands = args.exprs.slice(0, nOperands);
      const rest = args.nodes.slice(nOperands);
      const message = rest.length ? this.formatFrom('format', rest, args, nOperands) : null;
      return this.mk(n, { kind: 'assert', macro: name, args: operands, message });
    }
    if (WRITE_MACROS.has(name)) {
      const fmt = this.formatFrom(name, args.nodes.slice(1), args, 1);
      if (fmt.kind === 'format' && args.exprs[0]) {
        fmt.args.unshift(args.exprs[0]);
        for (const p of fmt.pieces) if (p.kind === 'arg') p.index++;
      }
      return { ...fmt, id: this.ids.expr++, span: this.span(n) };
    }
    const fmt = this.formatFrom(name, args.nodes, args, 0);
    return { ...fmt, id: this.ids.expr++, span: this.span(n) };
  }

  /**
   * Builds a `format` expression from macro arguments: the first is the format string, the rest
   * are positional or `name = value` arguments; `{name}` captures a local implicitly.
   */
  private formatFrom(macro: string, nodes: SyntaxNode[], args: { exprs: Expr[]; nodes: SyntaxNode[]; map: PosMap }, offset: number): Expr {
    const span = nodes[0]
      ? this.withMap(args.map, () => this.span(nodes[0]))
      : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const fmtNode = nodes[0];
    const exprs: Expr[] = [];
    const named = new Map<string, number>();
    for (let i = 1; i < nodes.length; i++) {
      const node = nodes[i];
      const e = args.exprs[offset + i];
      if (node.type === 'assignment_expression' && node.childForFieldName('left')?.type === 'identifier' && e?.kind === 'assign') {
        named.set(node.childForFieldName('left')!.text, exprs.length);
        exprs.push(e.rhs);
      } else if (e) exprs.push(e);
    }
    const pieces: FormatPiece[] = [];
    if (fmtNode && (fmtNode.type === 'string_literal' || fmtNode.type === 'raw_string_literal')) {
      const raw = fmtNode.text;
      let next = 0;
      const re = /\{\{|\}\}|\{([^{}]*)\}/g;
      let last = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(raw))) {
        if (m[0] === '{{' || m[0] === '}}') continue;
        pieces.push({ kind: 'text', text: raw.slice(last, m.index) });
        last = m.index + m[0].length;
        const colon = m[1].indexOf(':');
        const argPart = colon < 0 ? m[1] : m[1].slice(0, colon);
        let spec = colon < 0 ? '' : m[1].slice(colon + 1);
        const argName = argPart.trim();
        const indexOf = (name: string, at: number): number => {
          if (/^\d+$/.test(name)) return Number(name);
          if (named.has(name)) return named.get(name)!;
          // implicit capture of a variable: `{x}` borrows `x` (Rust 2021 format_args capture)
          const start = offsetToPos(fmtNode.startPosition, raw, at);
          const end = offsetToPos(fmtNode.startPosition, raw, at + name.length);
          const capSpan = this.withMap(args.map, () => ({ start: this.pos(start), end: this.pos(end) }));
          const e: Expr = { id: this.ids.expr++, span: capSpan, ty: unknown(), kind: 'path', res: this.resolve(name), text: name };
          named.set(name, exprs.length);
          exprs.push(e);
          return exprs.length - 1;
        };
        // Counts as arguments (std::fmt "Width", "Precision"): `name$` becomes the argument's
        // index `N$`; `.*` takes the next positional argument as the precision, before the value.
        spec = spec.replace(/(\.?)([A-Za-z_][A-Za-z0-9_]*)\$/g, (_all, dot: string, name: string) => {
          return `${dot}${indexOf(name, m!.index + 1 + (colon < 0 ? 0 : colon + 1) + spec.indexOf(name))}$`;
        });
        if (spec.includes('.*')) spec = spec.replace('.*', `.${next++}$`);
        const index = argName === '' ? next++ : indexOf(argName, m.index + 1);
        pieces.push({ kind: 'arg', index, spec });
      }
      pieces.push({ kind: 'text', text: raw.slice(last) });
    } else if (fmtNode) {
      // `panic!(value)` in 2018 style or a non-literal: treat it as an argument.
      const e = args.exprs[offset];
      if (e) exprs.unshift(e);
    }
    return { id: this.ids.expr++, span, ty: unknown(), kind: 'format', macro, pieces, args: exprs };
  }

  private withMap<T>(map: PosMap, f: () => T): T {
    const saved = this.posMap;
    this.posMap = map;
    try {
      return f();
    } finally {
      this.posMap = saved;
    }
  }

  /**
   * `matches!(EXPR, PAT)` / `matches!(EXPR, PAT if GUARD)` as core defines it:
   * `match EXPR { PAT => true, _ => false }`, parsed and lowered in the invocation's place with
   * every position mapped to the invocation's start. The token tree's first top-level `,` splits
   * the expression from the pattern. Undefined when the expansion does not parse.
   */
  private expandMatches(n: SyntaxNode, tt: SyntaxNode): Expr | undefined {
    const comma = tt.children.find((c) => c.type === ',');
    if (!comma || this.macroDepth >= 32) return undefined;
    const inner = tt.text.slice(1, -1);
    // Tree-sitter indices count UTF-8 bytes; the text is UTF-16.
    const end = Buffer.from(tt.text, 'utf8')
      .subarray(1, comma.startIndex - tt.startIndex)
      .toString('utf8').length;
    const rest = inner.slice(end + 1).replace(/,\s*$/, '');
    if (end <= 0 || end > inner.length || !rest.trim()) return undefined;
    const prefix = 'fn __m(){';
    const { root } = parseMirror(`${prefix}{match ${inner.slice(0, end)} { ${rest} => true, _ => false }}}`);
    const block = root.namedChildren[0]?.childForFieldName('body')?.namedChildren[0];
    const blockExpr = block?.type === 'expression_statement' ? block.namedChildren[0] : block;
    if (!blockExpr || blockExpr.type !== 'block' || blockExpr.hasError) return undefined;
    const at = this.pos(n.startPosition);
    const outer = this.posMap;
    this.macroDepth++;
    try {
      this.posMap = () => at;
      return this.guardExpr(blockExpr);
    } finally {
      this.posMap = outer;
      this.macroDepth--;
    }
  }

  /** Records a `macro_rules!` definition (a later one of the same name replaces it, as in rustc). */
  private defineMacro(n: SyntaxNode): void {
    const def = parseMacroRules(n.text);
    if (def) this.macros.set(def.name, def.rules);
  }

  /**
   * A user macro's invocation: its expansion (`macroRules.ts`) parsed as a block and lowered in
   * the invocation's place, every position mapped to the invocation's start (rustc points into
   * the macro's definition; we point at the call). No rule matches, or nested too deeply:
   * `unknown`, as an unmodelled macro.
   */
  private expandUserMacro(n: SyntaxNode, name: string, rules: MacroRule[], tt: SyntaxNode): Expr {
    const unknownCall = (): Expr => {
      this.unsupported(n, `the expansion of \`${name}!\``);
      return this.mk(n, { kind: 'unknown', text: `${name}!`, children: [] });
    };
    if (this.macroDepth >= 32) return unknownCall();
    const text = expandMacro(rules, tt.text.slice(1, -1));
    if (text === undefined || text.length > 200_000) return unknownCall();
    const prefix = 'fn __m(){';
    const { root } = parseMirror(`${prefix}{${text}}}`);
    const block = root.namedChildren[0]?.childForFieldName('body')?.namedChildren[0];
    const inner = block?.type === 'expression_statement' ? block.namedChildren[0] : block;
    if (!inner || inner.type !== 'block' || inner.hasError) return unknownCall();
    const at = this.pos(n.startPosition);
    const outer = this.posMap;
    this.macroDepth++;
    try {
      this.posMap = () => at;
      return this.guardExpr(inner);
    } finally {
      this.posMap = outer;
      this.macroDepth--;
    }
  }

  /**
   * Re-parses a macro's token text as call arguments (`__f(ARGS)`) or an array (`[ARGS]`) and
   * lowers each argument with positions mapped back into the file. Undefined when it does not
   * parse as such.
   */
  private reparseArgs(
    tt: SyntaxNode,
    inner: string,
    as: 'call' | 'array',
  ): { exprs: Expr[]; nodes: SyntaxNode[]; map: PosMap } | undefined {
    if (inner.length > 200_000) return undefined;
    const prefix = as === 'call' ? 'fn __m(){__f(' : 'fn __m(){let _=[';
    const suffix = as === 'call' ? ');}' : '];}';
    const { root } = parseMirror(prefix + inner + suffix);
    const body = root.namedChildren[0]?.childForFieldName('body');
    const stmt = body?.namedChildren[0];
    let container: SyntaxNode | null | undefined;
    if (as === 'call') {
      const call = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : stmt;
      container = call?.type === 'call_expression' ? call.childForFieldName('arguments') : undefined;
    } else {
      container = stmt?.type === 'let_declaration' ? stmt.childForFieldName('value') : undefined;
    }
    if (!container || container.hasError) return undefined;
    const origin = tt.startPosition;
    const outer = this.posMap;
    const map: PosMap = (p) => {
      const q =
        p.line === 0
          ? { line: origin.row, character: origin.column + 1 + (p.character - prefix.length) }
          : { line: origin.row + p.line, character: p.character };
      return outer ? outer(q) : q;
    };
    const nodes = as === 'call' ? container.namedChildren.filter((c) => !isTrivia(c)) : [container];
    const exprs = this.withMap(map, () => nodes.map((c) => this.guardExpr(c)));
    return { exprs, nodes, map };
  }

  // --- types

  /** Lowers a type node; names not defined in the file and not modelled from std are `unknown`. */
  lowerType(n: SyntaxNode): Ty {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return unknown('type nested too deeply');
    }
    try {
      return this.lowerTypeInner(n);
    } finally {
      this.depth--;
    }
  }

  private lowerTypeInner(n: SyntaxNode): Ty {
    switch (n.type) {
      case 'primitive_type':
        return primitiveTy(n.text) ?? unknown(n.text);
      case 'unit_type':
        return UNIT;
      case 'never_type':
        return { kind: 'never' };
      case 'type_identifier':
        return this.namedType(n.text, []);
      case 'scoped_type_identifier':
        return this.pathType(n.text, []);
      case 'generic_type': {
        const base = n.childForFieldName('type');
        const argsNode = n.childForFieldName('type_arguments');
        const regions = (argsNode?.namedChildren ?? []).filter((a) => a.type === 'lifetime').map((a) => a.text.replace(/\s+/g, ''));
        const args = (argsNode?.namedChildren ?? [])
          .filter((a) => a.type !== 'lifetime' && a.type !== 'type_binding' && !isTrivia(a))
          .map((a) => this.lowerType(a));
        const t = base?.type === 'scoped_type_identifier' ? this.pathType(base.text, args) : this.namedType(base?.text ?? '', args);
        return regions.length && t.kind === 'adt' ? { ...t, regions } : t;
      }
      case 'reference_type': {
        const inner = n.childForFieldName('type');
        const lifetime = n.namedChildren.find((c) => c.type === 'lifetime');
        const t: Ty = {
          kind: 'ref',
          mutable: n.namedChildren.some((c) => c.type === 'mutable_specifier'),
          inner: inner ? this.lowerType(inner) : unknown(),
        };
        if (lifetime) t.region = lifetime.text.replace(/\s+/g, '');
        return t;
      }
      case 'pointer_type': {
        const inner = n.childForFieldName('type');
        return {
          kind: 'rawptr',
          mutable: n.children.some((c) => c.type === 'mut' || c.type === 'mutable_specifier'),
          inner: inner ? this.lowerType(inner) : unknown(),
        };
      }
      case 'tuple_type': {
        const elems = n.namedChildren.filter((c) => !isTrivia(c));
        // `(T)` without a comma is T in parentheses (`&(dyn Error + 'static)`), not a 1-tuple `(T,)`.
        if (elems.length === 1 && !n.children.some((c) => c.type === ',')) return this.lowerType(elems[0]);
        return { kind: 'tuple', elems: elems.map((c) => this.lowerType(c)) };
      }
      case 'array_type': {
        const elem = n.childForFieldName('element');
        const len = n.childForFieldName('length');
        const elemTy = elem ? this.lowerType(elem) : unknown();
        if (!len) return { kind: 'slice', elem: elemTy };
        return { kind: 'array', elem: elemTy, len: len.type === 'integer_literal' ? Number(parseIntLit(len.text).value) : null };
      }
      case 'function_type': {
        // `fn(&'a mut T) -> R`: a fn pointer's signature. A higher-ranked one (`for<'a> fn(..)`)
        // keeps its parameters with their lifetimes erased (they are the pointer's own, bound by
        // `for<..>`, not the enclosing item's); one with a trait object parameter, and variadics,
        // keep their parameters unknown. A result holding a reference stays unknown: its elided
        // lifetimes are the pointer's own (higher-ranked), which the engine does not relate to the
        // arguments.
        const params: Ty[] = [];
        const higherRanked = n.namedChildren.some((c) => c.type === 'for_lifetimes');
        let known = !n.childForFieldName('trait');
        for (const c of n.childForFieldName('parameters')?.namedChildren ?? []) {
          if (isTrivia(c) || c.type === 'attribute_item') continue;
          const t =
            c.type === 'parameter'
              ? c.childForFieldName('type')
              : c.type === 'variadic_parameter' || c.type === 'self_parameter'
                ? null
                : c;
          if (!t) known = false;
          else if (!higherRanked) params.push(this.lowerType(t));
          else {
            const erased = eraseRegions(this.lowerType(t), 0);
            if (erased) params.push(erased);
            else known = false;
          }
        }
        const retNode = n.childForFieldName('return_type');
        if (!known) return { kind: 'fn', params: [], ret: unknown() };
        const refInRet = !!retNode && /[&']/.test(retNode.text);
        return { kind: 'fn', params, ret: !retNode ? UNIT : refInRet ? unknown() : this.lowerType(retNode) };
      }
      case 'dynamic_type':
      case 'abstract_type':
        return this.opaqueType(n, n);
      case 'bounded_type': {
        // `dyn Foo + Send + 'a`, `impl Fn() + 'a`: the trait object or opaque type, with its
        // text keeping the lifetime bounds (`hir/lifetimes.ts` reads them).
        let head = n.namedChildren.find((c) => !isTrivia(c));
        for (let i = 0; i < 8 && head?.type === 'bounded_type'; i++) head = head.namedChildren.find((c) => !isTrivia(c));
        if (head?.type !== 'dynamic_type' && head?.type !== 'abstract_type') return unknown(n.text);
        const t = this.lowerType(head);
        return t.kind === 'opaque' ? { ...t, text: n.text } : t;
      }
      case 'lifetime':
        return unknown(n.text);
      default:
        return unknown(`type \`${n.text.slice(0, 40)}\``);
    }
  }

  /** `dyn Trait` / `impl Trait` (`head`), written as `n` (with its `+ 'a` bounds when `n` is a `bounded_type`). */
  private opaqueType(n: SyntaxNode, head: SyntaxNode): Ty {
    const t: Ty = { kind: 'opaque', text: n.text, dyn: head.type === 'dynamic_type' };
    // `dyn Fn(i32) -> i32`: the closure traits' sugar says what a call takes and returns.
    const f = head.namedChildren.find((c) => c.type === 'function_type');
    const trait = f?.childForFieldName('trait')?.text;
    if (f && (trait === 'Fn' || trait === 'FnMut' || trait === 'FnOnce')) {
      const params = (f.childForFieldName('parameters')?.namedChildren ?? []).filter((c) => !isTrivia(c)).map((c) => this.lowerType(c));
      const ret = f.childForFieldName('return_type');
      t.call = { params, ret: ret ? this.lowerType(ret) : UNIT };
    }
    return t;
  }

  /** A type written as a path (`a::P`, `crate::m::P<T>`, `std::rc::Rc<T>`, `Self::Item`). */
  private pathType(text: string, args: Ty[]): Ty {
    const segs = pathSegments(text);
    if (segs[0] === 'Self' && segs.length === 2 && args.length === 0 && this.selfAssoc && Object.hasOwn(this.selfAssoc, segs[1]))
      return this.selfAssoc[segs[1]];
    if (segs[0] === 'Self' && segs.length > 1) return unknown(`associated type \`${text.replace(/\s+/g, '')}\``);
    const r = this.resolveItemPath(segs, 'type');
    if (r?.kind === 'adt') return { kind: 'adt', name: r.key, args };
    if (r?.kind === 'std') return this.namedType(segs[segs.length - 1], args, true);
    return unknown(`type \`${text.replace(/\s+/g, '')}\` is not defined in this file`);
  }

  /**
   * The type of the generic parameter `name` bounded by `bounds`: the supertraits of the bounds
   * that are traits of this file are added to `bounds` (transitively; Rust reference, "Traits:
   * supertraits"), and such traits listed in `localTraits`. A file trait whose bounds are not all
   * known (a `where` clause, generic parameters, a supertrait path that does not resolve) is left
   * out of `localTraits`, so Copy-ness stays unknown.
   */
  private paramTy(name: string, bounds: string[]): Ty {
    const all = [...bounds];
    const local: string[] = [];
    for (let i = 0; i < all.length && i < 64; i++) {
      const r = this.defs.resolveName(this.scope, all[i], 'type');
      if (r?.kind !== 'trait') continue;
      if (!r.supertraits) continue;
      local.push(all[i]);
      for (const s of r.supertraits) if (!all.includes(s)) all.push(s);
    }
    if (!local.length) return { kind: 'param', name, bounds };
    return { kind: 'param', name, bounds: all, localTraits: local };
  }

  /** A type named by one identifier, resolved from the current scope (generics, items, imports, prelude). */
  private namedType(name: string, args: Ty[], viaStdPath = false): Ty {
    // `_`: a hole the type inference fills (`let v: Vec<_> = ...`).
    if (name === '_') return unknown('_');
    if (this.generics.has(name)) return this.paramTy(name, this.generics.get(name) ?? []);
    if (name === 'Self') return this.selfTy ?? unknown('Self');
    const prim = primitiveTy(name);
    if (prim) return prim;
    const alias = viaStdPath ? undefined : this.typeAliases.get(name);
    if (alias && !this.expandingAliases.has(name)) return this.expandAlias(name, alias, args);
    const r = viaStdPath ? undefined : this.defs.resolveName(this.scope, name, 'type');
    if (r?.kind === 'adt') return { kind: 'adt', name: r.key, args };
    if (r?.kind === 'std') {
      const real = lastSegment(r.path) || name;
      return STD_TYPE_NAMES.has(real) ? { kind: 'adt', name: real, args, std: true } : unknown(`type \`${name}\` from std is not modelled`);
    }
    if (r) return unknown(`type \`${name}\` is imported; its definition is not in this file`);
    // Prelude types are always std; the others only when imported from std (or written with a std path).
    if (STD_PRELUDE_TYPES.has(name) || (STD_TYPE_NAMES.has(name) && (viaStdPath || this.stdGlobImports(name))))
      return { kind: 'adt', name, args, std: true };
    return unknown(`type \`${name}\` is not defined in this file`);
  }

  /** `Name<args>` of `type Name<P..> = T;`: `T` lowered in the alias's scope, its parameters replaced by `args` (missing ones unknown). */
  private expandAlias(name: string, alias: { params: string[]; node: SyntaxNode; scope: ItemScope }, args: Ty[]): Ty {
    const savedGenerics = this.generics;
    this.expandingAliases.add(name);
    this.generics = new Map(alias.params.map((p): [string, string[]] => [p, []]));
    try {
      const t = this.inScope(alias.scope, () => this.lowerType(alias.node));
      return substitute(t, new Map(alias.params.map((p, i) => [p, args[i] ?? unknown(`parameter \`${p}\` of \`${name}\``)])));
    } finally {
      this.generics = savedGenerics;
      this.expandingAliases.delete(name);
    }
  }

  /** Whether a `use std::collections::*`-style glob in scope brings in the std type `name`. */
  private stdGlobImports(name: string): boolean {
    for (let s: ItemScope | undefined = this.scope; s; s = s.kind === 'block' ? s.parent : undefined) {
      for (const g of s.globs) {
        if (['std', 'core', 'alloc'].includes(g[0]) && stdTypesOfModule(g[g.length - 1]).includes(name)) return true;
      }
    }
    return false;
  }
}

// --- helpers

function emptyLocal(): LocalDecl {
  return {
    id: 0,
    name: '',
    mutable: false,
    byRef: null,
    ty: unknown(),
    span: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    kind: 'let',
  };
}

function emptyBlock(span: Span): Block {
  return { stmts: [], tail: null, span, unsafe: false };
}

/**
 * The element patterns of a tuple, tuple-struct or slice pattern, in order. `_` is an anonymous
 * node in tree-sitter-rust, so `namedChildren` alone would drop it and shift the positions of
 * the patterns after it.
 */
function subPatterns(n: SyntaxNode): SyntaxNode[] {
  return n.children.filter((c) => (c.isNamed || c.type === '_') && !isTrivia(c));
}

function isTrivia(n: SyntaxNode): boolean {
  return n.type === 'line_comment' || n.type === 'block_comment' || n.type === 'doc_comment';
}

function isBlockLike(n: SyntaxNode): boolean {
  return ['if_expression', 'match_expression', 'loop_expression', 'while_expression', 'for_expression', 'block', 'unsafe_block'].includes(
    n.type,
  );
}

function isExprLike(n: SyntaxNode): boolean {
  return (
    !isTrivia(n) &&
    !n.type.endsWith('_type') &&
    n.type !== 'type_identifier' &&
    n.type !== 'label' &&
    n.type !== 'lifetime' &&
    n.type !== 'mutable_specifier' &&
    n.type !== 'type_arguments'
  );
}

function labelOf(n: SyntaxNode): string | undefined {
  const l = n.namedChildren.find((c) => c.type === 'label');
  return l ? l.text.replace(/^'/, '') : undefined;
}

/** Where a unit's FnDef goes until `lowerUnit` or `adoptUnit` puts it there (never read). */
const PENDING_FN: FnDef = Object.freeze({
  name: '',
  qualName: '',
  selfKind: null,
  selfMutable: false,
  generics: [],
  lifetimes: [],
  params: [],
  ret: UNIT,
  body: null,
  locals: [],
  span: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  nameSpan: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
}) as FnDef;

/** The attributes' text (`#[derive(Clone)]`), as part of what an item's meaning depends on. */
function attrsText(attrs: SyntaxNode[]): string {
  return attrs.map((a) => a.text).join('\n');
}

/** The identifiers in a text (over-approximate: words in strings and comments count too). */
export function identifiers(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** The name of a fn item in an impl or trait body, undefined for other items. */
function fnItemName(n: SyntaxNode): string | undefined {
  if (n.type !== 'function_item' && n.type !== 'function_signature_item') return undefined;
  return n.childForFieldName('name')?.text;
}

/** How an ADT's name is used: a unit or tuple struct's name is also a value (its constructor). */
function adtShape(n: SyntaxNode): AdtEntry['shape'] {
  if (n.type === 'enum_item') return 'enum';
  if (n.type === 'union_item') return 'union';
  const body = n.childForFieldName('body') ?? n.namedChildren.find((c) => c.type === 'ordered_field_declaration_list');
  return !body ? 'unit-struct' : body.type === 'ordered_field_declaration_list' ? 'tuple-struct' : 'struct';
}

function variantShapes(n: SyntaxNode): [string, VariantShape][] {
  const out: [string, VariantShape][] = [];
  for (const v of n.childForFieldName('body')?.namedChildren ?? []) {
    if (v.type !== 'enum_variant') continue;
    const body = v.childForFieldName('body');
    out.push([v.childForFieldName('name')?.text ?? '?', !body ? 'unit' : body.type === 'field_declaration_list' ? 'struct' : 'tuple']);
  }
  return out;
}

/** A path's segments without generic arguments or whitespace (`a::P<T>` → `a`, `P`). */
function pathSegments(text: string): string[] {
  return text
    .replace(/\s+/g, '')
    .replace(/::<.*$/, '')
    .replace(/<.*$/, '')
    .split('::')
    .filter(Boolean);
}

/** A resolved item as a value (`Res`); undefined for items that are not values (modules, traits). */
function valueRes(r: Resolution): Res | undefined {
  switch (r.kind) {
    case 'fn':
      return { kind: 'fn', name: r.key };
    case 'const':
    case 'static':
      return { kind: r.kind, name: r.key };
    case 'adt':
      return r.shape === 'unit-struct' || r.shape === 'tuple-struct' ? { kind: 'ctor', adt: r.key } : undefined;
    case 'variant':
      return { kind: 'ctor', adt: r.adt.key, variant: r.name };
    default:
      return undefined;
  }
}

function lastSegment(s: string): string {
  const parts = s.trim().split('::');
  return parts[parts.length - 1].trim();
}

function displayImplName(t: Ty): string {
  return t.kind === 'adt' ? t.name : t.kind === 'unknown' ? '?' : t.kind === 'param' ? t.name : t.kind;
}

function primitiveTy(name: string): Ty | undefined {
  if ((INT_NAMES as readonly string[]).includes(name)) return { kind: 'int', name: name as (typeof INT_NAMES)[number] };
  if ((FLOAT_NAMES as readonly string[]).includes(name)) return { kind: 'float', name: name as (typeof FLOAT_NAMES)[number] };
  if (name === 'bool') return { kind: 'bool' };
  if (name === 'char') return { kind: 'char' };
  if (name === 'str') return { kind: 'str' };
  return undefined;
}

/** Position of `offset` (UTF-16 units) within `text` that starts at `start`. */
function offsetToPos(start: { row: number; column: number }, text: string, offset: number): { row: number; column: number } {
  let row = start.row;
  let col = start.column;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      row++;
      col = 0;
    } else col++;
  }
  return { row, column: col };
}

const INT_SUFFIX = /(i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize)$/;
const FLOAT_SUFFIX = /(f32|f64)$/;

function parseIntLit(text: string): { value: bigint; suffix?: string } {
  let t = text.replace(/_/g, '');
  // `i`/`u` are not hex digits, so a suffix is unambiguous even after `0x`.
  const m = INT_SUFFIX.exec(t);
  const suffix = m?.[1];
  if (suffix) t = t.slice(0, -suffix.length);
  try {
    return { value: BigInt(t), suffix };
  } catch {
    return { value: 0n, suffix };
  }
}

function decodeString(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]+\}|n|r|t|0|\\|'|"|\n\s*)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.slice(2, -1).replace(/_/g, ''), 16));
    if (e[0] === '\n') return '';
    return ({ n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * `t` with every lifetime written in it erased (references and ADT lifetime arguments become
 * elided): the parameters of a higher-ranked fn pointer, whose lifetimes are its own. Undefined
 * when `t` holds a trait object or opaque type (its text keeps the lifetime bounds), a fn pointer,
 * or is deeper than 32 levels.
 */
function eraseRegions(t: Ty, depth: number): Ty | undefined {
  if (depth > 32) return undefined;
  const go = (x: Ty): Ty | undefined => eraseRegions(x, depth + 1);
  const all = (xs: Ty[]): Ty[] | undefined => {
    const out: Ty[] = [];
    for (const x of xs) {
      const e = go(x);
      if (!e) return undefined;
      out.push(e);
    }
    return out;
  };
  switch (t.kind) {
    case 'ref': {
      const inner = go(t.inner);
      return inner && { kind: 'ref', mutable: t.mutable, inner };
    }
    case 'rawptr': {
      const inner = go(t.inner);
      return inner && { ...t, inner };
    }
    case 'adt': {
      const args = all(t.args);
      if (!args) return undefined;
      const out: Ty = { ...t, args };
      delete out.regions;
      return out;
    }
    case 'tuple': {
      const elems = all(t.elems);
      return elems && { kind: 'tuple', elems };
    }
    case 'array':
    case 'slice': {
      const elem = go(t.elem);
      return elem && { ...t, elem };
    }
    case 'fn':
    case 'opaque':
      return undefined;
    default:
      return t;
  }
}

/** Lowers a literal node; string literals are decoded (escapes resolved). */
export function lowerLit(n: SyntaxNode): Lit {
  const text = n.text;
  switch (n.type) {
    case 'integer_literal': {
      const { value, suffix } = parseIntLit(text);
      if (suffix === undefined && FLOAT_SUFFIX.test(text) && !/^0x/i.test(text))
        return { kind: 'float', value: Number(text.replace(/_/g, '').replace(FLOAT_SUFFIX, '')), suffix: FLOAT_SUFFIX.exec(text)![1] };
      return { kind: 'int', value, suffix };
    }
    case 'float_literal': {
      const m = FLOAT_SUFFIX.exec(text);
      return { kind: 'float', value: Number(text.replace(/_/g, '').replace(FLOAT_SUFFIX, '')), suffix: m?.[1] };
    }
    case 'boolean_literal':
      return { kind: 'bool', value: text === 'true' };
    case 'char_literal': {
      const inner = text.replace(/^b?'/, '').replace(/'$/, '');
      // A byte literal (`b' '`) is a `u8` (Rust reference, "Byte literals").
      if (text.startsWith('b')) return { kind: 'int', value: BigInt(decodeString(inner).charCodeAt(0) & 0xff), suffix: 'u8' };
      return { kind: 'char', value: decodeString(inner) };
    }
    case 'string_literal': {
      const isBytes = text.startsWith('b');
      const inner = text.replace(/^b?"/, '').replace(/"$/, '');
      return { kind: isBytes ? 'bytestr' : 'str', value: decodeString(inner) };
    }
    case 'raw_string_literal': {
      const m = /^b?r(#*)"([\s\S]*)"\1$/.exec(text);
      return { kind: text.startsWith('b') ? 'bytestr' : 'str', value: m ? m[2] : text };
    }
    default:
      return { kind: 'str', value: text };
  }
}

/**
 * How a `self: T` parameter (tree-sitter: a `parameter` whose pattern is `self`) takes `self`
 * when T is `Self`, `&Self` or `&mut Self` (lifetimes allowed): as `self`, `&self`, `&mut self`
 * (Rust reference, "Associated items": shorthand and typed `self`). Undefined for any other
 * parameter, and for other receiver types (`Box<Self>`, `Rc<Self>`), which stay unmodelled.
 */
function typedSelfKind(p: SyntaxNode): SelfKind | undefined {
  if (p.type !== 'parameter' || p.childForFieldName('pattern')?.type !== 'self') return undefined;
  const t = p.childForFieldName('type')?.text.replace(/\s+/g, ' ');
  if (t === 'Self') return 'value';
  const m = t ? /^&(?:\s*'\w+)?\s*(mut\s+)?Self$/.exec(t) : null;
  return m ? (m[1] ? 'mut' : 'ref') : undefined;
}
