/**
 * The memory oracle: what the hover says about a binding's bytes (size, where they live, what
 * they point to, how many bytes that is, len, capacity, the heap block) is checked against the
 * compiled program (issue 9, "How it is checked").
 *
 * Cases are the Rust programs in `test/claims/*.rs`. A line `// probe: a b COUNT` names the
 * bindings (or statics) to check at that point of the program:
 * - the engine analyses the case with that line replaced by `let _ = (&a, &b, &COUNT);` and is
 *   asked for the hover of each name there (the simulation's state at that line);
 * - rustc compiles the case with that line replaced by a call per name to a probe module that
 *   prints `size_of_val`, the address class of the binding and of its pointee (stack, heap or
 *   static, read from `/proc/self/maps`: `[stack]`, `[heap]` or an anonymous mapping from
 *   `mmap`, the executable's own mappings and the `.bss` right after them), the pointee's
 *   `size_of_val`, and for String/Vec/Rc/Arc the len, capacity and heap block bytes. The
 *   pointee is found by autoref specialisation (`&T`, `&mut T`, Box, Rc, Arc, String, Vec,
 *   HashMap have one; other types have none), so the probe does not depend on the engine's types.
 *
 * Each claim of the hover is compared: equal is agreement, a different value is a disagreement
 * (a failure), a claim the hover does not make (`size unknown`, no pointee size) is counted as
 * unknown. A binding agrees when all its claims agree. Run by `npm run oracle` (or alone:
 * `npm run oracle -- --memory`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as engine from '../../server/src/engine/engine';
import { hoverAt, type HoverInfo } from '../../server/src/ide/hover';
import { repoRoot } from '../support/fixtures';
import { MAX_PARALLEL, pool, run } from './rustc';

/** The directory of the memory oracle's cases. */
export function claimsDir(root: string = repoRoot()): string {
  return path.join(root, 'test', 'claims');
}

interface Probe {
  /** 0-based line of the `// probe:` comment. */
  line: number;
  indent: string;
  names: string[];
}

/** The `// probe: a b c` lines of a case. */
export function parseProbes(text: string): Probe[] {
  const out: Probe[] = [];
  text.split('\n').forEach((l, line) => {
    const m = /^(\s*)\/\/ probe:(.*)$/.exec(l);
    if (m) out.push({ line, indent: m[1], names: m[2].trim().split(/\s+/).filter(Boolean) });
  });
  return out;
}

/** The case as the engine sees it: each probe line becomes `let _ = (&a, &b);` (same lines). */
export function engineText(text: string, probes: Probe[]): string {
  const lines = text.split('\n');
  for (const p of probes) lines[p.line] = `${p.indent}let _ = (${p.names.map((n) => `&${n}`).join(', ')},);`;
  return lines.join('\n');
}

