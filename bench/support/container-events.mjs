// The engine's container events for a bench, each as the engine sent it
// (Action, Actor, id, timeNano), kept in arrival order; `onEvent` callbacks
// run after each one is kept.
export async function watchContainerEvents(docker, actions) {
  const events = [];
  const listeners = new Set();
  const stream = await docker.getEvents({ filters: { type: ["container"], event: actions } });
  let pending = "";
  stream.on("data", (chunk) => {
    pending += chunk.toString();
    let i;
    while ((i = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, i).trim();
      pending = pending.slice(i + 1);
      if (!line) continue;
      events.push(JSON.parse(line));
      for (const listener of listeners) listener();
    }
  });
  return { events, listeners, close: () => stream.destroy() };
}
