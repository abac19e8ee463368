// What moderation needs to know about the individual scores on one criterion for one option, and
// whether moderation is complete: the one home of the rules that independent scoring comes first
// (a consensus only once every assigned member has submitted or been excused), and that the panel
// confirms what was agreed.

import type { EvaluationFile } from './file-schema.js'
import { weighCriteria, type CriterionNodeLike } from './weights.js'

export interface ScoreSpread {
  readonly count: number
  readonly min: number
  readonly max: number
  /** max − min: how far apart the panel is. */
  readonly range: number
  readonly mean: number
  readonly median: number
  /** The median rounded half up to a whole score: what bulk acceptance records as the consensus. */
  readonly roundedMedian: number
  /** The range is at most the tolerance, so the scores can be accepted without discussion. */
  readonly withinTolerance: boolean
}

/** The spread of the individual scores, or null when nobody has scored. */
export function scoreSpread(scores: readonly number[], tolerance: number): ScoreSpread | null {
  if (scores.length === 0) return null
  const sorted = [...scores].sort((a, b) => a - b)
  const min = sorted[0]!
  const max = sorted[sorted.length - 1]!
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  const mean = sorted.reduce((sum, s) => sum + s, 0) / sorted.length
  // A small allowance so that a range of 1 is within a tolerance of 1 whatever the float arithmetic.
  const withinTolerance = max - min <= tolerance + 1e-9
  return { count: sorted.length, min, max, range: max - min, mean, median, roundedMedian: Math.floor(median + 0.5), withinTolerance }
}

/**
 * How far moderation has got, and whether it is complete: the one rule for sign-off, for when
 * finance and observers may see the ranking, and for the pages that show progress. Moderation is
 * complete when every option has a consensus on every scored leaf and every gate of the tree as it
 * is now. A consensus on a node that has since become a group does not count, and nor does one on
 * a criterion no longer there: what counts is the tree's leaves and gates, not a number of rows.
 */
export interface ModerationState {
  /** The criteria (scored leaves and gates, in the tree's order) each option needs a consensus on. */
  readonly needed: readonly string[]
  /** For each option, the needed criteria it has no consensus on yet. */
  readonly missing: ReadonlyMap<string, readonly string[]>
  readonly complete: boolean
}

/** A panel member as moderation sees them, by the ids of the file (or the database's ids as text). */
export interface PanelMemberLike {
  readonly id: string
  /** The criteria or groups assigned to them; absent or empty: every criterion. */
  readonly criteria?: readonly string[] | undefined
  /** Removed from scoring by the lead's decision on a declared interest: nothing is needed from them. */
  readonly removed?: boolean | undefined
  /** With a "restrict" decision: the only options they score. */
  readonly allowedOptions?: readonly string[] | undefined
  /** The options whose scores they have submitted. */
  readonly submitted: readonly string[]
  /** The options the lead has excused them from, each with a reason. */
  readonly excused: readonly string[]
  /** The options whose consensus they have confirmed, or dissented from (a dissent is a response). */
  readonly responded: readonly string[]
}

export interface PanelInput {
  readonly criteria: readonly CriterionNodeLike[]
  readonly options: readonly string[]
  readonly members: readonly PanelMemberLike[]
  readonly consensus: readonly { readonly option: string; readonly criterion: string }[]
}

/** Where one option stands: who has still to submit it, who is excused, what is not moderated or confirmed. */
export interface OptionPanelState {
  /** Members who score some criterion of this option and have neither submitted it nor been excused. */
  readonly awaitingSubmission: readonly string[]
  readonly excused: readonly string[]
  /** Needed criteria with no consensus yet. */
  readonly unmoderated: readonly string[]
  /** Members who score this option, are not excused, and have not confirmed (or dissented from) its consensus. */
  readonly awaitingConfirmation: readonly string[]
}

export interface PanelState extends ModerationState {
  readonly options: ReadonlyMap<string, OptionPanelState>
  /** The members whose submission (or excuse) a consensus on this option and criterion waits for. */
  awaiting(option: string, criterion: string): readonly string[]
  /** Every consensus, every submission or excuse, and every confirmation: what finalising needs. */
  readonly ready: boolean
}

export function moderationState(
  criteria: readonly CriterionNodeLike[],
  options: readonly string[],
  consensus: readonly { readonly option: string; readonly criterion: string }[],
): ModerationState {
  const weights = weighCriteria(criteria)
  const needed = weights.nodes.filter((node) => node.role === 'scored' || node.role === 'gate').map((node) => node.id)
  const agreed = new Set(consensus.map((c) => `${c.option}\u0000${c.criterion}`))
  const missing = new Map(options.map((option) => [option, needed.filter((criterion) => !agreed.has(`${option}\u0000${criterion}`))]))
  return { needed, missing, complete: [...missing.values()].every((list) => list.length === 0) }
}

/** Whether the member scores this option at all (not removed, not restricted to other options). */
export function scoresOption(member: PanelMemberLike, option: string): boolean {
  if (member.removed === true) return false
  return member.allowedOptions === undefined || member.allowedOptions.includes(option)
}

