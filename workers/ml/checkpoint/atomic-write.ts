// Writes a file so that readers see the old file or the whole new one, never a half-written one: the content
// goes to `<file>.tmp-<pid>`, is flushed to disk, and replaces `file` by a rename. Not the file formats.
import fs from "node:fs";

export function writeFileAtomic(file: string, write: (fd: number) => void): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    write(fd);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}
