import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Claims a spool directory for this process under `root`: `<name>`, else `<name>-2`, `<name>-3`
 * ... whichever no live process holds, so two replicas on one host never share a spool and a
 * restarted process takes over (and sends) what its predecessor left. Returns the directory and
 * a function releasing the claim.
 */
export function claimSpoolDirectory(root: string, name: string): { directory: string; release: () => void } {
  mkdirSync(root, { recursive: true });
  for (let attempt = 1; attempt <= 64; attempt += 1) {
    const directory = join(root, attempt === 1 ? name : `${name}-${attempt}`);
    mkdirSync(directory, { recursive: true });
    const lockPath = join(directory, 'owner.pid');
    if (!takeLock(lockPath)) continue;
    return { directory, release: () => rmSync(lockPath, { force: true }) };
  }
  throw new Error(`No free spool directory for ${name} under ${root} (64 live owners)`);
}

function takeLock(lockPath: string): boolean {
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ownerAlive(lockPath)) return false;
      rmSync(lockPath, { force: true });
    }
  }
  return false;
}

function ownerAlive(lockPath: string): boolean {
  const pid = Number(readFileSync(lockPath, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
