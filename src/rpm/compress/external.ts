// Decoding through the system's xz / bzip2 programs, when asked for and present. Measured (bench/payload.ts,
// 114 MB of shared libraries, xz -6): our TypeScript LZMA decoder needs ~1.7x the CPU of liblzma's
// `xz -dc`, and it runs on the JS thread; a child process decodes at liblzma speed on another core while
// the JS thread walks cpio and hashes. lzma-native (liblzma addon) was measured too and gained only ~20%
// CPU over our decoder (readable-stream overhead) while adding a native addon, so it is not used.
// This path is opt-in for the CLI and the proxy; the portable decoder stays the default and the fallback.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { PayloadFormatError } from '../../errors.ts';

const found = new Map<string, string | null>();

/** The absolute path of an executable on PATH, or null (looked up once per process and name). */
export function findExecutable(name: string): string | null {
  if (found.has(name)) return found.get(name)!;
  let hit: string | null = null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      hit = join(dir, name);
      break;
    } catch {
      // not here
    }
  }
  found.set(name, hit);
  return hit;
}

/** Command lines that decode each format to stdout, with the same acceptance as our decoders. */
const COMMANDS: Record<string, [string, string[]]> = {
  xz: ['xz', ['-dc', '--format=xz', '-q']],
  lzma: ['xz', ['-dc', '--format=lzma', '-q']],
  bzip2: ['bzip2', ['-dc', '-q']],
};

/** A Transform running `xz -dc` (or bzip2) as a child process; null when the program is not installed. */
export function externalDecompressor(format: string): Transform | null {
  const command = COMMANDS[format];
  if (!command) return null;
  const exe = findExecutable(command[0]);
  if (!exe) return null;
  return new ChildProcessTransform(exe, command[1], format);
}

class ChildProcessTransform extends Transform {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly format: string;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private pendingWrite: TransformCallback | null = null;
  private flushing = false;

  constructor(exe: string, args: string[], format: string) {
    super({ readableHighWaterMark: 1 << 20 });
    this.format = format;
    this.child = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code) => resolve(code));
      this.child.once('error', () => resolve(-1));
    });
    // A decoder that gives up mid-stream (corrupt input) must fail us at once, not leave a write waiting.
    void this.exited.then((code) => {
      if (code !== 0 && !this.destroyed && !this.flushing) this.destroy(this.failure(code));
      const cb = this.pendingWrite;
      this.pendingWrite = null;
      cb?.();
    });
    this.child.stdin.on('error', () => {}); // EPIPE when the decoder stops on corrupt data: the exit code tells
    this.child.stderr.on('data', (c: Buffer) => {
      if (this.stderr.length < 2000) this.stderr += c.toString();
    });
    this.child.stdout.on('data', (c: Buffer) => {
      if (!this.push(c)) this.child.stdout.pause();
    });
  }

  override _read(size: number): void {
    this.child.stdout.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.child.stdin.write(chunk)) {
      callback();
      return;
    }
    this.pendingWrite = callback;
    this.child.stdin.once('drain', () => {
      const cb = this.pendingWrite;
      this.pendingWrite = null;
      cb?.();
    });
  }

  private failure(code: number | null): PayloadFormatError {
    return new PayloadFormatError(`${this.format} decoding failed (${this.child.spawnfile} exit ${code}): ${this.stderr.trim().split('\n').pop() ?? ''}`);
  }

  override _flush(callback: TransformCallback): void {
    this.flushing = true; // the exit status is reported through this callback
    this.child.stdin.end();
    void this.exited.then((code) => {
      if (code === 0) callback();
      else callback(this.failure(code));
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    callback(err);
  }
}
