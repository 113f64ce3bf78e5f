/**
 * A strict little XML reader for the renderer's SVG (test/render.test.ts): elements, attributes
 * and text, the five predefined entities and numeric references. It throws on anything malformed
 * (unclosed or mismatched tags, a raw `<` or `&` in text), so a test that parses the output also
 * proves it is well-formed: escaped text cannot open an element.
 *
 * Also: cubic Bézier paths as the renderer writes them (`M x,y C x1,y1 x2,y2 x,y` and `L`), and
 * the boxes the picture is made of, for geometric checks of arrows.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  parent?: XmlElement;
}
export type XmlNode = XmlElement | string;

function decode(s: string, where: number): string {
  if (/[<]/.test(s)) throw new Error(`raw '<' in text at ${where}`);
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, ent: string | undefined) => {
    if (!ent) throw new Error(`raw '&' at ${where}`);
    if (ent[0] === '#') return String.fromCodePoint(ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (!(ent in named)) throw new Error(`unknown entity &${ent}; at ${where}`);
    return named[ent];
  });
}

/** Parses one XML document (a single root element); throws when it is not well-formed. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt === -1 ? src.length : lt;
    if (textEnd > i) {
      const text = decode(src.slice(i, textEnd), i);
      if (stack.length === 1 && text.trim()) throw new Error(`text outside the root at ${i}`);
      if (stack.length > 1) stack[stack.length - 1].children.push(text);
    }
    if (lt === -1) break;
    if (src.startsWith('</', lt)) {
      const gt = src.indexOf('>', lt);
      const name = src.slice(lt + 2, gt).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new Error(`</${name}> closes <${top?.name}> at ${lt}`);
      i = gt + 1;
      continue;
    }
    if (src.startsWith('<?', lt) || src.startsWith('<!--', lt)) {
      const end = src.indexOf(src.startsWith('<?', lt) ? '?>' : '-->', lt);
      if (end === -1) throw new Error(`unterminated declaration at ${lt}`);
      i = end + (src.startsWith('<?', lt) ? 2 : 3);
      continue;
    }
    const m = /^<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/.exec(src.slice(lt));
    if (!m) throw new Error(`malformed tag at ${lt}: ${src.slice(lt, lt + 60)}`);
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
      attrs[a[1]] = decode(a[2], lt);
    }
    const parent = stack[stack.length - 1];
    const el: XmlElement = { name: m[1], attrs, children: [], parent };
    if (stack.length === 1 && root.children.length) throw new Error('more than one root element');
    parent.children.push(el);
    if (!m[3]) stack.push(el);
    i = lt + m[0].length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new Error('no root element');
  return top;
}

/** Every element under `el` (itself included), document order. */
export function all(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    out.push(e);
    for (const c of e.children) if (typeof c !== 'string') walk(c);
  };
  walk(el);
  return out;
}

export function classes(el: XmlElement): string[] {
  return (el.attrs.class ?? '').split(/\s+/).filter(Boolean);
}

/** Elements with all of these classes (and, optionally, this data-id). */
export function find(root: XmlElement, cls: string, id?: string): XmlElement[] {
  const want = cls.split('.').filter(Boolean);
  return all(root).filter((e) => want.every((c) => classes(e).includes(c)) && (id === undefined || e.attrs['data-id'] === id));
}

/** The text content of an element (its text nodes and its descendants', `<title>`s excluded). */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : c.name === 'title' ? '' : textOf(c))).join(' ');
}

/** The nearest ancestor (or self) with this class. */
export function closest(el: XmlElement, cls: string): XmlElement | undefined {
  for (let e: XmlElement | undefined = el; e; e = e.parent) if (classes(e).includes(cls)) return e;
  return undefined;
}

// --- geometry

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Point {
  x: number;
  y: number;
}

export function rectOf(el: XmlElement): Rect {
  return { x: Number(el.attrs.x), y: Number(el.attrs.y), w: Number(el.attrs.width), h: Number(el.attrs.height) };
}

/** The direct `<rect class="box">` (or row background) of a group. */
export function boxRect(group: XmlElement, cls = 'box'): Rect | undefined {
  for (const c of group.children) if (typeof c !== 'string' && c.name === 'rect' && classes(c).includes(cls)) return rectOf(c);
  return undefined;
}

/** Points along a path made of `M`, `L` and `C` commands (absolute), `n` samples per segment. */
export function samplePath(d: string, n = 24): Point[] {
  const tokens = d.match(/[MLC]|-?\d+(?:\.\d+)?/g) ?? [];
  const pts: Point[] = [];
  let cur: Point = { x: 0, y: 0 };
  let k = 0;
  const num = () => Number(tokens[k++]);
  while (k < tokens.length) {
    const cmd = tokens[k++];
    if (cmd === 'M') {
      cur = { x: num(), y: num() };
      pts.push(cur);
    } else if (cmd === 'L') {
      const p = { x: num(), y: num() };
      for (let i = 1; i <= n; i++) pts.push({ x: cur.x + ((p.x - cur.x) * i) / n, y: cur.y + ((p.y - cur.y) * i) / n });
      cur = p;
    } else if (cmd === 'C') {
      const c1 = { x: num(), y: num() },
        c2 = { x: num(), y: num() },
        p = { x: num(), y: num() };
      for (let i = 1; i <= n; i++) {
        const t = i / n,
          u = 1 - t;
        pts.push({
          x: u * u * u * cur.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * p.x,
          y: u * u * u * cur.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * p.y,
        });
      }
      cur = p;
    } else throw new Error(`unexpected path command ${cmd} in ${d}`);
  }
  return pts;
}