/**
 * The panel's state: moderation (as `moderationState`), and for each option and criterion the
 * members a consensus waits for. A member is assigned to a criterion when it, or a group above it,
 * is among their criteria (or they have none, so score everything).
 */
export function panelState(input: PanelInput): PanelState {
  const moderation = moderationState(input.criteria, input.options, input.consensus)
  const weights = weighCriteria(input.criteria)
  const assignedTo = (member: PanelMemberLike, criterion: string): boolean => {
    if (member.criteria === undefined || member.criteria.length === 0) return true
    for (let node = weights.byId.get(criterion); node !== undefined; node = node.parentId === null ? undefined : weights.byId.get(node.parentId)) {
      if (member.criteria.includes(node.id)) return true
    }
    return false
  }
  const owing = (member: PanelMemberLike, option: string) =>
    scoresOption(member, option) && !member.submitted.includes(option) && !member.excused.includes(option)
  const awaiting = (option: string, criterion: string) =>
    input.members.filter((member) => owing(member, option) && assignedTo(member, criterion)).map((member) => member.id)
  const options = new Map<string, OptionPanelState>()
  for (const option of input.options) {
    const scorers = input.members.filter((member) => scoresOption(member, option) && moderation.needed.some((criterion) => assignedTo(member, criterion)))
    options.set(option, {
      awaitingSubmission: scorers.filter((member) => owing(member, option)).map((member) => member.id),
      excused: scorers.filter((member) => member.excused.includes(option)).map((member) => member.id),
      unmoderated: moderation.missing.get(option) ?? [],
      awaitingConfirmation: scorers.filter((member) => !member.excused.includes(option) && !member.responded.includes(option)).map((member) => member.id),
    })
  }
  const ready = moderation.complete && [...options.values()].every((state) => state.awaitingSubmission.length === 0 && state.awaitingConfirmation.length === 0)
  return { ...moderation, options, awaiting, ready }
}

/**
 * Whether the file says who has submitted: some evaluator lists `submitted` or `excused`. A file
 * that says nothing of it (written by hand or by another tool) holds final scores but those marked
 * `draft: true`; one that does counts only what was submitted.
 */
export function recordsSubmissions(file: {
  readonly evaluators: readonly { readonly submitted?: readonly string[] | undefined; readonly excused?: readonly unknown[] | undefined }[]
}): boolean {
  return file.evaluators.some((e) => (e.submitted?.length ?? 0) > 0 || (e.excused?.length ?? 0) > 0)
}

/**
 * The individual scores that count (for the resolved score and the Monte Carlo draws): not drafts.
 * A score is a draft when marked `draft: true`, or, in a file that records submissions, when its
 * evaluator has not submitted its option.
 */
export function countedScores<Score extends { readonly evaluator: string; readonly option: string; readonly draft?: true | undefined }>(file: {
  readonly evaluators: readonly { readonly id: string; readonly submitted?: readonly string[] | undefined; readonly excused?: readonly unknown[] | undefined }[]
  readonly scores: readonly Score[]
}): readonly Score[] {
  if (!recordsSubmissions(file)) return file.scores.filter((s) => s.draft !== true)
  const submitted = new Set(file.evaluators.flatMap((e) => (e.submitted ?? []).map((option) => `${e.id}\u0000${option}`)))
  return file.scores.filter((s) => s.draft !== true && submitted.has(`${s.evaluator}\u0000${s.option}`))
}

/**
 * Whether an individual answer is complete: a score chosen and a rationale of at least the panel's
 * minimum (at least one character), as the scoring form requires (src/routes/scoring.tsx). Short of
 * that, the app keeps it as a draft.
 */
export function answerComplete(answer: { readonly score?: number | undefined; readonly rationale?: string | undefined }, minRationale: number): boolean {
  return answer.score !== undefined && (answer.rationale?.trim().length ?? 0) >= Math.max(1, minRationale)
}

/**
 * The `draft: true` scores of a file that the app stores as saved answers rather than drafts: in a
 * file that records submissions the app writes `draft: true` on every score of an option its
 * evaluator has not submitted; a complete one among them was saved, not left part-typed, and comes
 * back as saved, so that an exported evaluation imported again asks its evaluators for nothing more
 * than before. Keyed by the score's position in `scores`.
 */
export function savedUnsubmitted(file: {
  readonly panel: { readonly minRationale: number }
  readonly evaluators: readonly { readonly id: string; readonly submitted?: readonly string[] | undefined; readonly excused?: readonly unknown[] | undefined }[]
  readonly scores: readonly {
    readonly evaluator: string
    readonly option: string
    readonly draft?: true | undefined
    readonly score?: number | undefined
    readonly rationale?: string | undefined
  }[]
}): ReadonlySet<number> {
  const positions = new Set<number>()
  if (!recordsSubmissions(file)) return positions
  const submitted = new Set(file.evaluators.flatMap((e) => (e.submitted ?? []).map((option) => `${e.id}\u0000${option}`)))
  file.scores.forEach((s, position) => {
    if (s.draft === true && !submitted.has(`${s.evaluator}\u0000${s.option}`) && answerComplete(s, file.panel.minRationale)) positions.add(position)
  })
  return positions
}

