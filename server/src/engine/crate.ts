/**
 * Cargo packages and the module files of their crates: which crate a file belongs to, and the
 * layout that lets the engine analyse a file with the items of the rest of its crate.
 *
 * - The package: the nearest `Cargo.toml` above the file (`findManifest`). Its crates' roots,
 *   as Cargo's target auto-discovery finds them (Cargo book, "Target auto-discovery"):
 *   `src/lib.rs` (or `[lib] path`), `src/main.rs`, `src/bin/*.rs`, `src/bin/*\/main.rs` and
 *   `[[bin]] path`s. The edition is `[package] edition` (Cargo's default is 2015 when absent;
 *   `edition.workspace = true` is not followed and counts as unknown: the engine's default 2021).
 *   `parseManifest` is a minimal reader of those keys, not a TOML parser (no TOML package is
 *   available offline): `[table]` / `[[array]]` headers and `key = "string"` lines.
 * - The module tree (Rust reference, "Modules", "Module source filenames", "The path
 *   attribute"): from the crate root, each `mod name;` (also inside inline `mod m { ... }`)
 *   is `DIR/name.rs` or `DIR/name/mod.rs`, where DIR is the file's directory for a mod-rs file
 *   (a crate root or a `mod.rs`), `dir/stem` for any other file, plus the inline modules'
 *   names; `#[path = "p"]` is relative to the same DIR (to the file's own directory outside
 *   inline modules). A file is in the tree once: a second `mod` of it is left empty (a cycle is
 *   rustc's "circular modules" error; a file shared by two modules, rare, has its names unknown
 *   in the second); a missing file leaves its module empty (names in it stay unresolved, so
 *   never a diagnostic; `hir/defmap.ts`).
 * - The layout (`CrateView`): one document (the *focus*) is analysed with its crate. Lowering
 *   starts from the crate root and declares each module file's items in its module
 *   (`syntax/lower.ts` `FileLowering`'s `moduleFile`), so paths resolve across files (`use`,
 *   `crate::`, `super::`, `pub use`) and keys are full paths as in one file. Positions carry no
 *   file: the focus file keeps its own rows (0-based) and every other file is mirrored at rows
 *   `k * CRATE_LINE_STRIDE` (k ≥ 1, fixed per view for the life of the view, so that its units
 *   are reused between versions), so that the spans of two files never meet, and the focus
 *   file's positions are the document's. `splitDiagnostics` sorts diagnostics back to files.
 *
 * External crates (`use regex::Regex;`, `serde::Serialize`) stay unknown: their names resolve to
 * nothing or to `external` entries, and the engine says nothing about what it does not know.
 * Every walk is bounded (`MAX_CRATE_FILES`, nesting depth).
 */
import * as path from 'node:path';
import type { Edition } from '../borrowck';
import type { EngineDiagnostic } from '../base/diagnostic';
import { MirrorCache, type CstNode } from '../syntax/cst';
import type { Vfs } from './vfs';

/** Rows of one file in a crate layout: file k's rows start at `k * CRATE_LINE_STRIDE` (files are at most 8 M UTF-16 units). */
export const CRATE_LINE_STRIDE = 1 << 24;
/** Module files followed per crate. */
export const MAX_CRATE_FILES = 4096;
/** Inline module nesting followed when looking for `mod name;`. */
const MAX_MOD_DEPTH = 64;

const EDITIONS: readonly Edition[] = ['2015', '2018', '2021', '2024'];

// --- Cargo.toml

/** What the engine reads of a `Cargo.toml` (see the module comment). */
export interface ManifestInfo {
  name?: string;
  /** `[package] edition`; undefined when absent (Cargo: 2015) or not a literal edition. */
  edition?: Edition;
  /** Whether `[package] edition` is present at all (absent means 2015 for Cargo). */
  editionGiven: boolean;
  /** `[lib] path`. */
  libPath?: string;
  /** `[[bin]] path`s. */
  binPaths: string[];
}

/**
 * Reads `[package] name`/`edition`, `[lib] path` and `[[bin]] path` from a Cargo.toml's text.
 * Not a TOML parser: basic strings on one line (`key = "value"`, `'value'`), comments, and table
 * headers; anything else is ignored.
 */
