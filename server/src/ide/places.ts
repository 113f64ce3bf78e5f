/**
 * Rust names for the simulated memory: every heap block, pointer target and event is described
 * by the place a Rust programmer would write (`names[0]`, `list.head`, `node.next`), never by
 * the simulation's ids (`heap:2`, `frame:1`), which stay in the data model and tooltips.
 *
 * - The owner of a heap block is the first place (frames oldest first, slots in order, then
 *   blocks in the order they are reached) that holds an owning handle to it: a `String`'s bytes
 *   are owned by `name`, a `Vec<String>`'s second element's bytes by `names[1]`, the node a
 *   `Box` holds by `list.head`. Enum payloads (`Some(..)`), `RefCell`/`Cell` and `Box`/`Rc`
 *   are transparent, as auto-deref makes them in code (`list.head.next`, not
 *   `(*list.head.0).next`).
 * - A location is named from its owner: `&heap:2[0]` is `&names[0]`, a stack path `list.1.0` is
 *   `list.head`.
 * - Event texts from the interpreter are rewritten with the same names (`rewriteEvent`).
 */
import { displayTy, type Ty } from '../hir/ty';
import type { Machine } from '../interp/interp';
import { type Activation, type HeapBlockRec, type Loc, type Val, elemAt } from '../interp/memory';

/** What owns a heap block: the owner's place and the block's kind. */
export interface BlockOwner {
  place: string;
  kind: HeapBlockRec['kind'];
}

const MAX_PLACES = 20_000;

/** Rust places of one machine state (see the module comment). */
export class Places {
  private readonly owners = new Map<number, BlockOwner>();

  constructor(private readonly m: Machine) {
    const queue: { block: number; place: string }[] = [];
    const walk = (v: Val, place: string, ty: Ty | undefined, depth: number): void => {
      if (depth > 12 || this.owners.size > MAX_PLACES) return;
      if (v.k === 'own' && v.block !== null && v.kind !== 'Weak') {
        if (!this.owners.has(v.block)) {
          const b = m.block(v.block);
          this.owners.set(v.block, { place, kind: b?.kind ?? v.kind });
          queue.push({ block: v.block, place });
        }
      } else if (v.k === 'agg') {
        const names = this.fieldNames(v, ty);
        const tys = fieldTys(m, v, ty);
        // Only owners and aggregates hold places that own blocks (no place text for each scalar of a long array).
        v.fields.forEach((f, i) => {
          if (f.k === 'own' || f.k === 'agg') walk(f, this.child(place, v, names, i), tys[i], depth + 1);
        });
      }
    };
    for (const a of m.stack) {
      a.slots.forEach((s, i) => {
        const l = a.body.locals[i];
        if (s.life !== 'init' || !l || l.kind === 'temp' || l.kind === 'return' || !l.name) return;
        walk(s.val, l.name, l.ty, 0);
      });
    }
    for (let q = 0; q < queue.length && q < MAX_PLACES; q++) {
      const { block, place } = queue[q];
      const b = m.block(block);
      // A run's elements are scalars: no place inside them owns anything.
      if (!b || b.state === 'freed' || b.run) continue;
      if (b.kind === 'Vec' || b.kind === 'VecDeque')
        b.elems.forEach((e, i) => {
          if (e.k === 'own' || e.k === 'agg') walk(e, `${place}[${i}]`, b.elemTy, 1);
        });
      else if (b.kind === 'Box' || b.kind === 'Rc' || b.kind === 'Arc') b.elems.forEach((e) => walk(e, place, b.elemTy, 1));
    }
  }

  /** The place that owns block `id` and the block's kind, when a live place owns it. */
  owner(id: number): BlockOwner | undefined {
    return this.owners.get(id);
  }

