/**
 * The formatting and assertion macros the MIR builder turns into calls (`println!`,
 * `format!`, `panic!`, `assert_eq!`, `dbg!`, `write!`...), by their ids (the macro name with
 * `!`). Their arguments are taken by reference, as `format_args!` does. Simulation: `sim/fmt.ts`.
 */
import type { StdFamily } from './types';

/** The macros, in the ids the MIR builder uses (`println!`). */
export const FMT_MACROS = [
  'println!',
  'print!',
  'eprintln!',
  'eprint!',
  'format!',
  'format_args!',
  'panic!',
  'unreachable!',
  'todo!',
  'unimplemented!',
  'assert!',
  'debug_assert!',
  'assert_eq!',
  'assert_ne!',
  'debug_assert_eq!',
  'debug_assert_ne!',
  'dbg!',
  'write!',
  'writeln!',
] as const;

export const FMT = { name: 'fmt', types: [], impls: [], builtins: FMT_MACROS } as const satisfies StdFamily;
