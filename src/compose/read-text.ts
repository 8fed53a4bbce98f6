import { readFileSync, statSync } from "node:fs";

/** A file's text, or why it cannot be read ("does not exist", "is a folder, not a file", ...). */
export function readText(path: string): { text?: string; problem?: string } {
  try {
    if (statSync(path).isDirectory()) return { problem: "is a folder, not a file" };
    return { text: readFileSync(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})` };
  }
}
