// Pairwise comparison (the Analytic Hierarchy Process): weights from a person's judgements of two
// items at a time on Saaty's 1–9 scale, how consistent those judgements are, and a group's weights
// from everyone's. The formulas and a worked example are in docs/maths.md ("Pairwise weighting").

/** Pairwise judgement is reliable up to about nine items, and the random index is tabulated to 10. */
export const MAX_PAIRWISE_ITEMS = 10

export const MIN_JUDGEMENT = 1 / 9
export const MAX_JUDGEMENT = 9

/**
 * a_ij × a_ji may differ from 1 by this much (a reciprocal typed as 0.3333333333 is accepted), and a
 * value may pass 1/9 or 9 by this fraction (1/9 typed as 0.1111111111).
 */
export const RECIPROCAL_TOLERANCE = 1e-9

/** Within 1/9..9, allowing for a reciprocal typed to ten digits. */
export function isJudgementValue(value: number): boolean {
  return value >= MIN_JUDGEMENT * (1 - RECIPROCAL_TOLERANCE) && value <= MAX_JUDGEMENT * (1 + RECIPROCAL_TOLERANCE)
}

/** Saaty's random index RI for n = 1..10: the mean consistency index of random reciprocal matrices. */
export const RANDOM_INDEX: readonly number[] = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]

/** Judgements are taken as acceptably consistent when CR is below this. */
export const ACCEPTABLE_CR = 0.1

/** Rows of numbers: `matrix[i][j]` says how many times as important item i is as item j. */
export type PairwiseMatrix = readonly (readonly number[])[]

/** A problem with one cell (or the whole matrix, path []), its path relative to the matrix. */
export interface MatrixProblem {
  readonly path: readonly number[]
  readonly message: string
}

/** The judgement that contributes most to the inconsistency, and what would make it consistent. */
export interface Inconsistency {
  /** Row and column of the judgement (row < column): item `row` judged `value` times as important as item `column`. */
  readonly row: number
  readonly column: number
  readonly value: number
  /** w_row / w_column from the weights of the other judgements (this one left out), clamped to 1/9..9. */
  readonly consistentValue: number
  /** consistentValue rounded to the nearest value on Saaty's scale (a whole number 1..9 or its reciprocal). */
  readonly suggestedValue: number
  /** The consistency ratio if this judgement (and its reciprocal) were changed to suggestedValue. */
  readonly crWithSuggested: number
}

export interface PairwiseWeights {
  /** The principal eigenvector, normalised to sum 1, in the matrix's order. */
  readonly weights: number[]
  readonly lambdaMax: number
  /** Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2. */
  readonly ci: number
  /** Consistency ratio CI/RI; 0 for n ≤ 2. */
  readonly cr: number
  /** cr < 0.10 */
  readonly consistent: boolean
  /** When cr ≥ 0.10: the judgement to reconsider first; otherwise null. */
  readonly inconsistency: Inconsistency | null
}

function formatValue(value: number): string {
  if (value > 0 && value < 1 && Number.isInteger(Math.round(1 / value)) && Math.abs(1 / value - Math.round(1 / value)) < 1e-9) {
    return `1/${Math.round(1 / value)}`
  }
  return String(Number(value.toPrecision(6)))
}

/**
 * Everything wrong with a matrix, one problem per cell: a square of 2 to 10 rows, every value a
 * number within 1/9..9, 1 on the diagonal, and each value below the diagonal the reciprocal of its
 * mirror above it (within 1e-9). An empty list means the matrix can be weighed.
 */
export function matrixProblems(matrix: PairwiseMatrix): MatrixProblem[] {
  const n = matrix.length
  if (n < 2) return [{ path: [], message: 'must compare at least two items' }]
  if (n > MAX_PAIRWISE_ITEMS) {
    return [{ path: [], message: `compares ${n} items; at most ${MAX_PAIRWISE_ITEMS} can be compared in pairs: split them into sub-groups` }]
  }
  const problems: MatrixProblem[] = []
  matrix.forEach((row, i) => {
    if (row.length !== n) problems.push({ path: [i], message: `must have ${n} values (the matrix must be square, ${n} × ${n}), not ${row.length}` })
  })
  if (problems.length > 0) return problems
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = matrix[i]![j]!
      if (!Number.isFinite(value)) problems.push({ path: [i, j], message: 'must be a number' })
      else if (i === j) {
        if (value !== 1) problems.push({ path: [i, j], message: `must be 1 (an item compared with itself), not ${formatValue(value)}` })
      } else if (!isJudgementValue(value)) {
        problems.push({ path: [i, j], message: `must be between 1/9 and 9 (Saaty's scale), not ${formatValue(value)}` })
      } else if (i > j) {
        const mirror = matrix[j]![i]!
        if (isJudgementValue(mirror) && Math.abs(value * mirror - 1) > RECIPROCAL_TOLERANCE) {
          problems.push({
            path: [i, j],
            message: `must be ${formatValue(1 / mirror)}, the reciprocal of [${j}][${i}] (${formatValue(mirror)}), not ${formatValue(value)}`,
          })
        }
      }
    }
  }
  return problems
}

