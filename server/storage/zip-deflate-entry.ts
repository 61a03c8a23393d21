import { once } from 'node:events';
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import type { AsyncFlateStreamHandler, ZipInputFile } from 'fflate';

/** What a member may hold that the deflater has not taken yet, before `push` waits for it. */
const backlog = 1 << 20;

/**
 * The deflater's output buffer. zlib hands each buffer back to the main thread before it goes on, so
 * with Node's 16 KiB a chunk of a hundred kilobytes took several turns of the main thread to deflate.
 */
const outputBuffer = 1 << 18;

/**
 * A member of an fflate `Zip`, deflated by Node's zlib on the thread pool instead of by fflate's
 * JavaScript deflater on the main thread. Making a research package of 200,000 rows spent a fifth of
 * its time in fflate's deflate (level 9), on the thread that also reads the store and applies the
 * disclosure control; here that work runs beside it, on another core (issue 16). Level 6, zlib's
 * default, takes half the time of level 9 for a file 4 % larger. The backup's store files go the same way.
 *
 * `push` resolves once the deflater can take more, so a member never holds more than `backlog` bytes
 * and a chunk of what it is given; `end` resolves once its last bytes are in the zip.
 */
export class ZipDeflateEntry implements ZipInputFile {
  size = 0;
  crc = 0;
  readonly compression = 8;
  ondata?: AsyncFlateStreamHandler;
  readonly #deflate: DeflateRaw;
  readonly #ended: Promise<void>;

  constructor(
    readonly filename: string,
    readonly mtime: Date = new Date(),
    level = 6,
  ) {
    this.#deflate = createDeflateRaw({ level, chunkSize: outputBuffer });
    // `ondata` is set by `Zip.add`, before the first byte is pushed.
    this.#deflate.on('data', (chunk: Buffer) => this.ondata!(null, new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength), false));
    this.#ended = new Promise((resolve, reject) => {
      this.#deflate.once('end', () => {
        // The size and CRC are final here: the zip reads them when the member ends.
        this.ondata!(null, new Uint8Array(0), true);
        resolve();
      });
      this.#deflate.once('error', reject);
    });
    // A failure is reported by `push` or `end`, whichever is waiting; not also as unhandled.
    this.#ended.catch(() => undefined);
  }

  async push(chunk: Uint8Array): Promise<void> {
    this.size += chunk.byteLength;
    this.crc = crc32(chunk, this.crc);
    // write's own answer (false past Node's 16 KiB) is not waited on: the deflater would then idle while
    // the caller makes the next chunk, and the caller while it deflates (a research package of 200,000
    // rows sat idle for 2.3 s of its 21). Up to `backlog`, the caller goes on instead.
    this.#deflate.write(chunk);
    if (this.#deflate.writableLength > backlog) await once(this.#deflate, 'drain');
    // zlib works on the thread pool but is given each piece of its work from this thread's event loop:
    // without a turn of it here, a caller that only awaits promises would leave the deflater waiting.
    else await new Promise(setImmediate);
  }

  end(): Promise<void> {
    this.#deflate.end();
    return this.#ended;
  }

  terminate(): void {
    this.#deflate.destroy();
  }
}
