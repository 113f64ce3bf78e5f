/**
 * HAND-BUILT snapshots, written by hand to the protocol (shared/protocol.ts), NOT produced by
 * the engine. They exist so that the renderer and the panel are tested on cases the engine cannot
 * produce yet (or cannot produce at all: function names with markup, dangling pointers), and they
 * model what the seeds' examples look like after their statements run. Tests that use engine
 * output live beside these and say which they use.
 *
 * Lines in `range`s are 0-based (LSP); `line` and `movedTo` are 1-based (protocol).
 */
import type { Frame, HeapBlock, Slot, Snapshot, StaticItem, Value } from '../../shared/protocol';

const r = (line: number, c0: number, c1: number) => ({ start: { line, character: c0 }, end: { line, character: c1 } });

function base(partial: Partial<Snapshot>): Snapshot {
  return {
    status: 'ok',
    message: '',
    visit: 1,
    visits: 1,
    step: 0,
    steps: 1,
    frames: [],
    heap: [],
    statics: [],
    events: [],
    ...partial,
  };
}

function slot(frame: string, name: string, type: string, size: number | null, value: Value, extra: Partial<Slot> = {}): Slot {
  return {
    id: `slot:${frame}:${name}`,
    name,
    type,
    size,
    align: size === null ? null : Math.min(size, 8),
    value,
    state: 'init',
    mutable: false,
    declRange: r(0, 0, name.length),
    ...extra,
  };
}

const scalar = (text: string): Value => ({ kind: 'scalar', text });
const ptr = (text: string, id: string, region: 'stack' | 'heap' | 'static', more: { index?: number; dangling?: boolean } = {}): Value => ({
  kind: 'pointer',
  text,
  target: { id, region, ...more },
});
const stringValue = (text: string, heapId: string, len: number, cap: number): Value => ({
  kind: 'aggregate',
  text,
  fields: [
    { name: 'ptr', value: ptr('→ heap', heapId, 'heap') },
    { name: 'len', value: scalar(String(len)) },
    { name: 'cap', value: scalar(String(cap)) },
  ],
});
const strValue = (text: string, staticId: string, len: number): Value => ({
  kind: 'aggregate',
  text,
  fields: [
    { name: 'ptr', value: ptr('→ static memory', staticId, 'static') },
    { name: 'len', value: scalar(String(len)) },
  ],
});
const bytesBlock = (id: string, text: string, owner: string, extra: Partial<HeapBlock> = {}): HeapBlock => {
  const n = Buffer.byteLength(text, 'utf8');
  return {
    id,
    type: '[u8]',
    size: n,
    capacity: n,
    len: n,
    elementCapacity: n,
    contents: Array.from(text).map((ch) => scalar(ch)),
    text,
    owner,
    ownerPlace: owner.split(':').pop(),
    kind: 'String',
    state: 'live',
    ...extra,
  };
};
const literal = (id: string, text: string, line = 0): StaticItem => ({
  id,
  kind: 'literal',
  name: JSON.stringify(text),
  type: 'str',
  size: Buffer.byteLength(text, 'utf8'),
  value: scalar(JSON.stringify(text)),
  range: r(line, 0, text.length + 2),
});

/** Hand-built: seed 000 example 1 after `let y = x;` — the String moved from `x` to `y`. */
export function handBuiltStringMove(): Snapshot {
  const f = 'frame:0';
  const main: Frame = {
    id: f,
    function: 'main',
    slots: [
      slot(f, 'x', 'String', 24, stringValue('"wilspi"', 'heap:0', 6, 6), {
        state: 'moved',
        movedTo: { to: 'y', line: 6, column: 13 },
        declRange: r(3, 8, 9),
      }),
      slot(f, 'y', 'String', 24, stringValue('"wilspi"', 'heap:0', 6, 6), { declRange: r(5, 8, 9) }),
    ],
  };
  return base({
    message: 'after line 6 of `main`',
    function: 'main',
    line: 6,
    step: 3,
    steps: 6,
    range: r(5, 4, 14),
    frames: [main],
    heap: [bytesBlock('heap:0', 'wilspi', 'slot:frame:0:y', { allocatedAt: r(3, 12, 34) })],
    statics: [literal('static:0', 'wilspi', 3)],
    events: [{ kind: 'move', text: 'moved `x` to `y`', ids: ['slot:frame:0:x', 'slot:frame:0:y'] }],
  });
}

