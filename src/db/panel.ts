import type { Change } from './audit.js'
import type { Db } from './connection.js'
import type { PanelMember } from './schema.js'

export async function listPanelMembers(db: Db, evaluationId: number): Promise<PanelMember[]> {
  return db
    .selectFrom('panel_member')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function linkPanelMember(db: Change, panelMemberId: number, accountId: number | null): Promise<void> {
  await db.updateTable('panel_member').set({ account_id: accountId }).where('id', '=', panelMemberId).execute()
}
