/**
 * How an upstream call failed, in our own terms: a kind the tool turns into words for the model,
 * so nothing above the connection needs the SDK's error classes.
 */

/** Why an upstream call failed. */
export type UpstreamCallFailure =
  /** The connection ended during the call (the server exited or was killed). */
  | 'closed'
  /** No answer within the call limit (progress restarts it). */
  | 'timeout'
  /** The server answered with a JSON-RPC error. */
  | 'refused'
  /** One message was over the stdio client's 10 MB limit; the connection was closed. */
  | 'too_large'
  /** The tool wanted input (a person's answer, sampling, roots) that we do not provide upstream. */
  | 'input_required';

/** A failed upstream call; `message` says what happened, `cause` keeps the SDK's error. */
export class UpstreamCallError extends Error {
  readonly kind: UpstreamCallFailure;

  constructor(kind: UpstreamCallFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
  }
}
