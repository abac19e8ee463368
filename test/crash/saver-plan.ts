// What the crash test's saver (test/crash/saver.ts) is asked to do, and the lines it writes.

export interface SaverPlan {
  /** The server, http://127.0.0.1:PORT */
  readonly origin: string
  readonly evaluationId: number
  readonly requestTimeoutMs: number
  /** Each worker saves its own scores in turn, one request at a time, all workers at once. */
  readonly workers: readonly {
    readonly cookie: string
    readonly csrfToken: string
    readonly cells: readonly { readonly memberId: number; readonly optionId: number; readonly criterionId: number; readonly version: number | null }[]
  }[]
}

/** A save as the saver sent it: the score and a rationale no other save uses. */
export interface SaveValue {
  readonly worker: number
  /** The worker's count of saves: its saves happen in this order, one at a time. */
  readonly n: number
  readonly memberId: number
  readonly optionId: number
  readonly criterionId: number
  readonly score: number
  readonly rationale: string
}

/**
 * One line of the saver's stdout, written as it happens:
 *  - sent: a save is about to go out;
 *  - ack: its response came back (200), so the server has said it is saved; `version` is the
 *    score's version the response shows;
 *  - refused: a response other than 200 (never expected while the server runs);
 *  - failed: no response (the connection was refused or cut: the server is gone); the worker stops.
 */
export type SaverLine =
  | ({ readonly event: 'sent' } & SaveValue)
  | ({ readonly event: 'ack'; readonly version: number } & SaveValue)
  | ({ readonly event: 'refused'; readonly status: number; readonly body: string } & SaveValue)
  | ({ readonly event: 'failed'; readonly error: string } & SaveValue)