export function inside(p: Point, r: Rect, margin = 0): boolean {
  return p.x > r.x + margin && p.x < r.x + r.w - margin && p.y > r.y + margin && p.y < r.y + r.h - margin;
}

/** On the left or right edge of `r` (within `tol` px), between its top and bottom. */
export function onSideEdge(p: Point, r: Rect, tol = 1): boolean {
  const onX = Math.abs(p.x - r.x) <= tol || Math.abs(p.x - (r.x + r.w)) <= tol;
  return onX && p.y >= r.y - tol && p.y <= r.y + r.h + tol;
}

/** On the boundary of `r` (any edge, within `tol` px). */
export function onEdge(p: Point, r: Rect, tol = 1): boolean {
  const inX = p.x >= r.x - tol && p.x <= r.x + r.w + tol;
  const inY = p.y >= r.y - tol && p.y <= r.y + r.h + tol;
  const nearX = Math.abs(p.x - r.x) <= tol || Math.abs(p.x - (r.x + r.w)) <= tol;
  const nearY = Math.abs(p.y - r.y) <= tol || Math.abs(p.y - (r.y + r.h)) <= tol;
  return (nearX && inY) || (nearY && inX);
}

/** Whether segments ab and cd cross at a point inside both (touching ends and overlaps do not count). */
function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point) => (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  const d1 = o(c, d, a);
  const d2 = o(c, d, b);
  const d3 = o(a, b, c);
  const d4 = o(a, b, d);
  const eps = 1e-6;
  return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

/**
 * The pairs of polylines (sampled arrow paths) that cross each other. Arrows that share a start
 * or an end may meet there; only a crossing away from both arrows' ends (`slack` px) counts.
 */
export function crossingPairs(lines: Point[][], slack = 3): [number, number][] {
  const near = (p: Point, q: Point) => Math.abs(p.x - q.x) <= slack && Math.abs(p.y - q.y) <= slack;
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const A = lines[i];
      const B = lines[j];
      const ends = [A[0], A[A.length - 1], B[0], B[B.length - 1]];
      let hit = false;
      for (let a = 0; a + 1 < A.length && !hit; a++) {
        if (ends.some((e) => near(A[a], e) || near(A[a + 1], e))) continue;
        for (let b = 0; b + 1 < B.length && !hit; b++) {
          if (ends.some((e) => near(B[b], e) || near(B[b + 1], e))) continue;
          if (segmentsCross(A[a], A[a + 1], B[b], B[b + 1])) hit = true;
        }
      }
      if (hit) out.push([i, j]);
    }
  }
  return out;
}

/**
 * The crossing pairs (see `crossingPairs`) that an order could avoid. Two loops through the
 * same gutter (out from a column's right edge and back) whose spans interleave (one starts
 * inside the other and ends outside it) must cross; so must two arrows between the columns whose
 * starts and ends come in opposite orders. Any other crossing is the layout's fault.
 */
export function unforcedCrossings(lines: Point[][]): [number, number][] {
  const shape = (l: Point[]) => {
    const s = l[0];
    const e = l[l.length - 1];
    const maxX = Math.max(...l.map((p) => p.x));
    const minX = Math.min(...l.map((p) => p.x));
    const right = maxX > Math.max(s.x, e.x) + 3;
    const left = minX < Math.min(s.x, e.x) - 3;
    const loop = right || left;
    // A loop's span: from its start to where its vertical run ends.
    const outX = right ? maxX : minX;
    const far = [...l].reverse().find((p) => Math.abs(p.x - outX) < 0.5) ?? e;
    return {
      s,
      e,
      loop,
      side: right ? 'right' : 'left',
      top: Math.min(s.y, far.y),
      bottom: Math.max(s.y, far.y),
      endY: loop ? far.y : e.y,
    };
  };
  return crossingPairs(lines).filter(([i, j]) => {
    const a = shape(lines[i]);
    const b = shape(lines[j]);
    if (a.loop && b.loop && a.side === b.side) {
      const interleave = (x: typeof a, y: typeof a) => x.top < y.top && y.top < x.bottom && x.bottom < y.bottom;
      return !(interleave(a, b) || interleave(b, a));
    }
    if (!a.loop && !b.loop) return (a.s.y - b.s.y) * (a.endY - b.endY) >= 0;
    return true;
  });
}