/** The probe module appended to the compiled program (see the module comment). */
const PROBE_MODULE = String.raw`
#[allow(dead_code)]
mod __probe {
    use std::alloc::Layout;
    use std::rc::Rc;
    use std::sync::Arc;
    pub struct Info {
        pub size: usize,
        pub addr: usize,
        pub len: Option<usize>,
        pub cap: Option<usize>,
        pub block: Option<usize>,
    }
    pub struct W<'a, T: ?Sized>(pub &'a T);
    pub trait Plain {
        fn pointee(&self) -> Option<Info> {
            None
        }
    }
    impl<'a, T: ?Sized> Plain for &W<'a, T> {}
    pub trait Ptr {
        fn pointee(&self) -> Option<Info>;
    }
    fn thin<T: ?Sized>(p: &T) -> usize {
        p as *const T as *const u8 as usize
    }
    fn val<T: ?Sized>(p: &T) -> Info {
        Info { size: std::mem::size_of_val(p), addr: thin(p), len: None, cap: None, block: None }
    }
    fn counted(value: Layout) -> usize {
        Layout::new::<[usize; 2]>().extend(value).unwrap().0.pad_to_align().size()
    }
    impl<'a, 'b, T: ?Sized> Ptr for W<'a, &'b T> {
        fn pointee(&self) -> Option<Info> {
            Some(val(*self.0))
        }
    }
    impl<'a, 'b, T: ?Sized> Ptr for W<'a, &'b mut T> {
        fn pointee(&self) -> Option<Info> {
            Some(val(&**self.0))
        }
    }
    impl<'a, T: ?Sized> Ptr for W<'a, Box<T>> {
        fn pointee(&self) -> Option<Info> {
            Some(val(&**self.0))
        }
    }
    impl<'a, T: ?Sized> Ptr for W<'a, Rc<T>> {
        fn pointee(&self) -> Option<Info> {
            let v: &T = &**self.0;
            Some(Info { block: Some(counted(Layout::for_value(v))), ..val(v) })
        }
    }
    impl<'a, T: ?Sized> Ptr for W<'a, Arc<T>> {
        fn pointee(&self) -> Option<Info> {
            let v: &T = &**self.0;
            Some(Info { block: Some(counted(Layout::for_value(v))), ..val(v) })
        }
    }
    impl<'a> Ptr for W<'a, String> {
        fn pointee(&self) -> Option<Info> {
            let s = self.0;
            Some(Info { size: s.len(), addr: s.as_ptr() as usize, len: Some(s.len()), cap: Some(s.capacity()), block: Some(s.capacity()) })
        }
    }
    impl<'a, T> Ptr for W<'a, Vec<T>> {
        fn pointee(&self) -> Option<Info> {
            let v = self.0;
            let es = std::mem::size_of::<T>();
            Some(Info { size: v.len() * es, addr: v.as_ptr() as usize, len: Some(v.len()), cap: Some(v.capacity()), block: Some(v.capacity() * es) })
        }
    }
    impl<'a, K, V> Ptr for W<'a, std::collections::HashMap<K, V>> {
        fn pointee(&self) -> Option<Info> {
            // The entries (hashbrown's buckets); no allocation before the first insert.
            let m = self.0;
            let addr = m.iter().next().map(|(k, _)| thin(k)).unwrap_or(0);
            Some(Info { size: m.len() * std::mem::size_of::<(K, V)>(), addr, len: Some(m.len()), cap: Some(m.capacity()), block: None })
        }
    }
    /// stack, heap, static or none (a dangling pointer of an empty allocation), from /proc/self/maps.
    pub fn class(addr: usize) -> String {
        if addr < 4096 {
            return "none".into();
        }
        let exe = std::fs::read_link("/proc/self/exe").map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        let mut prev_exe_end = 0usize;
        for line in maps.lines() {
            let mut parts = line.split_whitespace();
            let range = parts.next().unwrap_or("");
            let path = parts.nth(4).unwrap_or("");
            let mut ends = range.split('-');
            let lo = usize::from_str_radix(ends.next().unwrap_or("0"), 16).unwrap_or(0);
            let hi = usize::from_str_radix(ends.next().unwrap_or("0"), 16).unwrap_or(0);
            let is_exe = !exe.is_empty() && path == exe;
            if addr >= lo && addr < hi {
                return if path == "[stack]" {
                    "stack".into()
                } else if path == "[heap]" {
                    "heap".into()
                } else if is_exe || (path.is_empty() && lo == prev_exe_end) {
                    "static".into()
                } else if path.is_empty() {
                    "heap".into()
                } else {
                    format!("other:{}", path)
                };
            }
            if is_exe {
                prev_exe_end = hi;
            }
        }
        "unmapped".into()
    }
    pub fn begin(line: u32) {
        println!("PROBE-LINE {}", line);
    }
    pub fn report<T: ?Sized>(line: u32, name: &str, x: &T, p: Option<Info>) {
        let mut out = format!("PROBE {} {} size={} self={}", line, name, std::mem::size_of_val(x), class(thin(x)));
        if let Some(i) = p {
            out += &format!(" pointee={} psize={}", class(i.addr), i.size);
            if let Some(n) = i.len {
                out += &format!(" len={}", n);
            }
            if let Some(n) = i.cap {
                out += &format!(" cap={}", n);
            }
            if let Some(n) = i.block {
                out += &format!(" block={}", n);
            }
        }
        println!("{}", out);
    }
}
`;

/** The case as rustc compiles it: each probe line becomes the probe calls (same lines), plus the probe module. */
export function probeProgram(text: string, probes: Probe[]): string {
  const lines = text.split('\n');
  for (const p of probes) {
    const calls = p.names.map((n) => `__probe::report(${p.line + 1}, "${n}", &${n}, (&__probe::W(&${n})).pointee());`).join(' ');
    lines[p.line] = `${p.indent}{ #[allow(unused_imports)] use __probe::{Plain, Ptr}; ${calls} }`;
  }
  return `${lines.join('\n')}\n${PROBE_MODULE}`;
}

/** One binding as the running program has it. */
export interface Observed {
  size: number;
  self: string;
  pointee?: { region: string; size: number; len?: number; cap?: number; block?: number };
}

/** `PROBE line name size=… self=… [pointee=… psize=… len=… cap=… block=…]` lines, by `line:name`. */
export function parseObserved(stdout: string): Map<string, Observed> {
  const out = new Map<string, Observed>();
  for (const l of stdout.split('\n')) {
    const m = /^PROBE (\d+) (\S+) (.*)$/.exec(l);
    if (!m) continue;
    const kv = new Map(m[3].split(' ').map((x) => x.split('=') as [string, string]));
    const num = (k: string): number | undefined => (kv.has(k) ? Number(kv.get(k)) : undefined);
    const o: Observed = { size: num('size')!, self: kv.get('self')! };
    if (kv.has('pointee'))
      o.pointee = { region: kv.get('pointee')!, size: num('psize')!, len: num('len'), cap: num('cap'), block: num('block') };
    // The first time a line runs is the one the engine's hover shows (visit 1).
    const key = `${m[1]}:${m[2]}`;
    if (!out.has(key)) out.set(key, o);
  }
  return out;
}

