import { createContext, useContext } from 'hono/jsx'
import type { EvaluationRole } from '../db/schema.js'
import { may } from './access.js'

/** Who is looking at a page: views read it to show only the actions this person may take. */
export interface Viewer {
  account: { id: number; name: string; email: string; admin: boolean } | null
  csrfToken: string | null
  /** Roles on the evaluation the page belongs to; empty elsewhere. */
  roles: EvaluationRole[]
  /** The evaluation the page belongs to is finalised: it takes no changes until reopened. */
  finalised: boolean
  /** Moderation of the evaluation the page belongs to is open: figures that wait for it are not offered. */
  moderating: boolean
  /** The evaluation plan of the evaluation the page belongs to is a draft: changes that wait for its approval are not offered. */
  planDraft: boolean
}

export const signedOut: Viewer = { account: null, csrfToken: null, roles: [], finalised: false, moderating: false, planDraft: false }

export const ViewerContext = createContext<Viewer>(signedOut)

export function useViewer(): Viewer {
  return useContext(ViewerContext)
}

/**
 * Whether the person looking may use a route, by its pattern (such as 'POST /evaluations/:id/options'):
 * the access table decides, so a page never offers an action the server would refuse.
 */
export function useMay(): (route: string) => boolean {
  const viewer = useViewer()
  return (route) => {
    const [method, path] = route.split(' ')
    return (
      viewer.account !== null &&
      method !== undefined &&
      path !== undefined &&
      may(viewer.roles, method, path, viewer.account.admin, viewer.finalised, viewer.moderating, viewer.planDraft)
    )
  }
}
