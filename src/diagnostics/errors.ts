import type { Diagnostic } from "./diagnostic.js";

/** The user's input cannot be processed further; the diagnostics say why. */
export class PodlikeError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("\n"));
    this.name = "PodlikeError";
    this.diagnostics = diagnostics;
  }
}

/** Wrong command-line use: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** An operation failed for a reason the user can act on, without a source position (engine down, stack missing). */
export class OperationError extends Error {
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = "OperationError";
    this.hint = hint;
  }
}

/** A bug in podlike itself. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}
