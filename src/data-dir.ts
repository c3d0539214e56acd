/** Node only: the data dir holds TOTP secrets (in PGlite's WAL), keys and the pepper, so only its owner may read it. */
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Creates the directory 0700 (and its missing parents), and narrows an existing one that an older version made 0755. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Files this process creates from now on through Node are 0600 / dirs 0700. PGlite is not covered by this: its NODEFS
 * chmods every file to PostgreSQL's mode (0666), which src/db/pglite-private-fs.ts narrows.
 */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

/** Removes group and other permissions below dir: database files written 0666 before this fix. */
export async function removeGroupAndOtherAccess(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await removeGroupAndOtherAccess(path);
    const { mode } = await stat(path);
    if (mode & 0o077) await chmod(path, mode & 0o700);
  }
}