/** Hand-built: seed 003 inside `foo()` called from `main` — two frames, newest on top. */
export function handBuiltFooCalledFromMain(): Snapshot {
  return base({
    message: 'after line 6 of `foo`',
    function: 'foo',
    line: 6,
    step: 4,
    steps: 8,
    frames: [
      { id: 'frame:0', function: 'main', slots: [slot('frame:0', 'x', 'i32', 4, scalar('42'), { declRange: r(10, 8, 9) })] },
      {
        id: 'frame:1',
        function: 'foo',
        callSite: r(12, 4, 9),
        slots: [
          slot('frame:1', 'y', 'i32', 4, scalar('5'), { declRange: r(3, 8, 9) }),
          slot('frame:1', 'z', 'i32', 4, scalar('100'), { declRange: r(5, 8, 9) }),
        ],
      },
    ],
    events: [{ kind: 'storage-live', text: '`z` = 100', ids: ['slot:frame:1:z'] }],
  });
}

/** Hand-built: `Box<i32>`, `Vec<i32>` with spare capacity, a `&str` literal and a `&i32` to a stack slot. */
export function handBuiltBoxVecStr(): Snapshot {
  const f = 'frame:0';
  return base({
    message: 'after line 7 of `main`',
    function: 'main',
    line: 7,
    step: 9,
    steps: 12,
    frames: [
      {
        id: f,
        function: 'main',
        slots: [
          slot(f, 'on_stack', 'i32', 4, scalar('5')),
          slot(f, 'on_heap', 'Box<i32>', 8, ptr('Box(5)', 'heap:0', 'heap')),
          slot(
            f,
            'v',
            'Vec<i32>',
            24,
            {
              kind: 'aggregate',
              text: 'vec![1, 2, 3]',
              fields: [
                { name: 'ptr', value: ptr('→ heap', 'heap:1', 'heap') },
                { name: 'len', value: scalar('3') },
                { name: 'cap', value: scalar('4') },
              ],
            },
            { mutable: true },
          ),
          slot(f, 's', '&str', 16, strValue('"hello"', 'static:0', 5)),
          slot(f, 'r', '&i32', 8, ptr('&on_stack', `slot:${f}:on_stack`, 'stack')),
          slot(f, 'later', 'String', 24, { kind: 'uninit', text: 'uninit' }, { state: 'uninit' }),
        ],
      },
    ],
    heap: [
      {
        id: 'heap:0',
        type: 'i32',
        size: 4,
        capacity: 4,
        contents: [scalar('5')],
        owner: `slot:${f}:on_heap`,
        ownerPlace: 'on_heap',
        kind: 'Box',
        state: 'live',
      },
      {
        id: 'heap:1',
        type: '[i32]',
        size: 12,
        capacity: 16,
        len: 3,
        elementCapacity: 4,
        contents: [scalar('1'), scalar('2'), scalar('3')],
        owner: `slot:${f}:v`,
        ownerPlace: 'v',
        kind: 'Vec',
        state: 'live',
      },
    ],
    statics: [literal('static:0', 'hello', 5)],
    events: [{ kind: 'borrow', text: '`r` borrows `on_stack`', ids: [`slot:${f}:r`, `slot:${f}:on_stack`] }],
  });
}

/** Hand-built: the end of seed 002's Rc cycle: `a` and `b` dropped, both nodes leaked (heap → heap pointers). */
export function handBuiltRcCycleLeak(): Snapshot {
  const f = 'frame:0';
  const node = (value: string, next: string): Value => ({
    kind: 'aggregate',
    adt: 'RefCell',
    text: 'RefCell { .. }',
    fields: [
      { name: 'borrow', value: scalar('0') },
      {
        name: 'value',
        value: {
          kind: 'aggregate',
          adt: 'Node',
          text: 'Node { .. }',
          fields: [
            { name: 'value', value: scalar(value) },
            {
              name: 'next',
              value: { kind: 'aggregate', text: 'Some(..)', variant: 'Some', fields: [{ name: '0', value: ptr('Rc', next, 'heap') }] },
            },
          ],
        },
      },
    ],
  });
  return base({
    message: 'after line 21 of `main` (end of `main`)',
    function: 'main',
    line: 21,
    step: 30,
    steps: 31,
    frames: [
      {
        id: f,
        function: 'main',
        slots: [
          slot(f, 'a', 'Rc<RefCell<Node>>', 8, ptr('Rc', 'heap:0', 'heap'), { state: 'dropped' }),
          slot(f, 'b', 'Rc<RefCell<Node>>', 8, ptr('Rc', 'heap:1', 'heap'), { state: 'dropped' }),
        ],
      },
    ],
    heap: [
      {
        id: 'heap:0',
        type: 'RefCell<Node>',
        kind: 'Rc',
        size: 48,
        capacity: 48,
        contents: [node('1', 'heap:1')],
        rc: { strong: 1, weak: 0 },
        state: 'leaked',
      },
      {
        id: 'heap:1',
        type: 'RefCell<Node>',
        kind: 'Rc',
        size: 48,
        capacity: 48,
        contents: [node('2', 'heap:0')],
        rc: { strong: 1, weak: 0 },
        state: 'leaked',
      },
    ],
    events: [
      { kind: 'drop', text: 'dropped `b` (Rc strong count 2 → 1)', ids: ['slot:frame:0:b', 'heap:1'] },
      { kind: 'drop', text: 'dropped `a` (Rc strong count 2 → 1)', ids: ['slot:frame:0:a', 'heap:0'] },
      { kind: 'leak', text: 'both Rc allocations are never freed (reference cycle)', ids: ['heap:0', 'heap:1'] },
    ],
  });
}

