/**
 * Strings: `String` (a RawVec of UTF-8 bytes, `Deref<Target = str>`) and `str`, with the
 * iterators their methods return. Sources: doc.rust-lang.org/std/string/struct.String.html,
 * std/primitive.str.html; layout: `alloc/src/string.rs` (`struct String { vec: Vec<u8> }`).
 * Simulation: `sim/string.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

/** Vec/String fields: rustc puts `cap` (the largest niche) first, then `ptr`, then `len` (-Zprint-type-sizes, rustc 1.95). */
export const VEC_FIELDS = [
  { name: 'ptr', offset: 8, size: 8 },
  { name: 'len', offset: 16, size: 8 },
  { name: 'cap', offset: 0, size: 8 },
] as const;
/** RawVec's capacity (`Cap`, `0..=isize::MAX`) leaves 2^63 invalid values: `Option<Vec<T>>` is 24 bytes. */
export const CAP_NICHE = { offset: 0, size: 8, available: 1n << 63n } as const;

const iterOf = (name: string, item: string, lifetime = true, extra: Partial<StdTypeDef> = {}): StdTypeDef => ({
  name,
  path: `std::str::${name}`,
  params: name === 'Split' ? ['P'] : [],
  ...(lifetime ? { lifetimes: ["'a"] } : {}),
  copy: 'never',
  clone: 'always',
  needsDrop: 'never',
  layout: null,
  iterator: { item },
  ...extra,
});

export const STRING_TYPES = [
  {
    name: 'String',
    path: 'std::string::String',
    params: [],
    prelude: true,
    copy: 'never',
    clone: 'always',
    needsDrop: 'always',
    default: 'always',
    display: 'always',
    deref: { target: 'str', mutable: true },
    heap: { kind: 'buffer', elem: 'u8' },
    layout: { size: 24, align: 8, fields: VEC_FIELDS, niche: CAP_NICHE },
    index: [{ by: 'range', output: 'str' }],
  },
  iterOf('Chars', 'char'),
  iterOf('CharIndices', '(usize, char)'),
  iterOf('Bytes', 'u8'),
  iterOf('Lines', "&'a str"),
  iterOf('Split', "&'a str"),
  iterOf('SplitWhitespace', "&'a str"),
  /** `string::Drain<'a>` (no type parameter; `vec::Drain<'a, T>` is another type of the same name): yields chars. */
  { ...iterOf('Drain', 'char'), path: 'std::string::Drain', clone: 'never', needsDrop: 'always', mutBorrow: true },
] as const satisfies readonly StdTypeDef[];

export const STRING_IMPL = {
  self: 'String',
  fns: {
    new: 'fn new() -> String',
    with_capacity: 'fn with_capacity(capacity: usize) -> String',
    from: 'fn from(value: ?) -> String',
    push_str: 'fn push_str(&mut self, string: &str)',
    push: 'fn push(&mut self, ch: char)',
    len: 'fn len(&self) -> usize',
    capacity: 'fn capacity(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    as_str: 'fn as_str(&self) -> &str',
    as_mut_str: 'fn as_mut_str(&mut self) -> &mut str',
    as_bytes: 'fn as_bytes(&self) -> &[u8]',
    into_bytes: 'fn into_bytes(self) -> Vec<u8>',
    into_boxed_str: 'fn into_boxed_str(self) -> Box<str>',
    insert: 'fn insert(&mut self, idx: usize, ch: char)',
    insert_str: 'fn insert_str(&mut self, idx: usize, string: &str)',
    pop: 'fn pop(&mut self) -> Option<char>',
    remove: 'fn remove(&mut self, idx: usize) -> char',
    clear: 'fn clear(&mut self)',
    truncate: 'fn truncate(&mut self, new_len: usize)',
    reserve: 'fn reserve(&mut self, additional: usize)',
    shrink_to_fit: 'fn shrink_to_fit(&mut self)',
    split_off: 'fn split_off(&mut self, at: usize) -> String',
    retain: 'fn retain(&mut self, f: impl FnMut(char) -> bool)',
    drain: "fn drain(&mut self, range: ?) -> Drain<'_>",
    extend: 'fn extend(&mut self, iter: ?)',
    cmp: 'fn cmp(&self, other: &Self) -> Ordering',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
  },
} as const satisfies StdImplDef;

export const STR_IMPL = {
  self: 'str',
  fns: {
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    to_uppercase: 'fn to_uppercase(&self) -> String',
    to_lowercase: 'fn to_lowercase(&self) -> String',
    to_ascii_uppercase: 'fn to_ascii_uppercase(&self) -> String',
    to_ascii_lowercase: 'fn to_ascii_lowercase(&self) -> String',
    repeat: 'fn repeat(&self, n: usize) -> String',
    replace: 'fn replace(&self, from: ?, to: &str) -> String',
    chars: "fn chars(&self) -> Chars<'_>",
    char_indices: "fn char_indices(&self) -> CharIndices<'_>",
    bytes: "fn bytes(&self) -> Bytes<'_>",
    lines: "fn lines(&self) -> Lines<'_>",
    split: "fn split(&self, pat: ?) -> Split<'_, ?>",
    split_whitespace: "fn split_whitespace(&self) -> SplitWhitespace<'_>",
    trim: 'fn trim(&self) -> &str',
    trim_start: 'fn trim_start(&self) -> &str',
    trim_end: 'fn trim_end(&self) -> &str',
    trim_matches: 'fn trim_matches(&self, pat: ?) -> &str',
    trim_start_matches: 'fn trim_start_matches(&self, pat: ?) -> &str',
    trim_end_matches: 'fn trim_end_matches(&self, pat: ?) -> &str',
    contains: 'fn contains(&self, pat: ?) -> bool',
    starts_with: 'fn starts_with(&self, pat: ?) -> bool',
    ends_with: 'fn ends_with(&self, pat: ?) -> bool',
    find: 'fn find(&self, pat: ?) -> Option<usize>',
    parse: 'fn parse<F>(&self) -> Result<F, ?>',
    as_ptr: 'fn as_ptr(&self) -> *const u8',
    as_bytes: 'fn as_bytes(&self) -> &[u8]',
    split_at: 'fn split_at(&self, mid: usize) -> (&str, &str)',
    get: 'fn get(&self, i: ?) -> Option<&str>',
    is_char_boundary: 'fn is_char_boundary(&self, index: usize) -> bool',
    eq_ignore_ascii_case: 'fn eq_ignore_ascii_case(&self, other: &str) -> bool',
    cmp: 'fn cmp(&self, other: &Self) -> Ordering',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
    from_utf8: 'fn from_utf8(v: &[u8]) -> Result<&str, ?>',
  },
} as const satisfies StdImplDef;

export const STRING = {
  name: 'string',
  types: STRING_TYPES,
  impls: [STRING_IMPL, STR_IMPL],
} as const satisfies StdFamily;
