/**
 * Checking a whole Cargo package, as `cargo check` does: each crate (lib, main, bins; see
 * `crate.ts`) is analysed once from its root with every file borrow-checked, and the
 * diagnostics are sorted back to their files (positions of each file's own text, LSP's
 * 0-based lines and UTF-16 columns). A file in two crates (`mod util;` in both lib.rs and
 * main.rs) is reported once per crate, as Cargo does.
 *
 * Total: a file that cannot be read leaves its module empty; a failure in one function costs
 * that function (`failures`).
 */
import * as path from 'node:path';
import type { EngineDiagnostic } from '../base/diagnostic';
import { shiftedCopy } from './shift';
import { syntaxErrors } from '../syntax/errors';
import { CRATE_LINE_STRIDE, CrateView, type Package } from './crate';
import { DocumentAnalyzer, type Analysis } from './engine';
import type { Vfs } from './vfs';

/** The diagnostics of one file of a checked crate. */
export interface FileDiagnostics {
  /** Absolute path. */
  file: string;
  text: string;
  diagnostics: EngineDiagnostic[];
  failures: { function: string; message: string }[];
}

/** One crate of a package, checked: its root and its files in module-tree order (root first). */
export interface CheckedCrate {
  root: string;
  files: FileDiagnostics[];
  /** The analysis from the root (positions of other files at their rows: `CrateView`). */
  analysis: Analysis;
  view: CrateView;
}

/** Checks every crate of `pkg` (see the module comment). `stepBudget` as `AnalyzeOptions`. */
export function checkPackage(pkg: Package, vfs: Vfs): CheckedCrate[] {
  return pkg.roots.flatMap((root) => {
    const c = checkCrate(pkg, root, vfs);
    return c ? [c] : [];
  });
}

/** Checks the crate rooted at `root` (one of `pkg.roots`); undefined when the root cannot be read. */
export function checkCrate(pkg: Package, root: string, vfs: Vfs): CheckedCrate | undefined {
  const src = vfs.file(root);
  if (!src) return undefined;
  const view = new CrateView(vfs, pkg, root, root, true);
  const analysis = new DocumentAnalyzer().analyze(src.text, { tree: src.tree, crate: view, edition: pkg.edition });
  const byFile = new Map<string, FileDiagnostics>();
  for (const f of view.files) byFile.set(f, { file: f, text: vfs.file(f)?.text ?? '', diagnostics: [], failures: [] });
  const rootEntry = byFile.get(path.resolve(root))!;
  rootEntry.diagnostics.push(...analysis.diagnostics);
  for (const d of analysis.crateDiagnostics ?? []) {
    const at = view.fileAtLine(d.range.start.line);
    const entry = at && byFile.get(at.file);
    if (!at || !entry) continue;
    // Secondary spans in another file cannot be shown in this one.
    const own = d.related.filter((r) => Math.floor(r.range.start.line / CRATE_LINE_STRIDE) * CRATE_LINE_STRIDE === at.base);
    entry.diagnostics.push(shiftedCopy({ ...d, related: own }, -at.base));
  }
  for (const f of view.files) {
    if (f === path.resolve(root)) continue;
    const s = vfs.file(f);
    if (s) byFile.get(f)!.diagnostics.unshift(...syntaxErrors(s.tree).diagnostics);
  }
  for (const x of analysis.failures) rootEntry.failures.push(x);
  return { root, files: [...byFile.values()], analysis, view };
}
