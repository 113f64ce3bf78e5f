/**
 * `npm run fuzz -- --seconds N [--inputs N] [--seed S] [--jobs J] [--timeout MS] [--heap MB] [DIR...]`: the
 * project's mutation fuzzer. Inputs are made from the fixtures (test/fixtures), the development
 * corpora in ../shared/corpus/ (skipped with a message when absent) and any DIRs given, by
 * deleting, duplicating and splicing lines, inserting tokens, truncating, changing line endings,
 * nesting deeply, changing integer literals to extreme values and adding programs that are
 * expensive at run time. Each input is probed (`analyze`, 5 hovers, 3 snapshots:
 * test/support/probe.ts) in a child process (test/tools/fuzzChild.ts) with a heap cap
 * (`--heap`, default 1024 MB) and a timeout (`--timeout`, default 10 000 ms).
 *
 * Outcomes: `answered`; `slow` (answered, but the probe took over 2 s of CPU time in-process); `internal`
 * (answered, but a function lost its results to an exception caught at its boundary);
 * `bad-positions` (a diagnostic, hover or stop past the end of its line); `escaped` (an exception
 * escaped the API); `hang` (killed at the timeout); `oom` (the heap cap); `crash` (the process
 * died otherwise, e.g. V8's "invalid size" abort). Every input of the last five is minimised
 * (lines, then characters, removed while the outcome stays the same, within a time limit) and
 * saved under test-output/fuzz-findings/ (git-ignored) as OUTCOME-HASH.rs with a .json beside it
 * (and at once, not minimised, under its raw/ folder). The five slowest inputs by CPU time, slow
 * or not, are kept under its slowest/ folder.
 *
 * Prints outcome counts, throughput, and the p50/p99/max time of a probe (in-process ms, from
 * the child). Exit status 1 when any input hung, crashed, ran out of memory or let an exception
 * escape; 0 otherwise. The seed is printed: `--seed S` repeats a run's inputs.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, sharedPath } from '../support/fixtures';
import type { ProbeResult } from '../support/probe';

type Outcome = 'answered' | 'slow' | 'internal' | 'bad-positions' | 'escaped' | 'hang' | 'oom' | 'crash';
const FATAL: readonly Outcome[] = ['escaped', 'hang', 'oom', 'crash'];
const SAVED: readonly Outcome[] = ['bad-positions', 'escaped', 'hang', 'oom', 'crash'];
const SLOW_MS = 2000;
/** How many of the slowest inputs (by CPU time) a run keeps, whatever their time. */
const SLOWEST_KEPT = 5;

// --- arguments

interface Options {
  seconds: number;
  /** Stop after this many inputs (or at `seconds`, whichever comes first). */
  inputs: number;
  seed: number;
  jobs: number;
  timeout: number;
  heap: number;
  dirs: string[];
  out: string;
  minimiseSeconds: number;
}

function parseArgs(argv: string[]): Options {
  const root = repoRoot();
  const o: Options = {
    seconds: 60,
    inputs: Infinity,
    seed: Math.floor(Math.random() * 2 ** 31),
    jobs: 2,
    timeout: 10_000,
    heap: 1024,
    dirs: [],
    out: path.join(root, 'test-output', 'fuzz-findings'),
    minimiseSeconds: 60,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--seconds') o.seconds = num();
    else if (a === '--inputs') o.inputs = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--jobs') o.jobs = Math.max(1, num());
    else if (a === '--timeout') o.timeout = num();
    else if (a === '--heap') o.heap = num();
    else if (a === '--minimise-seconds') o.minimiseSeconds = num();
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.dirs.push(path.resolve(a));
  }
  return o;
}

// --- randomness (deterministic from the seed: mulberry32)

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the corpus

function rustFiles(dir: string, out: string[], depth = 0): void {
  if (depth > 12) return;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) rustFiles(p, out, depth + 1);
    else if (ent.isFile() && ent.name.endsWith('.rs')) out.push(p);
  }
}