/**
 * Who has submitted which option, as the app reads a file on import: the `submitted` lists when the
 * file records submissions; otherwise every option an evaluator scored with no draft among its scores.
 */
export function submittedOptions(file: {
  readonly evaluators: readonly { readonly id: string; readonly submitted?: readonly string[] | undefined; readonly excused?: readonly unknown[] | undefined }[]
  readonly scores: readonly { readonly evaluator: string; readonly option: string; readonly draft?: true | undefined }[]
}): ReadonlyMap<string, readonly string[]> {
  if (recordsSubmissions(file)) return new Map(file.evaluators.map((e) => [e.id, e.submitted ?? []]))
  const scored = new Map<string, Set<string>>(file.evaluators.map((e) => [e.id, new Set()]))
  const drafted = new Set<string>()
  for (const s of file.scores) {
    scored.get(s.evaluator)?.add(s.option)
    if (s.draft === true) drafted.add(`${s.evaluator}\u0000${s.option}`)
  }
  return new Map([...scored].map(([id, options]) => [id, [...options].filter((option) => !drafted.has(`${id}\u0000${option}`))]))
}

/** The panel's state as the file records it: the same rule the app applies to its records. */
export function panelStateOfFile(file: EvaluationFile): PanelState {
  const submitted = submittedOptions(file)
  return panelState({
    criteria: file.criteria,
    options: file.options.map((o) => o.id),
    members: file.evaluators.map((e) => ({
      id: e.id,
      criteria: e.criteria,
      removed: e.declaration?.decision === 'remove',
      allowedOptions: e.declaration?.decision === 'restrict' ? (e.declaration.allowedOptions ?? []) : undefined,
      submitted: submitted.get(e.id) ?? [],
      excused: (e.excused ?? []).map((x) => x.option),
      responded: (e.confirmations ?? []).map((x) => x.option),
    })),
    consensus: file.consensus,
  })
}

/** What a moderation note claims about the individual scores, checked against the scores recorded. */
export interface NoteScoreCheck {
  /** The individual scores the note cites ("Individual scores 2, 4 and 3", "Sam scored 2"), in its order. */
  readonly cited: readonly number[]
  /** Cited scores the record does not hold (a value none scored, or cited more often than it was scored). */
  readonly notRecorded: readonly number[]
  /** How many scorers the note claims ("all three", "both"), or null when it claims none. */
  readonly claimedCount: number | null
  /** The note cites only recorded scores, and claims no other number of scorers. */
  readonly consistent: boolean
}

const COUNT_WORDS: Readonly<Record<string, number>> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 }
const NUMBER = String.raw`\d+(?:\.\d+)?`
/** "score(s) [of|were|…] 2, 4 and 3", "scored 2": a list of figures after a word for scoring. The consensus's own score is not a claim about the panel's. */
const CITED = new RegExp(
  String.raw`(\b\w+\s+)?\b(?:scores?|scored)\b(?:\s+(?:of|were|was|are|is|at|as|from|being))?\s*:?\s*(${NUMBER}(?:\s*(?:,|and|or|to|&)\s*${NUMBER})*)`,
  'gi',
)
const CLAIMED_COUNT = /\b(?:all|both)(?:\s+(two|three|four|five|six|seven|eight|nine|ten|\d+))?\b(?=\s+(?:members|evaluators|scored|gave|panel|of))/gi

/**
 * Checks the figures a moderation note cites as individual scores against the scores recorded for
 * that option and criterion, so that a note claiming figures the record does not hold is flagged
 * (the report and the moderation page show the recorded scores beside it). A figure listed twice
 * in one list must have been scored twice; "all three" or "both" must match the number of scores recorded.
 */
export function checkNoteScores(note: string, recorded: readonly number[]): NoteScoreCheck {
  const cited: number[] = []
  const notRecorded: number[] = []
  for (const match of note.matchAll(CITED)) {
    if (/^(?:consensus|agreed|moderated|final)\s+$/i.test(match[1] ?? '')) continue
    // Within one list a figure named twice must have been scored twice; separate mentions may repeat one.
    const left = [...recorded]
    for (const figure of match[2]!.matchAll(new RegExp(NUMBER, 'g'))) {
      const score = Number(figure[0])
      cited.push(score)
      const at = left.findIndex((r) => Math.abs(r - score) < 1e-9)
      if (at === -1) notRecorded.push(score)
      else left.splice(at, 1)
    }
  }
  let claimedCount: number | null = null
  for (const match of note.matchAll(CLAIMED_COUNT)) {
    const word = match[1]?.toLowerCase()
    if (word !== undefined) claimedCount = COUNT_WORDS[word] ?? Number(word)
    else if (/^both/i.test(match[0])) claimedCount = 2
  }
  return { cited, notRecorded, claimedCount, consistent: notRecorded.length === 0 && (claimedCount === null || claimedCount === recorded.length) }
}
