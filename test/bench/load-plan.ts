// What the load driver is asked to do, and what it reports: shared by the benchmark and the driver.

export interface LoadClient {
  /** The server this client talks to, when not the plan's (two app instances sharing a database). */
  readonly origin?: string
  readonly cookie: string
  readonly csrfToken: string
  readonly optionId: number
  readonly cells: readonly { readonly criterionId: number; readonly version: number | null }[]
}

/** Time allowed for the clients to open their scoring pages first (openPageFirst), before the load. */
export const OPEN_PAGES_MS = 60_000

export interface LoadPlan {
  /** http://127.0.0.1:PORT */
  readonly origin: string
  readonly evaluationId: number
  readonly clients: readonly LoadClient[]
  /** Load before the measured window starts, so the server has warmed up (JIT, caches). */
  readonly warmUpMs: number
  readonly durationMs: number
  /** Bounds on the loop besides time. */
  readonly maxRequestsPerClient: number
  readonly requestTimeoutMs: number
  /** Paced load: each client starts a save every intervalMs (staggered), not one after another. */
  readonly intervalMs?: number
  /**
   * Each client first opens its scoring page, as a browser would, and saves from the versions it
   * shows rather than the plan's: a run after another run (the paced loads after the back-to-back
   * one) would otherwise send versions those saves have since moved on from, and get 409 on each.
   */
  readonly openPageFirst?: boolean
}

export interface LoadOutcome {
  readonly clients: number
  readonly measuredMs: number
  /** Saves answered 200 within the measured window. */
  readonly ok: number
  readonly failed: number
  readonly statuses: Record<string, number>
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  /** The start of the first failure's answer, to say what went wrong. */
  readonly firstFailure: string | null
}