/** Throws when the matrix has problems; callers that take input check matrixProblems first. */
function assertValid(matrix: PairwiseMatrix): void {
  const problems = matrixProblems(matrix)
  if (problems.length > 0) {
    throw new Error(`not a valid pairwise matrix: ${problems.map((p) => `[${p.path.join('][')}] ${p.message}`).join('; ')}`)
  }
}

const CONVERGED = 1e-15
const MAX_ITERATIONS = 100_000

/**
 * The principal eigenvector by power iteration: w ← A w / Σ(A w) until no weight moves by more than
 * 1e-15. A positive matrix has a simple dominant eigenvalue (Perron), so this converges from the
 * equal weights; λmax = Σ_i (A w)_i once Σ w = 1.
 *
 * With `leaveOut` [i, j], the weights of the other judgements alone (Harker's method for a matrix
 * with a judgement missing: a_ij = a_ji = 0 and 1 added to a_ii and a_jj).
 */
function principalEigenvector(given: PairwiseMatrix, leaveOut?: readonly [number, number]): { weights: number[]; lambdaMax: number } {
  const n = given.length
  let matrix = given
  if (leaveOut !== undefined) {
    const [i, j] = leaveOut
    const harker = given.map((row) => [...row])
    harker[i]![j] = 0
    harker[j]![i] = 0
    harker[i]![i] = 2
    harker[j]![j] = 2
    matrix = harker
  }
  let weights = new Array<number>(n).fill(1 / n)
  let lambdaMax = n
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const product = matrix.map((row) => row.reduce((sum, value, j) => sum + value * weights[j]!, 0))
    lambdaMax = product.reduce((sum, value) => sum + value, 0)
    const next = product.map((value) => value / lambdaMax)
    const moved = Math.max(...next.map((value, i) => Math.abs(value - weights[i]!)))
    weights = next
    if (moved <= CONVERGED) break
  }
  return { weights, lambdaMax }
}

function consistencyOf(n: number, lambdaMax: number): { ci: number; cr: number } {
  if (n <= 2) return { ci: 0, cr: 0 }
  // λmax ≥ n for every positive reciprocal matrix; anything below is rounding.
  const ci = Math.max(0, (lambdaMax - n) / (n - 1))
  return { ci, cr: ci / RANDOM_INDEX[n - 1]! }
}

/** The nearest value on Saaty's scale: a whole number 1..9 on the favoured side, so 2.4 → 2 and 1/2.4 → 1/2. */
export function nearestSaatyValue(value: number): number {
  if (value >= 1) return Math.min(MAX_JUDGEMENT, Math.max(1, Math.round(value)))
  return 1 / Math.min(MAX_JUDGEMENT, Math.max(1, Math.round(1 / value)))
}

function clampJudgement(value: number): number {
  return Math.min(MAX_JUDGEMENT, Math.max(MIN_JUDGEMENT, value))
}

/** Weights, λmax, CI and CR of a valid matrix (see matrixProblems); throws on an invalid one. */
export function pairwiseWeights(matrix: PairwiseMatrix): PairwiseWeights {
  assertValid(matrix)
  const n = matrix.length
  const { weights, lambdaMax } = principalEigenvector(matrix)
  const { ci, cr } = consistencyOf(n, lambdaMax)
  const consistent = cr < ACCEPTABLE_CR
  return { weights, lambdaMax, ci, cr, consistent, inconsistency: consistent ? null : largestInconsistency(matrix, weights) }
}

/**
 * The judgement a_ij (i < j) whose ratio to the weights, a_ij × w_j / w_i, is furthest from 1 on a
 * log scale: the one that contributes most to λmax − n. Its consistent value is w_i / w_j with the
 * weights the other judgements give without it: the full weights are pulled towards the judgement
 * in question, so their ratio would understate the change (a single judgement turned round in an
 * otherwise consistent matrix gets back its consistent value exactly this way).
 */
