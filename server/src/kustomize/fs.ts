// The renderer reads files only through this interface, so that open editor buffers can stand in
// for disk and tests can render from memory. Paths are absolute, with forward slashes.
import * as nodeFs from 'fs';
import * as path from 'path';

export type EntryKind = 'file' | 'dir';

export interface FileSystem {
  /** The file's text, or undefined when it does not exist or is not a readable file. */
  readFile(file: string): string | undefined;
  /** The file's bytes, for content that may not be text (generator inputs); defaults to the text's UTF-8. */
  readBytes?(file: string): Uint8Array | undefined;
  kind(p: string): EntryKind | undefined;
  /** Names (not paths) of the entries of a folder, sorted; empty when it is not a folder. */
  readDir(dir: string): string[];
  /** The path with symbolic links resolved; the input when it cannot be resolved. */
  realPath(p: string): string;
}

export const nodeFileSystem: FileSystem = {
  readFile(file) {
    try {
      return nodeFs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  readBytes(file) {
    try {
      return nodeFs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
  kind(p) {
    try {
      const st = nodeFs.statSync(p);
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  readDir(dir) {
    try {
      return nodeFs.readdirSync(dir).sort();
    } catch {
      return [];
    }
  },
  realPath(p) {
    try {
      return realpath(p);
    } catch {
      return p;
    }
  },
};

// One realpath(3) call instead of an lstat per path component: every file read checks where it really is.
// Windows keeps the JavaScript implementation, which resolves mapped and substituted drives as Explorer does.
const realpath = process.platform === 'win32' ? nodeFs.realpathSync : nodeFs.realpathSync.native;

/** A file system held in memory: `{ '/repo/a/kustomization.yaml': '...' }`. Folders are implied by the paths. */
export function memoryFileSystem(files: Record<string, string>): FileSystem {
  const dirs = new Map<string, Set<string>>();
  for (const f of Object.keys(files)) {
    let child = f;
    let parent = path.posix.dirname(f);
    while (true) {
      let set = dirs.get(parent);
      if (!set) dirs.set(parent, (set = new Set()));
      set.add(path.posix.basename(child));
      if (parent === '/' || parent === '.') break;
      child = parent;
      parent = path.posix.dirname(parent);
    }
  }
  return {
    readFile: (f) => (Object.prototype.hasOwnProperty.call(files, f) ? files[f] : undefined),
    kind: (p) => (Object.prototype.hasOwnProperty.call(files, p) ? 'file' : dirs.has(p) ? 'dir' : undefined),
    readDir: (d) => [...(dirs.get(d) ?? [])].sort(),
    realPath: (p) => p,
  };
}

/** Open editor buffers over another file system: unsaved text wins over disk. */
export function overlayFileSystem(base: FileSystem, buffers: ReadonlyMap<string, string>): FileSystem {
  return {
    readFile: (f) => buffers.get(f) ?? base.readFile(f),
    readBytes: (f) => {
      const text = buffers.get(f);
      if (text !== undefined) return Buffer.from(text, 'utf8');
      return base.readBytes
        ? base.readBytes(f)
        : (() => {
            const t = base.readFile(f);
            return t === undefined ? undefined : Buffer.from(t, 'utf8');
          })();
    },
    kind: (p) => (buffers.has(p) ? 'file' : base.kind(p)),
    readDir: (d) => {
      const names = new Set(base.readDir(d));
      const prefix = d.endsWith('/') ? d : d + '/';
      for (const f of buffers.keys()) {
        if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) names.add(f.slice(prefix.length));
      }
      return [...names].sort();
    },
    realPath: (p) => (buffers.has(p) ? p : base.realPath(p)),
  };
}

/**
 * File texts read from a base file system, kept until the index is told the file changed. Renders read
 * the same files again and again; disk is asked once per change, not once per render.
 */
export class CachingFileSystem implements FileSystem {
  private texts = new Map<string, string | undefined>();
  private kinds = new Map<string, ReturnType<FileSystem['kind']>>();
  private dirs = new Map<string, string[]>();
  private reals = new Map<string, string>();

  /** Told of every text read (the fleet index records what a computation depended on). */
  onRead: ((file: string, text: string | undefined) => void) | undefined;

  constructor(
    private readonly base: FileSystem,
    readonly buffers: Map<string, string> = new Map(),
  ) {}

  readFile(file: string): string | undefined {
    let text = this.buffers.get(file);
    if (text === undefined) {
      if (!this.texts.has(file)) this.texts.set(file, this.base.readFile(file));
      text = this.texts.get(file);
    }
    this.onRead?.(file, text);
    return text;
  }
  readBytes(file: string): Uint8Array | undefined {
    const buffered = this.buffers.get(file);
    if (buffered !== undefined) return Buffer.from(buffered, 'utf8');
    return this.base.readBytes ? this.base.readBytes(file) : undefined;
  }
  kind(p: string): ReturnType<FileSystem['kind']> {
    if (this.buffers.has(p)) return 'file';
    if (!this.kinds.has(p)) this.kinds.set(p, this.base.kind(p));
    return this.kinds.get(p);
  }
  readDir(dir: string): string[] {
    let names = this.dirs.get(dir);
    if (!names) this.dirs.set(dir, (names = this.base.readDir(dir)));
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const extra = [...this.buffers.keys()]
      .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'))
      .map((f) => f.slice(prefix.length));
    return extra.length === 0 ? names : [...new Set([...names, ...extra])].sort();
  }
  realPath(p: string): string {
    if (this.buffers.has(p)) return p;
    let real = this.reals.get(p);
    if (real === undefined) this.reals.set(p, (real = this.base.realPath(p)));
    return real;
  }
  /** Forget what is known of a path whose content changed. */
  changed(file: string): void {
    this.texts.delete(file);
  }
  /** Forget a path that appeared or disappeared: its kind, its folder's listing, resolved links. */
  createdOrDeleted(file: string): void {
    this.texts.delete(file);
    this.kinds.clear();
    this.dirs.delete(path.posix.dirname(file));
    this.reals.clear();
  }
  /** Forget everything read from disk (a branch switch may have changed any file and folder). */
  forgetAll(): void {
    this.texts.clear();
    this.kinds.clear();
    this.dirs.clear();
    this.reals.clear();
  }
}

/**
 * `realRoot` of `base` seen at `virtualRoot`, and nothing else: a build rooted there cannot reach a file
 * outside `realRoot`, even through `..` that walks out and back in by the real folders' names. Flux sees an
 * artifact built from a subfolder this way (only the subfolder's files, extracted somewhere else).
 */
export function mountedFileSystem(
  base: FileSystem,
  realRoot: string,
  virtualRoot: string,
): { fs: FileSystem; toReal: (p: string) => string | undefined } {
  const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith('/') ? root : root + '/');
  const toReal = (p: string): string | undefined => (within(p, virtualRoot) ? realRoot + p.slice(virtualRoot.length) : undefined);
  const toVirtual = (p: string): string | undefined => (within(p, realRoot) ? virtualRoot + p.slice(realRoot.length) : undefined);
  const fs: FileSystem = {
    readFile: (f) => {
      const real = toReal(f);
      return real === undefined ? undefined : base.readFile(real);
    },
    readBytes: (f) => {
      const real = toReal(f);
      return real === undefined || !base.readBytes ? undefined : base.readBytes(real);
    },
    kind: (p) => {
      const real = toReal(p);
      return real === undefined ? undefined : base.kind(real);
    },
    readDir: (d) => {
      const real = toReal(d);
      return real === undefined ? [] : base.readDir(real);
    },
    // A link leading out of the subfolder leads out of the artifact: its path stays outside the mount.
    realPath: (p) => {
      const real = toReal(p);
      if (real === undefined) return p;
      const resolved = base.realPath(real);
      return toVirtual(resolved) ?? resolved;
    },
  };
  return { fs, toReal };
}