export function parseManifest(text: string): ManifestInfo {
  const out: ManifestInfo = { binPaths: [], editionGiven: false };
  let table = '';
  for (const raw of text.split(/\r?\n/).slice(0, 100_000)) {
    const line = raw.replace(/^\s+/, '');
    const header = /^\[\[?\s*([A-Za-z0-9_.\-" ]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = (line.startsWith('[[') ? '[]' : '') + header[1].replace(/["\s]/g, '');
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')?/.exec(line);
    if (!kv) continue;
    const key = kv[1];
    const value = kv[2] !== undefined ? kv[2].replace(/\\(["\\])/g, '$1') : kv[3];
    if (table === 'package') {
      if (key === 'name' && value !== undefined) out.name = value;
      if (key === 'edition' || key.startsWith('edition.')) {
        out.editionGiven = true;
        if (value !== undefined && (EDITIONS as readonly string[]).includes(value)) out.edition = value as Edition;
      }
    } else if (table === 'lib' && key === 'path' && value !== undefined) out.libPath = value;
    else if (table === '[]bin' && key === 'path' && value !== undefined) out.binPaths.push(value);
  }
  return out;
}

/** The nearest `Cargo.toml` in `dir` or above it (at most 64 levels), or undefined. */
export function findManifest(dir: string, vfs: Vfs): string | undefined {
  let d = path.resolve(dir);
  for (let i = 0; i < 64; i++) {
    const m = path.join(d, 'Cargo.toml');
    if (vfs.fs.stamp(m) !== undefined) return m;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
  return undefined;
}

/** A Cargo package: its manifest and its crates' root files (absolute paths; lib first). */
export interface Package {
  manifest: string;
  dir: string;
  info: ManifestInfo;
  /** The edition the engine uses: the manifest's, 2015 when absent (Cargo's default), else 2021. */
  edition: Edition;
  roots: string[];
}

/** The package of a `Cargo.toml` (see the module comment for the roots). */
export function readPackage(manifest: string, vfs: Vfs): Package {
  const dir = path.dirname(path.resolve(manifest));
  const info = parseManifest(vfs.readText(manifest) ?? '');
  const roots: string[] = [];
  const add = (p: string): void => {
    const abs = path.resolve(dir, p);
    if (!roots.includes(abs) && vfs.isFile(abs)) roots.push(abs);
  };
  add(info.libPath ?? 'src/lib.rs');
  add('src/main.rs');
  const binDir = path.join(dir, 'src', 'bin');
  for (const name of vfs.readDir(binDir).sort()) {
    if (name.endsWith('.rs')) add(path.join(binDir, name));
    else add(path.join(binDir, name, 'main.rs'));
  }
  for (const p of info.binPaths) add(p);
  const edition = info.edition ?? (info.editionGiven ? '2021' : '2015');
  return { manifest: path.resolve(manifest), dir, info, edition, roots };
}

// --- the module tree

/** One `mod name;` found in a file: its node in the file's mirror, and the module file it names (or none). */
interface ModDecl {
  node: CstNode;
  file: string | undefined;
}

/** The `mod name;` items of a file (in inline modules too), with the file each one names. */
function modDecls(root: CstNode, filePath: string, modRs: boolean, vfs: Vfs): ModDecl[] {
  const out: ModDecl[] = [];
  const fileDir = path.dirname(filePath);
  const base = modRs ? fileDir : path.join(fileDir, path.basename(filePath, '.rs'));
  const walk = (container: CstNode, inline: string[], depth: number): void => {
    if (depth > MAX_MOD_DEPTH) return;
    let pathAttr: string | undefined;
    for (const n of container.namedChildren) {
      if (n.type === 'attribute_item') {
        const m = /^#\s*\[\s*path\s*=\s*"([^"]*)"\s*\]$/.exec(n.text);
        if (m) pathAttr = m[1];
        continue;
      }
      const attr = pathAttr;
      pathAttr = undefined;
      if (n.type !== 'mod_item') continue;
      const name = n.childForFieldName('name')?.text;
      if (!name) continue;
      const body = n.childForFieldName('body');
      if (body) {
        walk(body, [...inline, name], depth + 1);
        continue;
      }
      const dir = path.join(base, ...inline);
      let file: string | undefined;
      if (attr !== undefined) file = path.resolve(inline.length ? dir : fileDir, attr);
      else {
        const flat = path.join(dir, `${name}.rs`);
        const nested = path.join(dir, name, 'mod.rs');
        file = vfs.isFile(flat) ? flat : vfs.isFile(nested) ? nested : undefined;
      }
      out.push({ node: n, file: file && vfs.isFile(file) ? file : undefined });
    }
  };
  walk(root, [], 0);
  return out;
}

/** Whether a module file is mod-rs (its modules' files are beside it): a crate root, a `mod.rs`, a `#[path]` file. */
function isModRs(p: string, root: boolean): boolean {
  return root || path.basename(p) === 'mod.rs';
}

/** What the engine needs from a crate to analyse its focus file (`engine.ts` `AnalyzeOptions.crate`). */
export interface CrateLayout {
  /** Borrow-check every file of the crate (the CLI's `check`), not only the focus file. */
  readonly checkAll: boolean;
  /**
   * The crate's layout for this version of the focus file (its mirror): the root to lower from
   * and the module file of each `mod name;`. Reads the other files now.
   */
  layout(focus: CstNode): { root: CstNode; moduleFile: (mod: CstNode) => CstNode | undefined };
}

/**
 * One document analysed with its crate (see the module comment): keeps the mirrors of the other
 * files (reused while their text is unchanged) and their rows. One per document: not shared.
 */
export class CrateView implements CrateLayout {
  /** Row index of each file (focus: 0), fixed once given. */
  private readonly index = new Map<string, number>();
  private readonly mirrors = new Map<string, { cache: MirrorCache; text: string; node: CstNode }>();
  /** The files of the last layout, in module-tree order (the root first). */
  private lastFiles: string[] = [];
  /** Whether the last layout reached the focus file from the root. */
  private reached = false;

  constructor(
    readonly vfs: Vfs,
    readonly pkg: Package,
    /** The crate root (one of `pkg.roots`). */
    readonly root: string,
    /** The document analysed (a file of this crate). */
    readonly focus: string,
    readonly checkAll = false,
  ) {
    this.index.set(path.resolve(focus), 0);
  }

  get edition(): Edition {
    return this.pkg.edition;
  }

  /** The files of the crate as of the last analysis (absolute paths, the root first). */
  get files(): readonly string[] {
    return this.lastFiles;
  }

  /** Whether the last analysis found the focus file in the crate's module tree. */
  get focusInCrate(): boolean {
    return this.reached;
  }

  /** The first row of `file` in this view's positions (undefined: not in the last layout). */
  baseOf(file: string): number | undefined {
    const k = this.index.get(path.resolve(file));
    return k === undefined ? undefined : k * CRATE_LINE_STRIDE;
  }

  /** The file whose rows hold `line`, and its first row. */
  fileAtLine(line: number): { file: string; base: number } | undefined {
    const k = Math.floor(line / CRATE_LINE_STRIDE);
    for (const [f, i] of this.index) if (i === k) return { file: f, base: k * CRATE_LINE_STRIDE };
    return undefined;
  }

  layout(focus: CstNode): { root: CstNode; moduleFile: (mod: CstNode) => CstNode | undefined } {
    const focusPath = path.resolve(this.focus);
    const targets = new Map<CstNode, CstNode>();
    const files: string[] = [];
    const seen = new Set<string>();
    let reached = false;
    const mirrorOf = (p: string): CstNode | undefined => {
      if (p === focusPath) {
        reached = true;
        return focus;
      }
      const src = this.vfs.file(p);
      if (!src) return undefined;
      let k = this.index.get(p);
      if (k === undefined) {
        k = this.index.size;
        this.index.set(p, k);
      }
      const old = this.mirrors.get(p);
      if (old && old.text === src.text) return old.node;
      const cache = old?.cache ?? new MirrorCache();
      const node = cache.mirror(src.tree, src.text, k * CRATE_LINE_STRIDE);
      this.mirrors.set(p, { cache, text: src.text, node });
      return node;
    };
    const rootPath = path.resolve(this.root);
    const rootNode = mirrorOf(rootPath);
    if (!rootNode) return { root: focus, moduleFile: () => undefined };
    const queue: { p: string; node: CstNode; root: boolean }[] = [{ p: rootPath, node: rootNode, root: true }];
    seen.add(rootPath);
    files.push(rootPath);
    while (queue.length) {
      const { p, node, root } = queue.shift()!;
      for (const d of modDecls(node, p, isModRs(p, root), this.vfs)) {
        if (!d.file || seen.has(d.file) || files.length >= MAX_CRATE_FILES) continue;
        const child = mirrorOf(d.file);
        if (!child) continue;
        seen.add(d.file);
        files.push(d.file);
        targets.set(d.node, child);
        queue.push({ p: d.file, node: child, root: false });
      }
    }
    for (const p of this.mirrors.keys()) if (!seen.has(p)) this.mirrors.delete(p);
    this.reached = reached;
    // The focus file is no longer a module of the crate (its `mod` was removed): it is analysed alone.
    if (!reached) {
      this.lastFiles = [focusPath];
      return { root: focus, moduleFile: () => undefined };
    }
    this.lastFiles = files;
    return { root: rootNode, moduleFile: (mod) => targets.get(mod) };
  }
}

// --- finding a file's crate

/**
 * The package and crate of a Rust file: the nearest Cargo.toml above it, and the first of its
 * roots (lib, main, bins) whose module tree holds the file; a file directly in `tests/`,
 * `examples/` or `benches/` is the root of its own crate (Cargo's other auto-discovered
 * targets, which `cargo check` does not build by default). Undefined when there is no manifest
 * or no root reaches the file (it is then analysed alone). Reads the files.
 */
export function crateOf(file: string, vfs: Vfs): { pkg: Package; root: string } | undefined {
  return new CrateFinder(vfs).crateOf(file);
}

/**
 * `crateOf` for many files (the CLI's `check FILE...`): packages and module trees are read once
 * per finder. Files changed meanwhile are not seen: make a new finder.
 */
export class CrateFinder {
  private readonly packages = new Map<string, Package>();
  private readonly trees = new Map<string, string[]>();

  constructor(readonly vfs: Vfs) {}

  crateOf(file: string): { pkg: Package; root: string } | undefined {
    const abs = path.resolve(file);
    const manifest = findManifest(path.dirname(abs), this.vfs);
    if (!manifest) return undefined;
    let pkg = this.packages.get(manifest);
    if (!pkg) {
      pkg = readPackage(manifest, this.vfs);
      this.packages.set(manifest, pkg);
    }
    if (pkg.roots.includes(abs)) return { pkg, root: abs };
    for (const root of pkg.roots) {
      let files = this.trees.get(root);
      if (!files) {
        files = moduleFiles(root, this.vfs);
        this.trees.set(root, files);
      }
      if (files.includes(abs)) return { pkg, root };
    }
    const parent = path.dirname(abs);
    if (path.dirname(parent) === pkg.dir && ['tests', 'examples', 'benches'].includes(path.basename(parent))) return { pkg, root: abs };
    return undefined;
  }
}

/** The module files of the crate rooted at `root` (absolute paths, the root first). */
export function moduleFiles(root: string, vfs: Vfs): string[] {
  const abs = path.resolve(root);
  const src = vfs.file(abs);
  if (!src) return [];
  const view = new CrateView(
    vfs,
    { manifest: '', dir: path.dirname(abs), info: { binPaths: [], editionGiven: false }, edition: '2021', roots: [abs] },
    abs,
    abs,
  );
  view.layout(new MirrorCache().mirror(src.tree, src.text));
  return [...view.files];
}

// --- diagnostics by file

/**
 * Splits an analysis's diagnostics (positions of a `CrateView`) into the focus file's (rows
 * below `CRATE_LINE_STRIDE`; secondary spans in other files dropped, as they cannot be shown
 * in this file) and the others (at their files' rows; see `CrateView.fileAtLine`).
 */
export function splitDiagnostics(all: readonly EngineDiagnostic[]): { focus: EngineDiagnostic[]; others: EngineDiagnostic[] } {
  const focus: EngineDiagnostic[] = [];
  const others: EngineDiagnostic[] = [];
  for (const d of all) {
    if (d.range.start.line >= CRATE_LINE_STRIDE) others.push(d);
    else if (d.related.some((r) => r.range.start.line >= CRATE_LINE_STRIDE))
      focus.push({ ...d, related: d.related.filter((r) => r.range.start.line < CRATE_LINE_STRIDE) });
    else focus.push(d);
  }
  return { focus, others };
}