function loadCorpus(o: Options): string[] {
  const root = repoRoot();
  const dirs = [path.join(root, 'test', 'fixtures')];
  const shared = sharedPath('corpus');
  if (existsSync(shared)) dirs.push(shared);
  else console.log(`(${shared} is absent: fuzzing from the fixtures only)`);
  const robust = sharedPath('robustness');
  if (existsSync(robust)) dirs.push(robust);
  dirs.push(...o.dirs);
  const files: string[] = [];
  for (const d of dirs) rustFiles(d, files);
  const texts: string[] = [];
  for (const f of files.sort()) {
    try {
      if (statSync(f).size > 200_000) continue;
      texts.push(readFileSync(f, 'utf8'));
    } catch {
      /* unreadable: skipped */
    }
  }
  return texts;
}

// --- mutations

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  '&',
  '&mut ',
  '*',
  'move ',
  'let ',
  'mut ',
  'fn ',
  'impl ',
  'struct S;',
  'loop {',
  'return;',
  '?',
  '.clone()',
  '.iter()',
  '.unwrap()',
  ' as u64',
  ' << 63',
  "'a",
  '::',
  '!',
  '"',
  "'",
  '/*',
  '#[derive(Clone)]',
  'u.9223372036854775807',
  '[0u64; 4294967295]',
  '\\u{4294967295}',
  'vec![0u8; 1000000]',
];

const EXPENSIVE = [
  'let mut v = Vec::new(); loop { v.push(vec![0u8; 1000000]); }',
  'let mut m = std::collections::HashMap::new(); for i in 0..1000000u64 { m.insert(i, i); }',
  'let a = [[0u64; 1000]; 1000]; let b = a;',
  'let v = vec![0u64; 1000000]; let w = v.clone(); let x = w.clone();',
  'let s = "x".repeat(10000000);',
  'let mut s = String::new(); for _ in 0..100000 { s.push_str("abcdefgh"); }',
  'let z = 1u64 << 2147483648;',
  'let p = 3u64.pow(4000000000);',
  'let mut x = 1u128; loop { x = x * 3; }',
  'let v: Vec<u64> = (0..1u64 << 40).collect();',
  'fn f<T: Clone>(x: T) -> (T, T) { (x.clone(), x) } let a = f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(1u8))))))))))))))))))));',
  'fn r(n: u64) -> u64 { let a = [0u64; 100000]; r(n + a[0]) } r(1);',
  'let t = (1, 2); let u = t.4294967295;',
];

const EXTREMES = [
  '0',
  '-1',
  '255',
  '4294967295',
  '9223372036854775807',
  '18446744073709551615',
  '340282366920938463463374607431768211455',
  '1e308',
];

type Mutator = (text: string, r: () => number, corpus: string[]) => string;

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)];
const lines = (t: string): string[] => t.split('\n');

