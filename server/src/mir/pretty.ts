/**
 * MIR as text, in the shape of rustc's `-Zunpretty=mir` / `-Zdump-mir` output: the locals with
 * their types, then each basic block's statements and terminator. For `rust-memory mir FILE`,
 * golden tests and debugging; nothing parses it back.
 *
 *   fn main() {
 *       let mut _1: String;              // s
 *       bb0: {
 *           StorageLive(_1);
 *           _1 = String::from(const "hi") -> bb1;
 *       }
 *   }
 *
 * Places print as rustc prints them (`(*_2).0`, `_1[_3]`) followed, in the locals table, by the
 * user's name. Spans are not printed (they are in the JSON of the body).
 */
import { displayTy } from '../hir/ty';
import type { Lit } from '../hir/hir';
import { placeText, type Body, type Callee, type Constant, type Operand, type Rvalue, type Statement, type Terminator } from './mir';

function litText(l: Lit): string {
  switch (l.kind) {
    case 'int':
      return `${l.value}_${l.suffix ?? 'i32'}`;
    case 'float':
      return `${l.value}${l.suffix ? `_${l.suffix}` : ''}`;
    case 'bool':
      return String(l.value);
    case 'char':
      return JSON.stringify(l.value).replace(/^"|"$/g, "'");
    case 'str':
      return JSON.stringify(l.value);
    case 'bytestr':
      return `b${JSON.stringify(l.value)}`;
  }
}

function constantText(c: Constant): string {
  switch (c.kind) {
    case 'lit':
      return litText(c.lit);
    case 'unit':
      return '()';
    case 'fn':
      return c.name;
    case 'static':
      return `{static ${c.name}}`;
    case 'unknown':
      return `{unknown: ${c.text}}`;
  }
}

function operandText(o: Operand): string {
  if (o.kind === 'constant') return `const ${constantText(o.value)}`;
  return `${o.kind} ${placeText(o.place)}`;
}

function rvalueText(r: Rvalue): string {
  switch (r.kind) {
    case 'use':
      return operandText(r.operand);
    case 'ref':
      return `&${r.borrow === 'shared' ? '' : r.borrow === 'twoPhaseMut' ? 'mut(2φ) ' : r.borrow === 'unique' ? 'uniq ' : r.borrow === 'fake' ? 'fake ' : 'mut '}${placeText(r.place)}`;
    case 'addressOf':
      return `&raw ${r.mutable ? 'mut' : 'const'} ${placeText(r.place)}`;
    case 'binary':
      return `${operandText(r.lhs)} ${r.op} ${operandText(r.rhs)}`;
    case 'unary':
      return `${r.op === 'not' ? 'Not' : 'Neg'}(${operandText(r.operand)})`;
    case 'aggregate': {
      const ops = r.operands.map(operandText).join(', ');
      switch (r.agg.kind) {
        case 'tuple':
          return `(${ops})`;
        case 'array':
          return `[${ops}]`;
        case 'adt':
          // A constructor called with fewer arguments than fields (code being typed) prints `_`.
          return `${r.agg.adt}${r.agg.variant ? `::${r.agg.variant}` : ''} { ${r.agg.fieldNames.map((f, i) => `${f}: ${r.operands[i] ? operandText(r.operands[i]) : '_'}`).join(', ')} }`;
        case 'closure':
          return `{closure#${r.agg.closureId}}(${ops})`;
      }
      return ops;
    }
    case 'repeat':
      return `[${operandText(r.operand)}; ${r.count ?? '_'}]`;
    case 'cast':
      return `${operandText(r.operand)} as ${displayTy(r.ty)}`;
    case 'len':
      return `Len(${placeText(r.place)})`;
    case 'discriminant':
      return `discriminant(${placeText(r.place)})`;
    case 'opaque':
      return `{opaque: ${r.text}}(${r.operands.map(operandText).join(', ')})`;
  }
}

function statementText(s: Statement): string {
  switch (s.kind) {
    case 'assign':
      return `${placeText(s.place)} = ${rvalueText(s.rvalue)};`;
    case 'storageLive':
      return `StorageLive(_${s.local});`;
    case 'storageDead':
      return `StorageDead(_${s.local});`;
    case 'setDiscriminant':
      return `discriminant(${placeText(s.place)}) = ${s.variant};`;
    case 'fakeRead':
      return `FakeRead(${placeText(s.place)});`;
    case 'placeMention':
      return `PlaceMention(${placeText(s.place)});`;
    case 'nop':
      return 'nop;';
  }
}

function calleeText(c: Callee): string {
  switch (c.kind) {
    case 'fn':
      return c.name;
    case 'std':
      return c.path;
    case 'local':
      return `_${c.local}`;
    case 'unknown':
      return `{unknown: ${c.text}}`;
  }
}

function terminatorText(t: Terminator): string {
  switch (t.kind) {
    case 'goto':
      return `goto -> bb${t.target};`;
    case 'switchInt':
      return `switchInt(${operandText(t.discr)}) -> [${[...t.values.map((v, j) => `${v}: bb${t.targets[j]}`), `otherwise: bb${t.otherwise}`].join(', ')}];`;
    case 'return':
      return 'return;';
    case 'unreachable':
      return 'unreachable;';
    case 'drop':
      return `drop(${placeText(t.place)}) -> bb${t.target};`;
    case 'call':
      return `${placeText(t.dest)} = ${calleeText(t.func)}(${t.args.map(operandText).join(', ')}) -> ${t.target === null ? 'diverge' : `bb${t.target}`};`;
    case 'assert':
      return `assert(${t.expected ? '' : '!'}${operandText(t.cond)}, ${JSON.stringify(t.message)}) -> bb${t.target};`;
    case 'falseEdge':
      return `falseEdge -> [real: bb${t.realTarget}, imaginary: bb${t.imaginaryTarget}];`;
  }
}

/** One body as text (see the module comment). */
export function prettyBody(b: Body): string {
  const lines: string[] = [];
  const params = b.locals.slice(1, b.argCount + 1).map((l, i) => `_${i + 1}: ${displayTy(l.ty)}`);
  lines.push(`fn ${b.name}(${params.join(', ')}) -> ${displayTy(b.locals[0]?.ty ?? { kind: 'tuple', elems: [] })} {`);
  b.locals.forEach((l, i) => {
    if (i >= 1 && i <= b.argCount) {
      if (l.name) lines.push(`    debug ${l.name} => _${i};`);
      return;
    }
    if (i === 0) return;
    const decl = `    let ${l.mutable ? 'mut ' : ''}_${i}: ${displayTy(l.ty)};`;
    lines.push(l.name ? `${decl.padEnd(40)} // ${l.name}` : decl);
  });
  b.blocks.forEach((bb, i) => {
    lines.push('', `    bb${i}${bb.cleanup ? ' (cleanup)' : ''}: {`);
    for (const s of bb.statements) lines.push(`        ${statementText(s)}`);
    lines.push(`        ${terminatorText(bb.terminator)}`);
    lines.push('    }');
  });
  if (b.unsupported.length) lines.push('', ...b.unsupported.map((u) => `    // unsupported: ${u.what}`));
  lines.push('}');
  return lines.join('\n');
}

/** Every body of a program, in a stable order (source position, then name), separated by blank lines. */
export function prettyProgram(bodies: Iterable<Body>): string {
  const list = [...bodies].sort(
    (a, b) => a.span.start.line - b.span.start.line || a.span.start.character - b.span.start.character || a.name.localeCompare(b.name),
  );
  return list.map(prettyBody).join('\n\n') + '\n';
}
