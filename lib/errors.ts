// The few error types lib/ throws; the API and action wrappers map them to
// HTTP statuses in one place (lib/api/error-response.ts). Messages are meant
// for the user: say what was wrong, never include secrets or internals.

export type FieldIssue = { field: string; message: string };

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

export class ValidationFailed extends AppError {
  readonly status = 400;
  readonly code = "validation_failed";
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "));
  }
}

export class Unauthorized extends AppError {
  readonly status = 401;
  readonly code = "unauthorized";
  constructor(message = "Sign in or send an API key.") {
    super(message);
  }
}

export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = "forbidden";
  constructor(message = "Your role does not allow this.") {
    super(message);
  }
}

/** Also used for other tenants' ids: the answer never reveals whether something exists elsewhere. */
export class NotFound extends AppError {
  readonly status = 404;
  readonly code = "not_found";
  constructor(what = "Resource") {
    super(`${what} not found.`);
  }
}

export class Conflict extends AppError {
  readonly status = 409;
  readonly code = "conflict";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class PayloadTooLarge extends AppError {
  readonly status = 413;
  readonly code = "payload_too_large";
}

export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = "unsupported_media_type";
}

export class RateLimited extends AppError {
  readonly status = 429;
  readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

/** Something that existed but can no longer be used (an expired or revoked invitation). */
export class Gone extends AppError {
  readonly status = 410;
  readonly code = "gone";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type DefinitionProblemBody = {
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  field?: string;
};

/** A workflow definition that cannot be published or run: every problem, with the node or edge at fault. */
export class DefinitionInvalid extends AppError {
  readonly status = 422;
  readonly code = "definition_invalid";
  constructor(readonly problems: DefinitionProblemBody[]) {
    super(
      `The workflow has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems
        .slice(0, 3)
        .map((problem) => problem.message)
        .join("; ")}${problems.length > 3 ? "; …" : ""}`,
    );
  }
}

/** A dependency (the workflow engine, a provider) did not answer; the caller may retry. */
export class ServiceUnavailable extends AppError {
  readonly status = 503;
  readonly code = "service_unavailable";
}