function largestInconsistency(matrix: PairwiseMatrix, weights: readonly number[]): Inconsistency {
  const n = matrix.length
  let row = 0
  let column = 1
  let largest = -1
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const error = Math.abs(Math.log((matrix[i]![j]! * weights[j]!) / weights[i]!))
      // Ties (every judgement of a 3 × 3 matrix is off by the same factor) go to the first in order.
      if (error > largest + 1e-9) {
        largest = error
        row = i
        column = j
      }
    }
  }
  const others = principalEigenvector(matrix, [row, column]).weights
  const consistentValue = clampJudgement(others[row]! / others[column]!)
  const suggestedValue = nearestSaatyValue(consistentValue)
  const changed = matrix.map((values) => [...values])
  changed[row]![column] = suggestedValue
  changed[column]![row] = 1 / suggestedValue
  const { cr: crWithSuggested } = consistencyOf(n, principalEigenvector(changed).lambdaMax)
  return { row, column, value: matrix[row]![column]!, consistentValue, suggestedValue, crWithSuggested }
}

/**
 * The group's matrix: each cell the geometric mean of everyone's, (Π_k a_ij^(k))^(1/K). It is
 * reciprocal whenever theirs are, and stays within 1/9..9 (clamped there against rounding).
 */
export function geometricMeanMatrix(matrices: readonly PairwiseMatrix[]): number[][] {
  const [first] = matrices
  if (first === undefined) throw new Error('geometricMeanMatrix needs at least one matrix')
  for (const matrix of matrices) assertValid(matrix)
  if (matrices.some((matrix) => matrix.length !== first.length)) throw new Error('geometricMeanMatrix needs matrices of one size')
  const k = matrices.length
  return first.map((row, i) =>
    row.map((_, j) => (i === j ? 1 : clampJudgement(Math.exp(matrices.reduce((sum, matrix) => sum + Math.log(matrix[i]![j]!), 0) / k)))),
  )
}

/** The group's weights, from the geometric mean of everyone's matrices, with its own CR. */
export function groupWeights(matrices: readonly PairwiseMatrix[]): PairwiseWeights {
  return pairwiseWeights(geometricMeanMatrix(matrices))
}

// ---------------------------------------------------------------------------------------------
// Judgements given a pair at a time

/** "a matters `value` times as much as b"; value 1 is equal importance, 1/3 means b matters 3 times as much. */
export interface PairJudgement {
  readonly a: string
  readonly b: string
  readonly value: number
}

export interface JudgementProblem {
  /** The judgement's index in the list, and the field ('a', 'b', 'value'), or [] for the list as a whole. */
  readonly path: readonly (number | string)[]
  readonly message: string
}

export interface JudgementMatrix {
  /** Null until every pair has been judged. */
  readonly matrix: number[][] | null
  /** The pairs not yet judged, as [a, b] in the items' order. */
  readonly missing: [string, string][]
  readonly problems: JudgementProblem[]
}

/**
 * A matrix from judgements of pairs: each pair once, in either direction. Refuses an unknown item,
 * an item compared with itself, a value outside 1/9..9 and a pair answered twice; lists the pairs
 * not yet judged (the matrix is null until there are none).
 */
export function matrixFromJudgements(items: readonly string[], judgements: readonly PairJudgement[]): JudgementMatrix {
  const index = new Map(items.map((item, i) => [item, i]))
  const n = items.length
  const matrix = items.map((_, i) => items.map((__, j) => (i === j ? 1 : NaN)))
  const answeredBy = new Map<string, number>()
  const problems: JudgementProblem[] = []
  judgements.forEach((judgement, k) => {
    const i = index.get(judgement.a)
    const j = index.get(judgement.b)
    if (i === undefined) problems.push({ path: [k, 'a'], message: `"${judgement.a}" is not one of the items compared (${items.join(', ')})` })
    if (j === undefined) problems.push({ path: [k, 'b'], message: `"${judgement.b}" is not one of the items compared (${items.join(', ')})` })
    if (!isJudgementValue(judgement.value)) {
      problems.push({ path: [k, 'value'], message: `must be between 1/9 and 9 (Saaty's scale), not ${formatValue(judgement.value)}` })
      return
    }
    if (i === undefined || j === undefined) return
    if (i === j) {
      problems.push({ path: [k, 'b'], message: `compares "${judgement.a}" with itself; name two different items` })
      return
    }
    const key = i < j ? `${i},${j}` : `${j},${i}`
    const first = answeredBy.get(key)
    if (first !== undefined) {
      problems.push({ path: [k], message: `the pair "${judgement.a}" and "${judgement.b}" is already answered by judgement [${first}]; answer each pair once` })
      return
    }
    answeredBy.set(key, k)
    matrix[i]![j] = judgement.value
    matrix[j]![i] = 1 / judgement.value
  })
  const missing: [string, string][] = []
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!answeredBy.has(`${i},${j}`)) missing.push([items[i]!, items[j]!])
    }
  }
  return { matrix: problems.length === 0 && missing.length === 0 ? matrix : null, missing, problems }
}
