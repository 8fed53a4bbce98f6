/**
 * Output as the engine multiplexes it for a container without a TTY: each
 * chunk behind an 8-byte header naming its stream (1 stdout, 2 stderr) and
 * its length.
 */
export function streamFrame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A timestamped line of a task's output, as a manager relays service logs. */
export const serviceLogFrame = (line: string): Buffer => streamFrame(1, `2026-11-29T10:00:00.000000000Z ${line}\n`);