/** Hand-built: a block freed at this step, and a pointer left dangling into it (and one into nothing). */
export function handBuiltFreedAndDangling(): Snapshot {
  const f = 'frame:0';
  return base({
    message: 'after line 4 of `main`',
    function: 'main',
    line: 4,
    step: 5,
    steps: 7,
    frames: [
      {
        id: f,
        function: 'main',
        slots: [
          slot(f, 's', 'String', 24, stringValue('"gone"', 'heap:0', 4, 4), { state: 'dropped' }),
          slot(f, 'p', '*const u8', 8, ptr('0x…', 'heap:0', 'heap', { dangling: true })),
          slot(f, 'q', '*const u8', 8, ptr('0x…', 'heap:9', 'heap', { dangling: true })),
        ],
      },
    ],
    heap: [bytesBlock('heap:0', 'gone', 'slot:frame:0:s', { state: 'freed', freedAt: r(3, 0, 1) })],
    events: [
      { kind: 'drop', text: 'dropped `s`', ids: ['slot:frame:0:s'] },
      { kind: 'free', text: 'freed the bytes of `s` (4 bytes)', ids: ['heap:0'] },
    ],
  });
}

/** The markup payloads the XSS tests look for; each must show as text and run nothing. */
export const XSS_PAYLOADS = ['<img src=x onerror=alert(1)>', '</svg><script>alert(2)</script>'] as const;

/**
 * Hand-built: hostile text in every field that comes from the user's source (names, types,
 * literals, values, messages, ids), including places Rust syntax cannot reach, to test escaping.
 */
export function handBuiltXss(): Snapshot {
  const [img, script] = XSS_PAYLOADS;
  const f = 'frame:0';
  return base({
    message: `after line 3 of \`${img}\``,
    function: img,
    line: 3,
    step: 2,
    steps: 3,
    frames: [
      {
        id: f,
        function: script,
        slots: [
          slot(f, 'a', '&str', 16, strValue(JSON.stringify(img), 'static:0', img.length)),
          slot(f, 'b', 'String', 24, stringValue(JSON.stringify(script), 'heap:0', script.length, script.length)),
          slot(f, `"><svg onload=alert(3)>`, `Vec<&'static str>`, 24, scalar(`'&amp;'`)),
        ],
      },
    ],
    heap: [bytesBlock('heap:0', script, 'slot:frame:0:b')],
    statics: [literal('static:0', img), literal('static:1', script)],
    events: [{ kind: 'write', text: `wrote ${script}`, ids: [] }],
    unknowns: [img],
  });
}

/** Hand-built: the simulation hit its step limit before the cursor (a `loop {}`), with the last step shown. */
export function handBuiltStepLimit(): Snapshot {
  const f = 'frame:0';
  return base({
    status: 'stopped',
    message: 'the simulation stopped after 100000 steps (step limit) in `main`, before line 5',
    function: 'main',
    line: 3,
    step: 99999,
    steps: 100000,
    visit: 1,
    visits: 1,
    frames: [{ id: f, function: 'main', slots: [slot(f, 'n', 'u64', 8, scalar('49999'), { mutable: true })] }],
    stopped: { reason: 'step-limit', message: 'stopped after 100000 steps: the loop on line 3 does not end within the step budget' },
  });
}

/** Hand-built: nothing to show (cursor outside any function). */
export function handBuiltNoFunction(): Snapshot {
  return base({ status: 'no-function', message: 'The cursor is not inside a function body.', steps: 0 });
}

/** Every hand-built snapshot by a short name, for loops in tests and the screenshot gallery. */
export const HAND_BUILT: Record<string, () => Snapshot> = {
  'string-move': handBuiltStringMove,
  'foo-from-main': handBuiltFooCalledFromMain,
  'box-vec-str': handBuiltBoxVecStr,
  'rc-cycle-leak': handBuiltRcCycleLeak,
  'freed-dangling': handBuiltFreedAndDangling,
  xss: handBuiltXss,
  'step-limit': handBuiltStepLimit,
  'no-function': handBuiltNoFunction,
};
