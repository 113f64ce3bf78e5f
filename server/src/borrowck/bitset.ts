/**
 * A fixed-size set of small integers (move paths, loans, locals), as rustc_index's `BitSet`:
 * 32 bits a word. Every dataflow state in the borrow checker is one of these.
 */
export class BitSet {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  clone(): BitSet {
    return new BitSet(this.size, this.words.slice());
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  remove(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }

  clear(): void {
    this.words.fill(0);
  }

  /** `this |= other`; returns whether anything changed. */
  union(other: BitSet): boolean {
    let changed = false;
    for (let i = 0; i < this.words.length; i++) {
      // `>>> 0`: `|` yields a signed 32-bit number, the words are unsigned; compared as they
      // were, a word with bit 31 set always looked changed and a fixpoint never ended.
      const w = (this.words[i] | other.words[i]) >>> 0;
      if (w !== this.words[i]) {
        this.words[i] = w;
        changed = true;
      }
    }
    return changed;
  }

  /** `this &= ~other`. */
  subtract(other: BitSet): void {
    for (let i = 0; i < this.words.length; i++) this.words[i] &= ~other.words[i];
  }

  /** Whether `this ∩ other` is non-empty. */
  intersects(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] & other.words[i]) return true;
    return false;
  }

  equals(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== other.words[i]) return false;
    return true;
  }

  isEmpty(): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i]) return false;
    return true;
  }

  /**
   * The members in increasing order, as an array (no generator: the checker asks at every
   * statement, and most sets there are empty).
   */
  values(): readonly number[] {
    let out: number[] | undefined;
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i];
      while (w) {
        const b = 31 - Math.clz32(w & -w);
        (out ??= []).push(i * 32 + b);
        w &= w - 1;
      }
    }
    return out ?? EMPTY;
  }
}

const EMPTY: readonly number[] = Object.freeze([]);
