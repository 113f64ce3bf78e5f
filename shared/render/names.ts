/**
 * How both renderers name things in Rust's words: a heap block by its owner place ("String
 * data of names[0]", "Vec<i32> buffer of v", "Box<Node> of list.head"), a move ("moved to y",
 * "moved into names.push(..)"). Pure functions of the protocol's data.
 */
import type { HeapBlock } from '../protocol';

/** The element type of a block type `[T]`, or the type itself. */
export function elementType(b: HeapBlock): string {
  return /^\[(.*)\]$/.exec(b.type)?.[1] ?? b.type;
}

/** A heap block's title in Rust's words: "String data of names[0]", "Vec<i32> buffer of v". */
export function blockTitle(b: HeapBlock): string {
  const of = b.ownerPlace ? ` of ${b.ownerPlace}` : '';
  const old = b.state === 'freed' && b.ownerPlace ? 'old ' : '';
  switch (b.kind) {
    case 'String':
      return `${old}String data${of}`;
    case 'Vec':
    case 'VecDeque':
      return `${old}${b.kind}<${elementType(b)}> buffer${of}`;
    case 'Box':
    case 'Rc':
    case 'Arc':
      return `${b.kind}<${b.type}>${of}`;
    case 'HashMap':
    case 'HashSet':
    case 'BTreeMap':
    case 'BTreeSet':
      return `${b.kind} table${of}`;
    default:
      return b.ownerPlace ? `${b.type} of ${b.ownerPlace}` : b.type;
  }
}

/** "moved to `y`" or, for a call, "moved into `names.push(..)`". */
export function movedText(to: string | undefined): string {
  if (!to) return 'moved';
  return /\(/.test(to) ? `moved into ${to}` : `moved to ${to}`;
}

/** The line that says how many heap blocks a snapshot leaves out (`Snapshot.heapNotDrawn`). */
export function heapNotDrawnText(n: { blocks: number; bytes: number | null }): string {
  const bytes = n.bytes === null ? '' : ` (${n.bytes.toLocaleString('en-US')} bytes)`;
  return `… ${n.blocks.toLocaleString('en-US')} more heap block${n.blocks === 1 ? '' : 's'}${bytes} not drawn: too many to show`;
}
