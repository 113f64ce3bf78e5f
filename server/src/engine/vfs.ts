/**
 * The files a crate analysis reads (a VFS, as rust-analyzer calls it): the editor's open
 * documents win over the disk. A file on disk is read and parsed once, and again only when its
 * modification time or size changed (checked with one `stat` per read), so a crate's files
 * that are not open cost one parse each for the life of the server.
 *
 * Paths are absolute, normalised with `path.resolve` (the caller's platform separators). Total:
 * an unreadable file, a directory, a file larger than `MAX_TEXT_LENGTH` is `undefined`, never
 * an exception.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Parser from 'tree-sitter';
import { parseRust } from '../syntax/parser';

/** Files larger than this (UTF-16 code units) are not read into a crate (same bound as one document). */
const MAX_FILE_LENGTH = 8 * 1024 * 1024;

/** One version of a source file: its text and its tree-sitter tree (for exactly that text). */
export interface SourceFile {
  readonly text: string;
  readonly tree: Parser.Tree;
}

/** The file system operations a crate needs (the disk by default; tests may give another). */
export interface FileSystem {
  /** The file's text, or undefined when it is not a readable file. */
  readFile(p: string): string | undefined;
  /** A stamp that changes when the file changes (mtime and size), or undefined when it is not a file. */
  stamp(p: string): string | undefined;
  /** The names in a directory ([] when it is not one). */
  readDir(p: string): string[];
}

/** The real disk. */
export const nodeFileSystem: FileSystem = {
  readFile(p) {
    try {
      let text = fs.readFileSync(p, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as rustc ignores it
      return text;
    } catch {
      return undefined;
    }
  },
  stamp(p) {
    try {
      const st = fs.statSync(p);
      return st.isFile() ? `${st.mtimeMs}:${st.size}` : undefined;
    } catch {
      return undefined;
    }
  },
  readDir(p) {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
};

/** Open documents over the disk (see the module comment). */
export class Vfs {
  private readonly disk = new Map<string, { stamp: string; file: SourceFile }>();
  /** The open documents: path → its current version (asked at each read). */
  private readonly overlays = new Map<string, () => SourceFile | undefined>();

  constructor(readonly fs: FileSystem = nodeFileSystem) {}

  /** Serves `p` from an open document from now on (`get` is asked each time the file is read). */
  setOverlay(p: string, get: () => SourceFile | undefined): void {
    this.overlays.set(path.resolve(p), get);
  }

  /** The document at `p` was closed: it is read from the disk again. */
  removeOverlay(p: string): void {
    this.overlays.delete(path.resolve(p));
  }

  /** Whether `p` is served by an open document. */
  isOpen(p: string): boolean {
    return this.overlays.has(path.resolve(p));
  }

  /** The current version of the source file at `p`: the open document's, else the disk's. */
  file(p: string): SourceFile | undefined {
    const abs = path.resolve(p);
    const overlay = this.overlays.get(abs)?.();
    if (overlay) return overlay;
    const stamp = this.fs.stamp(abs);
    if (stamp === undefined) {
      this.disk.delete(abs);
      return undefined;
    }
    const cached = this.disk.get(abs);
    if (cached && cached.stamp === stamp) return cached.file;
    const text = this.fs.readFile(abs);
    if (text === undefined || text.length > MAX_FILE_LENGTH) return undefined;
    const file = { text, tree: parseRust(text) };
    this.disk.set(abs, { stamp, file });
    return file;
  }

  /** Whether `p` is a file (open, or on the disk). */
  isFile(p: string): boolean {
    const abs = path.resolve(p);
    return this.overlays.has(abs) || this.fs.stamp(abs) !== undefined;
  }

  /** A text file that is not Rust (`Cargo.toml`): read from the disk each time. */
  readText(p: string): string | undefined {
    return this.fs.readFile(path.resolve(p));
  }

  readDir(p: string): string[] {
    return this.fs.readDir(path.resolve(p));
  }

  /** Forgets the disk versions read so far (they are read again on next use). */
  clear(): void {
    this.disk.clear();
  }
}
