import type { ChalkInstance } from "chalk";
import type { CliIO } from "../io.js";
import { colorDisabled } from "../io.js";
import { makeChalk } from "../render.js";
import { UsageError } from "../../diagnostics/errors.js";
import { connectManager } from "../../engine/manager.js";
import { listStack, type ServiceView } from "../../deploy/ps.js";

export interface PsCliOptions {
  args?: string[];
  format?: "table" | "json";
  color?: boolean;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join("").trimEnd() + "\n").join("");
}

/** Services and pods, then each one's tasks, then each pod's components, or why they cannot be known. */
export function renderPs(services: ServiceView[], chalk: ChalkInstance): string {
  const rows: string[][] = [["NAME", "KIND", "NODE", "DESIRED", "STATE", "IMAGE / ERROR"]];
  for (const s of services) {
    const ok = s.running === s.desired;
    rows.push([s.name, s.kind, "", s.mode, `${s.running}/${s.desired}${ok ? "" : " !"}`, s.image]);
    for (const t of s.tasks) {
      const notes = [t.replaced ? "replaced, still running when its node was last heard from" : "", t.restarts ? `restarts ${t.restarts}` : "", t.podStatus ? `pod ${t.podStatus}` : "", t.error ?? ""];
      rows.push([`  ${t.name}`, "task", t.node, t.desiredState, t.state, notes.filter(Boolean).join("; ")]);
      for (const c of t.components ?? []) rows.push([`    ${c.name}`, "component", t.node, "", c.state, c.status ?? ""]);
      if (t.componentsUnknown) rows.push(["    ?", "component", t.node, "", "unknown", t.componentsUnknown]);
    }
  }
  return table(rows);
}

/** `podlike ps STACK [--format json]`. */
export async function runPs(options: PsCliOptions, io: CliIO): Promise<number> {
  const stack = options.args?.[0];
  if (!stack) throw new UsageError("name the stack: podlike ps STACK");
  const swarm = await connectManager(io.env);
  const services = await listStack(swarm, stack).finally(() => swarm.close());
  if (options.format === "json") io.stdout.write(JSON.stringify(services, null, 2) + "\n");
  else io.stdout.write(renderPs(services, makeChalk(colorDisabled(io, options.color), io.stdout)));
  return 0;
}
