import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyArchive, createTar, type CopySource } from "../../src/controller/copy.js";

describe("pod.copy archives", () => {
  test("tar lists the files with their mode and owner, and long names survive", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-tar-"));
    try {
      const longName = `deep/${"d".repeat(90)}/${"e".repeat(90)}/${"f".repeat(120)}.conf`;
      const tar = createTar([
        { name: "etc/app/key.pem", type: "file", mode: 0o440, uid: 33, gid: 34, content: Buffer.from("secret\n"), mtime: 1_700_000_000 },
        { name: "etc/app/empty", type: "file", mode: 0o600, uid: 0, gid: 0, content: Buffer.alloc(0), mtime: 1_700_000_000 },
        { name: longName, type: "file", mode: 0o644, uid: 0, gid: 0, content: Buffer.from("x".repeat(700)), mtime: 1_700_000_000 },
      ]);
      assert.equal(tar.length % 512, 0);
      writeFileSync(join(dir, "a.tar"), tar);
      const listing = execFileSync("tar", ["-tvf", join(dir, "a.tar"), "--numeric-owner"], { encoding: "utf8" });
      assert.match(listing, /^-r--r----- 33\/34\s+7 .* etc\/app\/key\.pem$/m);
      execFileSync("tar", ["-xf", join(dir, "a.tar"), "-C", dir]);
      assert.equal(readFileSync(join(dir, longName), "utf8"), "x".repeat(700));
      assert.equal(statSync(join(dir, "etc/app/key.pem")).mode & 0o777, 0o440);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("uid and gid above ustar's 2097151 travel in PAX records instead of wrapping", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-tar-"));
    try {
      const tar = createTar([
        { name: "run/secrets/token", type: "file", mode: 0o400, uid: 4294967294, gid: 3_000_000, content: Buffer.from("t\n"), mtime: 1_700_000_000 },
        { name: "run/secrets/plain", type: "file", mode: 0o400, uid: 2097151, gid: 7, content: Buffer.from("p\n"), mtime: 1_700_000_000 },
      ]);
      writeFileSync(join(dir, "ids.tar"), tar);
      const listing = execFileSync("tar", ["-tvf", join(dir, "ids.tar"), "--numeric-owner"], { encoding: "utf8" });
      assert.match(listing, /^-r-------- 4294967294\/3000000\s+2 .* run\/secrets\/token$/m);
      assert.match(listing, /^-r-------- 2097151\/7\s+2 .* run\/secrets\/plain$/m);
      assert.throws(() => createTar([{ name: "x", type: "file", mode: 0o400, uid: 4294967295, gid: 0, mtime: 0 }]), /owner id 4294967295 is not between 0 and 4294967294/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("targets ending in / keep the source's name; directories are copied whole; mode defaults to the source's", () => {
    const files: Record<string, string | string[]> = { "/src/conf": ["a.conf", "b.conf"], "/src/conf/a.conf": "A", "/src/conf/b.conf": "B", "/src/one": "1" };
    const source: CopySource = {
      isDirectory: (p) => Array.isArray(files[p]),
      read: (p) => Buffer.from(String(files[p])),
      mode: (p) => (Array.isArray(files[p]) ? 0o755 : 0o600),
      list: (p) => files[p] as string[],
    };
    const tar = copyArchive([{ source: "/src/one", target: "/opt/" }, { source: "/src/conf", target: "/etc/conf.d", uid: 5 }], source, 0);
    const names: string[] = [];
    for (let offset = 0; offset + 512 <= tar.length; ) {
      const header = tar.subarray(offset, offset + 512);
      if (header.every((b) => b === 0)) break;
      const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
      const size = parseInt(header.subarray(124, 136).toString("ascii"), 8);
      const mode = parseInt(header.subarray(100, 108).toString("ascii"), 8);
      const uid = parseInt(header.subarray(108, 116).toString("ascii"), 8);
      names.push(`${name} ${mode.toString(8)} ${uid}`);
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    assert.deepEqual(names, ["opt/one 600 0", "etc/conf.d/ 755 5", "etc/conf.d/a.conf 600 5", "etc/conf.d/b.conf 600 5"]);
  });
});
