/**
 * Test support: a tiny builder for hand-written MIR bodies (mir/mir.ts), so interpreter tests
 * do not depend on the HIR → MIR builder. Spans are whole lines: `line` is 1-based, as people
 * read code; the span covers columns 4..40 of that line (0-based LSP inside).
 */
import { emptyFile, type AdtDef, type FileHir, type Lit } from '../../server/src/hir/hir';
import type { Ty } from '../../server/src/hir/ty';
import type {
  BasicBlock,
  Body,
  Callee,
  MirLocal,
  Operand,
  Place,
  ProjectionElem,
  Rvalue,
  Statement,
  Terminator,
} from '../../server/src/mir/mir';
import { stdFnId } from '../../server/src/std/registry';

export const span = (line: number, from = 4, to = 40) => ({
  start: { line: line - 1, character: from },
  end: { line: line - 1, character: to },
});

export const I32: Ty = { kind: 'int', name: 'i32' };
export const U64: Ty = { kind: 'int', name: 'u64' };
export const STRING: Ty = { kind: 'adt', name: 'String', args: [], std: true };
export const STR_REF: Ty = { kind: 'ref', mutable: false, inner: { kind: 'str' } };
export const UNIT: Ty = { kind: 'tuple', elems: [] };
export const std = (name: string, ...args: Ty[]): Ty => ({ kind: 'adt', name, args, std: true });
export const adt = (name: string, ...args: Ty[]): Ty => ({ kind: 'adt', name, args });
export const refTy = (inner: Ty, mutable = false): Ty => ({ kind: 'ref', mutable, inner });

export const pl = (local: number, ...projection: ProjectionElem[]): Place => ({ local, projection });
export const deref: ProjectionElem = { kind: 'deref' };
export const field = (index: number, name: string, ty: Ty): ProjectionElem => ({ kind: 'field', index, name, ty });
export const mv = (local: number, ...projection: ProjectionElem[]): Operand => ({ kind: 'move', place: pl(local, ...projection) });
export const cp = (local: number, ...projection: ProjectionElem[]): Operand => ({ kind: 'copy', place: pl(local, ...projection) });
export const int = (v: number, ty: Ty = I32): Operand => ({
  kind: 'constant',
  value: { kind: 'lit', lit: { kind: 'int', value: BigInt(v) } },
  ty,
});
export const lit = (l: Lit, ty: Ty): Operand => ({ kind: 'constant', value: { kind: 'lit', lit: l }, ty });
export const str = (s: string): Operand => lit({ kind: 'str', value: s }, STR_REF);
export const use = (operand: Operand): Rvalue => ({ kind: 'use', operand });
/** A std callee by its registry id (`String::from`, `vec!`); throws for an id the registry does not have. */
export const stdCall = (id: string): Callee => ({ kind: 'std', path: id, id: stdFnId(id) });
export const borrow = (local: number, mutable = false): Rvalue => ({ kind: 'ref', borrow: mutable ? 'mut' : 'shared', place: pl(local) });

export class BodyBuilder {
  private locals: MirLocal[] = [];
  private blocks: BasicBlock[] = [];
  argCount = 0;

  constructor(
    readonly name: string,
    readonly firstLine: number,
    readonly lastLine: number,
    ret: Ty = UNIT,
  ) {
    this.locals.push({ ty: ret, mutable: true, span: span(firstLine), kind: 'return' });
  }

  arg(name: string, ty: Ty, line = this.firstLine): number {
    this.argCount++;
    this.locals.push({ name, ty, mutable: false, span: span(line), kind: 'arg' });
    return this.locals.length - 1;
  }

  user(name: string, ty: Ty, line: number, mutable = false): number {
    this.locals.push({ name, ty, mutable, span: span(line, 8, 8 + name.length), kind: 'user' });
    return this.locals.length - 1;
  }

  temp(ty: Ty, line = this.firstLine): number {
    this.locals.push({ ty, mutable: true, span: span(line), kind: 'temp' });
    return this.locals.length - 1;
  }

  /** A new empty block (terminator `return` until set). */
  block(): number {
    this.blocks.push({ statements: [], terminator: { kind: 'return', span: span(this.lastLine, 0, 1) } });
    return this.blocks.length - 1;
  }

  private push(bb: number, s: Statement): this {
    this.blocks[bb].statements.push(s);
    return this;
  }

  assign(bb: number, line: number, place: Place, rvalue: Rvalue): this {
    return this.push(bb, { kind: 'assign', place, rvalue, span: span(line) });
  }

  live(bb: number, line: number, local: number): this {
    return this.push(bb, { kind: 'storageLive', local, span: span(line) });
  }

  dead(bb: number, line: number, local: number): this {
    return this.push(bb, { kind: 'storageDead', local, span: span(line, 0, 1) });
  }

  term(bb: number, line: number, t: Terminator extends infer T ? (T extends { span: unknown } ? Omit<T, 'span'> : never) : never): this {
    this.blocks[bb].terminator = { ...t, span: span(line) } as Terminator;
    return this;
  }

  call(bb: number, line: number, func: Callee, args: Operand[], dest: Place, target: number | null, macro?: string): this {
    return this.term(bb, line, { kind: 'call', func, args, dest, target, fnSpan: span(line), ...(macro ? { macro } : {}) });
  }

  drop(bb: number, line: number, local: number, target: number): this {
    return this.term(bb, line, { kind: 'drop', place: pl(local), target });
  }

  build(): Body {
    return {
      name: this.name,
      span: { start: { line: this.firstLine - 1, character: 0 }, end: { line: this.lastLine - 1, character: 1 } },
      locals: this.locals,
      argCount: this.argCount,
      blocks: this.blocks,
      unsupported: [],
    };
  }
}

/** A FileHir with only the ADTs (the interpreter reads `adts` and `statics`). */
export function fileWith(adts: AdtDef[] = []): FileHir {
  const file = emptyFile();
  for (const a of adts) file.adts.set(a.name, a);
  return file;
}

/** A struct definition for `fileWith`. */
export function structDef(name: string, fields: { name: string; ty: Ty }[], extra: Partial<AdtDef> = {}): AdtDef {
  return {
    name,
    path: name,
    kind: 'struct',
    generics: [],
    lifetimes: [],
    fields: fields.map((f) => ({ ...f, span: span(1) })),
    variants: [],
    derives: [],
    hasDropImpl: false,
    implsCopy: false,
    implsClone: false,
    repr: [],
    span: span(1),
    nameSpan: span(1),
    ...extra,
  };
}