/** The verdict on one binding: each claim compared, what disagrees and what the hover does not say. */
export interface Verdict {
  disagree: string[];
  unknown: string[];
  checked: number;
}

/** Compares the hover's claims about one binding with the running program (see the module comment). */
export function compareClaims(h: HoverInfo, o: Observed): Verdict {
  const v: Verdict = { disagree: [], unknown: [], checked: 0 };
  const claim = (what: string, said: number | string | null | undefined, real: number | string): void => {
    if (said === null || said === undefined) {
      v.unknown.push(`${what} (rustc: ${real})`);
      return;
    }
    v.checked++;
    if (said !== real) v.disagree.push(`${what}: hover says ${said}, rustc ${real}`);
  };
  claim('size', h.size, o.size);
  claim('location', h.location, o.self);
  const p = o.pointee;
  if (!p) {
    if (h.target) v.disagree.push(`hover says it points to ${h.target}, the program has no pointer there`);
    return v;
  }
  if (!h.target) {
    v.unknown.push(`what it points to (rustc: ${p.size} bytes, ${p.region})`);
    return v;
  }
  // An empty String/Vec has no allocation (a dangling pointer): only "0 bytes" can be checked.
  if (p.region !== 'none') claim('pointee location', h.target, p.region);
  claim('pointee size', h.targetSize, p.size);
  if (p.len !== undefined) claim('len', h.len, p.len);
  if (p.cap !== undefined) claim('capacity', h.capacity, p.cap);
  if (p.block !== undefined) claim('heap block bytes', h.blockSize, p.block);
  return v;
}

export interface MemoryOracleResult {
  bindings: number;
  agree: number;
  disagree: number;
  unknown: number;
  claims: number;
  /** Per-case problems (disagreements, failures to compile or run, bindings not found). */
  problems: Map<string, string[]>;
  /** Per-case claims the hover does not make. */
  unknowns: Map<string, string[]>;
}

async function checkCase(dir: string, rel: string, tmp: string, index: number, result: MemoryOracleResult): Promise<void> {
  const text = fs.readFileSync(path.join(dir, rel), 'utf8');
  const problems: string[] = [];
  const unknowns: string[] = [];
  result.problems.set(rel, problems);
  result.unknowns.set(rel, unknowns);
  const probes = parseProbes(text);
  if (!probes.length) {
    problems.push('no `// probe:` line');
    return;
  }
  const src = path.join(tmp, `claims-${index}.rs`);
  const exe = path.join(tmp, `claims-${index}`);
  fs.writeFileSync(src, probeProgram(text, probes));
  const comp = await run('rustc', ['--edition', '2021', '-A', 'warnings', '-o', exe, src], tmp);
  if (comp.code !== 0 || comp.error) {
    problems.push(`the probe program does not compile: ${(comp.error ?? comp.stderr).slice(0, 1500)}`);
    return;
  }
  const ran = await run(exe, [], tmp);
  if (ran.code !== 0) {
    problems.push(`the probe program failed: ${ran.error ?? ran.stderr.slice(0, 500)}`);
    return;
  }
  const observed = parseObserved(ran.stdout);
  const etext = engineText(text, probes);
  const analysis = engine.analyze(etext, { edition: '2021' });
  const elines = etext.split('\n');
  for (const p of probes) {
    for (const name of p.names) {
      result.bindings++;
      const where = `line ${p.line + 1} \`${name}\``;
      const o = observed.get(`${p.line + 1}:${name}`);
      const col = elines[p.line].indexOf(`&${name},`) + 1;
      const h = col > 0 ? hoverAt(analysis, { line: p.line, character: col }) : null;
      if (!o || !h) {
        result.disagree++;
        problems.push(`${where}: ${!o ? 'the program printed nothing for it' : 'the engine has no hover for it'}`);
        continue;
      }
      const verdict = compareClaims(h, o);
      result.claims += verdict.checked;
      if (verdict.disagree.length) {
        result.disagree++;
        problems.push(`${where}: ${verdict.disagree.join('; ')}`);
      } else if (verdict.unknown.length) result.unknown++;
      else result.agree++;
      if (verdict.unknown.length) unknowns.push(`${where}: not said: ${verdict.unknown.join('; ')}`);
    }
  }
}

/** Runs every case of `test/claims/` (or those whose name contains a filter). */
export async function checkMemoryClaims(tmp: string, filters: string[] = []): Promise<MemoryOracleResult> {
  const dir = claimsDir();
  const result: MemoryOracleResult = {
    bindings: 0,
    agree: 0,
    disagree: 0,
    unknown: 0,
    claims: 0,
    problems: new Map(),
    unknowns: new Map(),
  };
  if (!fs.existsSync(dir)) return result;
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.rs'))
    .sort();
  const cases = filters.length ? all.filter((f) => filters.some((x) => f.includes(x))) : all;
  await pool(cases, MAX_PARALLEL, (rel, i) => checkCase(dir, rel, tmp, i, result));
  return result;
}
