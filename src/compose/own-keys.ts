/**
 * Name-keyed records whose names come from the user's files (services,
 * variables, labels). A name like `constructor`, `toString` or `__proto__`
 * must be an ordinary key: reads go through Object.hasOwn, never the
 * prototype chain, and `__proto__` is defined rather than assigned (an
 * assignment would replace the prototype and lose the key).
 */

export function setOwn<T>(target: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function getOwn<T>(source: Record<string, T> | undefined, key: string): T | undefined {
  return source !== undefined && Object.hasOwn(source, key) ? source[key] : undefined;
}
