// Generates a synthetic primary.xml.gz with `count` packages, streamed to disk (never held whole), shaped
// like a real one: dependencies, files, long descriptions with escaped characters.

import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

function* primaryChunks(count: number): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${count}">\n`;
  for (let i = 0; i < count; i++) {
    const name = `pkg${i % 20000}`;
    const rel = `${1 + Math.floor(i / 20000)}.el9`;
    const sha = (i.toString(16).padStart(8, '0') + 'ab').repeat(7).slice(0, 64);
    yield `<package type="rpm">
  <name>${name}</name>
  <arch>x86_64</arch>
  <version epoch="${i % 7 === 0 ? 1 : 0}" ver="1.${i % 100}.0" rel="${rel}"/>
  <checksum type="sha256" pkgid="YES">${sha}</checksum>
  <summary>Synthetic package ${i} &amp; friends</summary>
  <description>A longer description of package ${i}, with &lt;angle brackets&gt; and several lines.
It goes on for a while so that the entry has the weight of a real one: ${'lorem ipsum '.repeat(20)}</description>
  <packager>Builder &lt;builder@example.org&gt;</packager>
  <url>https://example.org/${name}</url>
  <time file="${1700000000 + i}" build="${1690000000 + i}"/>
  <size package="${10000 + i}" installed="${40000 + i}" archive="${40500 + i}"/>
  <location href="Packages/${name[3]}/${name}-1.${i % 100}.0-${rel}.x86_64.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
    <rpm:vendor>Example</rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>builder${i % 5}.example.org</rpm:buildhost>
    <rpm:sourcerpm>${name}-1.${i % 100}.0-${rel}.src.rpm</rpm:sourcerpm>
    <rpm:header-range start="4504" end="${9000 + (i % 5000)}"/>
    <rpm:provides>
      <rpm:entry name="${name}" flags="EQ" epoch="0" ver="1.${i % 100}.0" rel="${rel}"/>
      <rpm:entry name="${name}(x86-64)" flags="EQ" epoch="0" ver="1.${i % 100}.0" rel="${rel}"/>
    </rpm:provides>
    <rpm:requires>
      <rpm:entry name="/bin/sh" pre="1"/>
      <rpm:entry name="libc.so.6(GLIBC_2.34)(64bit)"/>
      <rpm:entry name="pkg${(i + 1) % 20000}" flags="GE" epoch="0" ver="1.0"/>
    </rpm:requires>
    <file>/usr/bin/${name}</file>
    <file type="dir">/etc/${name}</file>
  </format>
</package>
`;
  }
  yield '</metadata>\n';
}

/** Writes a gzip'd synthetic primary with `count` packages to `path`. */
export async function writeBigPrimary(path: string, count: number): Promise<void> {
  // Group small strings so the stream is not a million tiny chunks.
  async function* grouped(): AsyncGenerator<string> {
    let buf = '';
    for (const s of primaryChunks(count)) {
      buf += s;
      if (buf.length > 256 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(grouped()), createGzip({ level: 1 }), createWriteStream(path));
}
