/**
 * `cfg!(predicate)` evaluated for the target the engine describes everywhere else (layouts,
 * memory claims): x86_64 Linux, std's default `panic = "unwind"` strategy. Rust reference,
 * "Conditional compilation": `all(..)`, `any(..)`, `not(..)`, `key` and `key = "value"`.
 *
 * Only options that do not depend on how the program is built are answered; `debug_assertions`
 * (a debug build has it, `-O` not), `test`, `feature = ".."`, `overflow_checks` and anything
 * unlisted are unknown: `cfgValue` returns null and the caller keeps the value unknown.
 */

/** Options set on the target (`unix`, `target_os = "linux"`, ...), as `key` or `key=value`. */
const SET = new Set([
  'unix',
  'target_os=linux',
  'target_family=unix',
  'target_arch=x86_64',
  'target_pointer_width=64',
  'target_endian=little',
  'target_env=gnu',
  'target_vendor=unknown',
  'panic=unwind',
  'target_has_atomic=8',
  'target_has_atomic=16',
  'target_has_atomic=32',
  'target_has_atomic=64',
  'target_has_atomic=ptr',
]);
/** Keys whose every value is known from `SET` (an unset value of them is false). */
const KNOWN_KEYS = new Set([
  'unix',
  'windows',
  'target_os',
  'target_family',
  'target_arch',
  'target_pointer_width',
  'target_endian',
  'target_env',
  'target_vendor',
  'panic',
  'target_has_atomic',
  'miri',
]);

/** The value of the predicate `src` (the text inside `cfg!(..)`); null when it is not known. Bounded by the text's length. */
export function cfgValue(src: string): boolean | null {
  const toks = src.match(/"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|[(),=]/g) ?? [];
  let i = 0;
  const pred = (depth: number): boolean | null | undefined => {
    if (depth > 32) return undefined;
    const key = toks[i++];
    if (key === undefined || !/^[A-Za-z_]/.test(key)) return undefined;
    if ((key === 'all' || key === 'any' || key === 'not') && toks[i] === '(') {
      i++;
      const vals: (boolean | null)[] = [];
      while (toks[i] !== ')') {
        const v = pred(depth + 1);
        if (v === undefined) return undefined;
        vals.push(v);
        if (toks[i] === ',') i++;
        else if (toks[i] !== ')') return undefined;
      }
      i++;
      if (key === 'not') return vals.length !== 1 ? undefined : vals[0] === null ? null : !vals[0];
      if (key === 'all') return vals.includes(false) ? false : vals.includes(null) ? null : true;
      return vals.includes(true) ? true : vals.includes(null) ? null : false;
    }
    let name = key;
    if (toks[i] === '=') {
      i++;
      const lit = toks[i++];
      if (!lit || !lit.startsWith('"')) return undefined;
      name = `${key}=${lit.slice(1, -1)}`;
    }
    if (SET.has(name)) return true;
    return KNOWN_KEYS.has(key) ? false : null;
  };
  const v = pred(0);
  return v === undefined || i !== toks.length ? null : v;
}