const MUTATORS: [string, Mutator][] = [
  [
    'delete lines',
    (t, r) => {
      const ls = lines(t);
      const i = Math.floor(r() * ls.length);
      ls.splice(i, 1 + Math.floor(r() * 3));
      return ls.join('\n');
    },
  ],
  [
    'duplicate lines',
    (t, r) => {
      const ls = lines(t);
      const i = Math.floor(r() * ls.length);
      const n = 1 + Math.floor(r() * 4);
      const copy = ls.slice(i, i + n);
      const times = r() < 0.2 ? 50 : 1;
      for (let k = 0; k < times; k++) ls.splice(i, 0, ...copy);
      return ls.join('\n');
    },
  ],
  [
    'splice lines from another file',
    (t, r, corpus) => {
      const ls = lines(t);
      const other = lines(pick(corpus, r));
      const j = Math.floor(r() * other.length);
      ls.splice(Math.floor(r() * ls.length), 0, ...other.slice(j, j + 1 + Math.floor(r() * 6)));
      return ls.join('\n');
    },
  ],
  [
    'insert a token',
    (t, r) => {
      const at = Math.floor(r() * (t.length + 1));
      return t.slice(0, at) + pick(TOKENS, r) + t.slice(at);
    },
  ],
  ['truncate', (t, r) => t.slice(0, Math.floor(r() * t.length))],
  [
    'change line endings',
    (t, r) => {
      const e = pick(['\r\n', '\r', '\n\r', '\n\n'], r);
      return r() < 0.5 ? t.replace(/\n/g, e) : t.replace(/\n/, e);
    },
  ],
  [
    'nest deeply',
    (t, r) => {
      const n = pick([100, 1000, 5000], r);
      const [open, close] = pick(
        [
          ['{', '}'],
          ['(', ')'],
          ['[', ']'],
          ['mod m { ', '}'],
          ['if true { ', '}'],
          ['Some(', ')'],
        ],
        r,
      );
      const body = `${open.repeat(n)}1${close.repeat(r() < 0.8 ? n : Math.floor(n / 2))}`;
      const at = t.lastIndexOf('}');
      return at < 0 ? `fn main() { let x = ${body}; }\n${t}` : `${t.slice(0, at)} let _deep = ${body};\n${t.slice(at)}`;
    },
  ],
  [
    'extreme integer literal',
    (t, r) => {
      const nums = [...t.matchAll(/\b\d+\b/g)];
      if (!nums.length) return t;
      const m = pick(nums, r);
      return t.slice(0, m.index) + pick(EXTREMES, r) + t.slice(m.index! + m[0].length);
    },
  ],
  [
    'expensive at run time',
    (t, r) => {
      const code = pick(EXPENSIVE, r);
      const main = t.indexOf('fn main() {');
      if (main >= 0) return `${t.slice(0, main + 11)}\n    ${code}\n${t.slice(main + 11)}`;
      return `${t}\nfn main() {\n    ${code}\n}\n`;
    },
  ],
];

function mutate(seedText: string, r: () => number, corpus: string[]): { text: string; how: string[] } {
  let text = seedText;
  const how: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const [name, f] = pick(MUTATORS, r);
    text = f(text, r, corpus);
    how.push(name);
  }
  return { text, how };
}

// --- children

interface Answer {
  outcome: Outcome;
  res?: ProbeResult;
  detail?: string;
}

function classify(res: ProbeResult): Outcome {
  if (res.escaped) return 'escaped';
  if (res.badPositions.length) return 'bad-positions';
  if (res.failures.length) return 'internal';
  if (res.cpuMs > SLOW_MS) return 'slow';
  return 'answered';
}

function deathOutcome(stderr: string): Outcome {
  return /heap out of memory|Reached heap limit|Allocation failed/.test(stderr) ? 'oom' : 'crash';
}

/** A long-lived child that probes inputs sent on its stdin, one at a time. */
class Child {
  private proc!: ChildProcessWithoutNullStreams;
  private buf = '';
  private stderr = '';
  private waiting: ((a: Answer) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: string,
    private readonly o: Options,
  ) {
    this.start();
  }

  private start(): void {
    this.buf = '';
    this.stderr = '';
    this.proc = spawn(process.execPath, [`--max-old-space-size=${this.o.heap}`, this.script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d: string) => {
      this.buf += d;
      const nl = this.buf.indexOf('\n');
      if (nl >= 0 && this.waiting) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        const res = JSON.parse(line) as ProbeResult;
        this.finish({ outcome: classify(res), res });
      }
    });
    this.proc.stderr.on('data', (d: string) => {
      if (this.stderr.length < 20_000) this.stderr += d;
    });
    const proc = this.proc;
    proc.on('exit', (code, signal) => {
      if (proc !== this.proc) return;
      if (this.waiting) this.finish({ outcome: deathOutcome(this.stderr), detail: `exit ${code ?? signal}: ${this.stderr.slice(-1500)}` });
      this.start();
    });
    proc.stdin.on('error', () => {
      /* the exit handler reports it */
    });
  }

  private finish(a: Answer): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.waiting;
    this.waiting = null;
    w?.(a);
  }

  probe(text: string): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.timer = setTimeout(() => {
        const old = this.proc;
        this.start();
        old.kill('SIGKILL');
        this.finish({ outcome: 'hang', detail: `no answer after ${this.o.timeout} ms` });
      }, this.o.timeout);
      this.proc.stdin.write(JSON.stringify({ id: 0, text }) + '\n');
    });
  }

  kill(): void {
    this.proc.removeAllListeners('exit');
    this.proc.kill('SIGKILL');
  }
}

