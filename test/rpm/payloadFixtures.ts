// Packages built by the real rpmbuild for the payload tests: one spec with every kind of file a payload
// carries (text, binary, empty, odd sizes, symlinks, a 3-way hardlink set, directories, %ghost, %config,
// %doc, a name with spaces), built once per payload compressor.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** _binary_payload values: rpm's io mode strings (w<level>.<dio>). */
export const PAYLOADS = {
  gzip: 'w6.gzdio',
  xz: 'w2.xzdio',
  zstd: 'w3.zstdio',
  bzip2: 'w9.bzdio',
  lzma: 'w9.lzdio',
  none: 'w0.ufdio',
} as const;

export type PayloadName = keyof typeof PAYLOADS;

function spec(name: string, blob: string): string {
  return `Name: ${name}
Version: 1.0
Release: 1
Summary: payload test package
License: MIT
BuildArch: noarch
%description
Every kind of file a payload carries.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/${name} %{buildroot}/etc/${name} %{buildroot}/var/lib/${name}
printf 'echo hello\\n' > %{buildroot}/usr/bin/${name}
chmod 755 %{buildroot}/usr/bin/${name}
cp ${blob} %{buildroot}/usr/share/${name}/blob.bin
head -c 1234567 /usr/bin/rpm > %{buildroot}/usr/share/${name}/partial
: > %{buildroot}/usr/share/${name}/empty
printf 'x' > %{buildroot}/usr/share/${name}/one
printf 'abcde' > "%{buildroot}/usr/share/${name}/with space"
for i in $(seq 1 3000); do echo "line $i of the text file"; done > %{buildroot}/usr/share/${name}/text.txt
printf 'linked content\\n' > %{buildroot}/usr/share/${name}/h1
ln %{buildroot}/usr/share/${name}/h1 %{buildroot}/usr/share/${name}/h2
ln %{buildroot}/usr/share/${name}/h1 %{buildroot}/usr/share/${name}/h3
ln -s text.txt %{buildroot}/usr/share/${name}/link
ln -s /usr/bin/${name} %{buildroot}/usr/share/${name}/abslink
echo 'key=value' > %{buildroot}/etc/${name}/${name}.conf
echo 'readme' > README
%files
%doc README
%config(noreplace) /etc/${name}/${name}.conf
/usr/bin/${name}
/usr/share/${name}
%dir /var/lib/${name}
%ghost /var/lib/${name}/state
`;
}

/** Build the test package once per compressor into dir; returns the .rpm path by compressor name. */
export async function buildPayloadPackages(
  dir: string,
  names: PayloadName[] = Object.keys(PAYLOADS) as PayloadName[],
  blobSize = 300_000,
): Promise<Record<string, string>> {
  const blob = join(dir, 'blob.bin');
  writeFileSync(blob, randomBytes(blobSize));
  const out: Record<string, string> = {};
  await Promise.all(
    names.map(async (c) => {
      const top = join(dir, `top-${c}`);
      mkdirSync(top, { recursive: true });
      const name = `payload-${c}`;
      const specPath = join(dir, `${name}.spec`);
      writeFileSync(specPath, spec(name, blob));
      await run('rpmbuild', [
        '-bb', '--quiet',
        '--define', `_topdir ${top}`,
        '--define', `_binary_payload ${PAYLOADS[c]}`,
        '--define', '_build_id_links none',
        '--define', '__os_install_post %{nil}',
        '--define', '_source_filedigest_algorithm 8',
        '--define', '_binary_filedigest_algorithm 8',
        specPath,
      ], { maxBuffer: 1 << 24 });
      const rpmDir = join(top, 'RPMS', 'noarch');
      out[c] = join(rpmDir, readdirSync(rpmDir)[0]);
    }),
  );
  return out;
}
