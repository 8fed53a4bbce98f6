// Generated files that once made lint slow or abort: many aliases, an alias
// bomb made of long strings, broken YAML, and a 5 MB file of many services.

/** 10,000 aliases of one anchor. */
export function manyAliases() {
  let text = "x-a: &a v\nservices:\n  s:\n    image: busybox\n    labels:\n";
  for (let i = 0; i < 10_000; i++) text += "      - *a\n";
  return text;
}

/** About 1 MB that expands to gigabytes: a 100 KB string, aliased ten times in a list aliased ten times, and so on. */
export function stringBomb() {
  let text = `x-big: &big "${"x".repeat(100_000)}"\nx-l1: &l1 [${Array(10).fill("*big").join(", ")}]\nx-l2: &l2 [${Array(10).fill("*l1").join(", ")}]\nservices:\n  s:\n    image: busybox\n    command:\n`;
  while (text.length < 1_000_000) text += "      - *l2\n";
  return text;
}

/** 20 KB of YAML broken on every few lines. */
export function brokenYaml() {
  let text = "services:\n";
  while (text.length < 20_000) text += '  s: [a, {b: "c\n  - d: : e\n\t- f\n';
  return text;
}

/** About 5 MB: services sharing a merged anchor, each with the usual keys and its own volume. Returns the text and the service count. */
export function largeFile() {
  let text = "x-defaults: &defaults\n  restart: always\n  labels: {team: core}\nservices:\n";
  let count = 0;
  while (text.length < 5_000_000) {
    text += `  svc-${count}:
    <<: *defaults
    image: registry.example.com/team/service-${count}:1.${count % 50}.0
    environment:
      PORT: "8080"
      NAME: service-${count}
      REGION: \${REGION:-eu-west-1}
    ports: ["${10000 + (count % 50000)}:8080"]
    deploy: {replicas: 2, resources: {limits: {memory: 128M}}}
    healthcheck: {test: ["CMD", "nc", "-z", "localhost", "8080"], interval: 10s}
    volumes: ["data-${count}:/data"]
    command: ["serve", "--port", "8080", "--name", "service-${count}"]
`;
    count++;
  }
  // declared, as docker compose requires of every named volume a service mounts
  text += "volumes:\n";
  for (let i = 0; i < count; i++) text += `  data-${i}: {}\n`;
  return { text, count };
}