/** One probe in a fresh child (minimisation): the outcome only. */
function probeOnce(script: string, o: Options, text: string): Outcome {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${o.heap}`, script], {
    input: JSON.stringify({ id: 0, text }) + '\n',
    encoding: 'utf8',
    timeout: o.timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'hang';
  if (r.status !== 0) return deathOutcome(r.stderr ?? '');
  const line = r.stdout.trim().split('\n').pop();
  return line ? classify(JSON.parse(line) as ProbeResult) : 'crash';
}

/** Removes chunks of lines, then of characters, while the outcome stays `outcome` (until `deadline`). */
function minimise(script: string, o: Options, text: string, outcome: Outcome, deadline: number): string {
  const same = (t: string): boolean => Date.now() < deadline && probeOnce(script, o, t) === outcome;
  let parts = text.split(/(?<=\n)/);
  for (const unit of ['lines', 'chars'] as const) {
    if (unit === 'chars') {
      if (parts.join('').length > 2000) break;
      parts = [...parts.join('')];
    }
    let chunk = Math.max(1, Math.floor(parts.length / 2));
    while (chunk >= 1 && Date.now() < deadline) {
      let removed = false;
      for (let i = 0; i + chunk <= parts.length && Date.now() < deadline;) {
        const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)];
        if (candidate.length && same(candidate.join(''))) {
          parts = candidate;
          removed = true;
        } else i += chunk;
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
  }
  return parts.join('');
}

// --- the run

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const script = path.join(__dirname, 'fuzzChild.js');
  const corpus = loadCorpus(o);
  if (!corpus.length) throw new Error('no Rust files to fuzz from');
  mkdirSync(o.out, { recursive: true });
  console.log(
    `fuzz: seed ${o.seed}, ${o.seconds} s, ${o.jobs} children (heap ${o.heap} MB, timeout ${o.timeout} ms), ${corpus.length} seed files`,
  );
  const r = rng(o.seed);
  const counts = new Map<Outcome, number>();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let slowSaved = 0;
  // The slowest inputs by CPU time, slowest first, written to slowest/ at the end (what comes
  // nearest the 2 s bound is what to look at next, even when nothing passes it).
  const slowest: { cpuMs: number; text: string }[] = [];
  const findings: { outcome: Outcome; text: string; how: string[]; detail?: string }[] = [];
  const internal = new Map<string, number>();
  const end = Date.now() + o.seconds * 1000;
  const t0 = Date.now();
  const children = Array.from({ length: o.jobs }, () => new Child(script, o));
  let n = 0;
  // A progress line a minute, so that a long run can be read before it ends.
  const progress = setInterval(() => {
    const c = [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${n} inputs (${c})`);
  }, 60_000);
  await Promise.all(
    children.map(async (c) => {
      while (Date.now() < end && n < o.inputs) {
        const { text, how } = mutate(pick(corpus, r), r, corpus);
        n++;
        const a = await c.probe(text);
        counts.set(a.outcome, (counts.get(a.outcome) ?? 0) + 1);
        if (a.res) times.push(a.res.ms);
        else times.push(o.timeout);
        if (a.res) {
          cpuTimes.push(a.res.cpuMs);
          if (slowest.length < SLOWEST_KEPT || a.res.cpuMs > slowest[slowest.length - 1].cpuMs) {
            slowest.push({ cpuMs: a.res.cpuMs, text });
            slowest.sort((x, y) => y.cpuMs - x.cpuMs);
            slowest.length = Math.min(slowest.length, SLOWEST_KEPT);
          }
        }
        if (a.outcome === 'slow' && slowSaved < 50) {
          // Slow inputs are not failures (CI's machine is shared) but are kept to be looked at.
          const raw = path.join(o.out, 'raw');
          mkdirSync(raw, { recursive: true });
          writeFileSync(path.join(raw, `slow-${++slowSaved}-${Math.round(a.res?.cpuMs ?? 0)}ms.rs`), text);
        }
        if (a.outcome === 'internal' && a.res)
          for (const f of a.res.failures) {
            const key = f.replace(/^[^:]*: /, '').slice(0, 120);
            internal.set(key, (internal.get(key) ?? 0) + 1);
          }
        const detail = a.detail ?? a.res?.escaped ?? a.res?.badPositions.join('; ');
        if (SAVED.includes(a.outcome) && findings.length < 200) {
          findings.push({ outcome: a.outcome, text, how, detail });
          // Saved at once too (not minimised), so that a long run can be looked at while it runs.
          const raw = path.join(o.out, 'raw');
          mkdirSync(raw, { recursive: true });
          writeFileSync(path.join(raw, `${a.outcome}-${findings.length}.rs`), text);
        }
      }
    }),
  );
  clearInterval(progress);
  for (const c of children) c.kill();
  const wall = (Date.now() - t0) / 1000;

  // Minimise and save the findings (one per outcome and first line of detail).
  mkdirSync(o.out, { recursive: true });
  const seen = new Set<string>();
  const minDeadline = Date.now() + o.minimiseSeconds * 1000;
  const saved: string[] = [];
  for (const f of findings) {
    const key = `${f.outcome}:${(f.detail ?? '').split('\n')[0].replace(/\d+/g, 'N').slice(0, 80)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const small = Date.now() < minDeadline ? minimise(script, o, f.text, f.outcome, Math.min(minDeadline, Date.now() + 30_000)) : f.text;
    const hash = createHash('sha256').update(small).digest('hex').slice(0, 10);
    const file = path.join(o.out, `${f.outcome}-${hash}.rs`);
    writeFileSync(file, small);
    writeFileSync(
      file.replace(/\.rs$/, '.json'),
      JSON.stringify({ outcome: f.outcome, seed: o.seed, mutations: f.how, detail: f.detail }, null, 2),
    );
    saved.push(file);
  }

  const slowestDir = path.join(o.out, 'slowest');
  mkdirSync(slowestDir, { recursive: true });
  slowest.forEach((x, i) => writeFileSync(path.join(slowestDir, `slowest-${i + 1}-${Math.round(x.cpuMs)}ms.rs`), x.text));

  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  console.log(`\n${n} inputs in ${wall.toFixed(0)} s: ${(n / wall).toFixed(1)} inputs/s`);
  for (const k of ['answered', 'slow', 'internal', 'bad-positions', 'escaped', 'hang', 'oom', 'crash'] as Outcome[])
    console.log(`  ${k.padEnd(14)} ${counts.get(k) ?? 0}`);
  console.log(
    `time per input (in-process, ms): p50 ${percentile(times, 50).toFixed(0)}, p90 ${percentile(times, 90).toFixed(0)}, p99 ${percentile(times, 99).toFixed(0)}, max ${(times[times.length - 1] ?? 0).toFixed(0)}`,
  );
  console.log(
    `CPU time per input (ms): p50 ${percentile(cpuTimes, 50).toFixed(0)}, p90 ${percentile(cpuTimes, 90).toFixed(0)}, p99 ${percentile(cpuTimes, 99).toFixed(0)}, max ${(cpuTimes[cpuTimes.length - 1] ?? 0).toFixed(0)}`,
  );
  if (internal.size) {
    console.log('exceptions caught at a function boundary:');
    for (const [k, v] of [...internal].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${v}× ${k}`);
  }
  for (const s of saved) console.log(`finding: ${path.relative(process.cwd(), s)}`);
  const fatal = FATAL.reduce((s, k) => s + (counts.get(k) ?? 0), 0);
  console.log(fatal ? `FAIL: ${fatal} inputs hung, crashed, ran out of memory or let an exception escape (seed ${o.seed})` : 'ok');
  process.exit(fatal ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