  /** A location as Rust writes it: `names[0]`, `list.head`, `v`, `"hi"`; undefined when unnamed. */
  loc(l: Loc): string | undefined {
    const m = this.m;
    switch (l.region) {
      case 'stack': {
        const a = m.getAct(l.act);
        const local = a?.body.locals[l.local];
        if (!a || !local || !local.name || local.kind === 'temp') return undefined;
        return this.path(local.name, a.slots[l.local]?.val, local.ty, l.path);
      }
      case 'heap': {
        const o = this.owners.get(l.block);
        const b = m.block(l.block);
        if (!o || !b) return undefined;
        if (b.kind === 'Vec' || b.kind === 'VecDeque' || b.kind === 'String') {
          if (!l.path.length) return o.place;
          return this.path(`${o.place}[${l.path[0]}]`, elemAt(b, l.path[0]), b.elemTy, l.path.slice(1));
        }
        if (!l.path.length) return `*${o.place}`;
        return l.path.length === 1 ? `*${o.place}` : this.path(o.place, elemAt(b, l.path[0]), b.elemTy, l.path.slice(1));
      }
      case 'static': {
        const s = m.statics[l.id];
        return s ? (s.kind === 'literal' ? s.name : s.name) : undefined;
      }
    }
  }

  /** `base` followed by the field path `path` into value `v` of type `ty`, with field names. */
  private path(base: string, v: Val | undefined, ty: Ty | undefined, path: number[]): string {
    let place = base;
    let cur = v;
    let curTy = ty;
    for (const i of path) {
      if (!cur || cur.k !== 'agg') return `${place}${path.length ? '.…' : ''}`;
      const names = this.fieldNames(cur, curTy);
      place = this.child(place, cur, names, i);
      curTy = fieldTys(this.m, cur, curTy)[i];
      cur = cur.fields[i];
      if (cur && cur.k === 'moved') cur = cur.inner;
    }
    return place;
  }

  /** The place of field `i` of aggregate `v` at `place` (payloads, cells transparent). */
  private child(place: string, v: Val & { k: 'agg' }, names: string[], i: number): string {
    if (v.variant !== undefined && v.fields.length === 1) return place;
    if (v.adt === 'RefCell' || v.adt === 'Cell') return place;
    if (v.array) return `${place}[${i}]`;
    return `${place}.${names[i] ?? i}`;
  }

  private fieldNames(v: Val & { k: 'agg' }, ty: Ty | undefined): string[] {
    return fieldNamesOf(this.m, v, ty);
  }
}

/** Field names of an aggregate: its own, its ADT's (struct or variant), a closure's captures, or indices. */
export function fieldNamesOf(m: Machine, v: Val & { k: 'agg' }, ty: Ty | undefined): string[] {
  if (v.names && v.names.length) return v.names;
  if (ty && ty.kind === 'adt') {
    const def = m.adts.get(ty.name);
    if (def) {
      const fields = def.kind === 'enum' ? (def.variants.find((x) => x.name === v.variant)?.fields ?? []) : def.fields;
      return fields.map((f) => f.name);
    }
  }
  if (v.closure) {
    const body = m.input.bodies.get(v.closure);
    if (body) return v.fields.map((_, i) => body.locals[i + 1]?.name ?? String(i));
  }
  return v.fields.map((_, i) => String(i));
}

/** Field types of an aggregate of type `ty` (tuples, arrays, ADTs, std generics). */
export function fieldTys(m: Machine, v: Val & { k: 'agg' }, ty: Ty | undefined): (Ty | undefined)[] {
  if (!ty) return [];
  if (ty.kind === 'tuple') return ty.elems;
  if (ty.kind === 'array') return v.fields.map(() => ty.elem);
  if (ty.kind === 'adt') {
    const def = m.adts.get(ty.name);
    if (def) {
      const fields = def.kind === 'enum' ? (def.variants.find((x) => x.name === v.variant)?.fields ?? []) : def.fields;
      return fields.map((f) => f.ty);
    }
    if (ty.std && ty.args.length) return v.fields.map(() => ty.args[0]);
  }
  return [];
}

// --- events

/** `(**node).next` → `node.next`, `(*self).head` → `self.head`: places as code writes them (auto-deref). */
export function autoDeref(text: string): string {
  let t = text;
  for (let i = 0; i < 4; i++) t = t.replace(/\(\*+([A-Za-z_][\w.[\]]*)\)/g, '$1');
  return t;
}

/** A heap block in words, for event texts: "the bytes of `name`", "the buffer of `names`". */
export function blockPhrase(kind: HeapBlockRec['kind'], place: string | undefined, elemTy?: Ty, old = false): string {
  const of = place ? ` of \`${place}\`` : '';
  const the = old ? 'the old' : 'the';
  switch (kind) {
    case 'String':
      return place ? `${the} bytes of \`${place}\`` : 'String bytes';
    case 'Vec':
    case 'VecDeque':
      return place ? `${the} buffer of \`${place}\`` : `a ${kind} buffer`;
    case 'Box':
      return place ? `the box \`${place}\`` : `a Box${elemTy ? `<${displayTy(elemTy)}>` : ''}`;
    case 'Rc':
    case 'Arc':
      return place ? `the ${kind} allocation${of}` : `an ${kind} allocation`;
    default:
      return place ? `the ${kind} table${of}` : `a ${kind} table`;
  }
}

/**
 * An interpreter event text with ids replaced by Rust names: `heap:2[0]` → `names[0]`,
 * `heap:1` → "the bytes of `name`", `frame:2` → "the frame of `foo`", `static:0` → the literal,
 * `(**node).next` → `node.next`, numbered stack paths (`list.1.0`) → field names, and a value
 * moved into a call "moved into `names.push(..)`". `named(block)` names blocks the current
 * state no longer owns (freed in this step: their owner just before it).
 */
export function rewriteEvent(
  text: string,
  m: Machine,
  places: Places,
  named: (block: number) => BlockOwner | undefined,
  act: Activation | undefined,
): string {
  // A handle's value in an event: `Box(heap:5)` says no more than `Box(…)`.
  let t = text.replace(/\b(Box|Rc|Arc|Weak)\(heap:\d+\)/g, '$1(…)');
  t = t.replace(/heap:(\d+)(?:\[(\d+)\])?/g, (all, id: string, idx: string | undefined) => {
    const n = Number(id);
    const b = m.block(n);
    const live = places.owner(n);
    const o = live ?? named(n);
    if (!b) return all;
    const boxed = b.kind === 'Box' || b.kind === 'Rc' || b.kind === 'Arc';
    if (idx !== undefined && boxed) return o ? `*${o.place}` : blockPhrase(b.kind, undefined, b.elemTy);
    if (idx !== undefined) return o ? `${o.place}[${idx}]` : `element ${idx} of ${blockPhrase(b.kind, undefined, b.elemTy)}`;
    return blockPhrase(b.kind, o?.place, b.elemTy, !live && !!o);
  });
  t = t.replace(/frame:(\d+)/g, (all, id: string) => {
    const a = m.acts[Number(id) - 1];
    return a ? `the frame of \`${a.fn}\`` : all;
  });
  t = t.replace(/static:(\d+)/g, (all, id: string) => m.statics[Number(id)]?.name ?? all);
  t = autoDeref(t);
  // `list.1.0` (a numbered path from the interpreter) → `list.head`.
  // (the binding is looked up in the step's frame, then in the frames below it)
  const frames = act ? [act, ...[...m.stack].reverse().filter((a) => a !== act)] : [...m.stack].reverse();
  t = t.replace(/\b([a-z_][A-Za-z0-9_]*)((?:\.\d+)+)\b/g, (all, base: string, nums: string) => {
    for (const a of frames) {
      const i = a.body.locals.findIndex((l) => l.name === base && l.kind !== 'temp');
      if (i < 0) continue;
      const path = nums
        .slice(1)
        .split('.')
        .map((x) => Number(x));
      return places.loc({ region: 'stack', act: a.id, local: i, path }) ?? all;
    }
    return all;
  });
  return t.replace(/moved `([^`]+)` to `([^`]*\([^`]*\))`/g, 'moved `$1` into `$2`');
}
