import type { Executor } from './database.js';

export interface PeerGroupRecord {
  id: number;
  code: string;
  name: string;
  description: string;
  members: string[];
}

export async function findPeerGroup(ex: Executor, code: string): Promise<PeerGroupRecord | null> {
  const group = await ex.selectFrom('peer_group').selectAll().where('code', '=', code).executeTakeFirst();
  if (!group) return null;
  const members = await ex
    .selectFrom('peer_group_member')
    .select('ods_code')
    .where('peer_group_id', '=', group.id)
    .orderBy('ods_code')
    .execute();
  return {
    id: group.id,
    code: group.code,
    name: group.name,
    description: group.description,
    members: members.map((m) => m.ods_code),
  };
}

export async function listPeerGroups(ex: Executor): Promise<PeerGroupRecord[]> {
  const groups = await ex.selectFrom('peer_group').selectAll().orderBy('code').execute();
  const members = await ex.selectFrom('peer_group_member').selectAll().orderBy('ods_code').execute();
  return groups.map((group) => ({
    id: group.id,
    code: group.code,
    name: group.name,
    description: group.description,
    members: members.filter((m) => m.peer_group_id === group.id).map((m) => m.ods_code),
  }));
}

export async function insertPeerGroup(
  ex: Executor,
  group: { code: string; name: string; description: string; members: readonly string[] },
): Promise<number> {
  const row = await ex
    .insertInto('peer_group')
    .values({ code: group.code, name: group.name, description: group.description })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (group.members.length > 0) {
    await ex
      .insertInto('peer_group_member')
      .values([...new Set(group.members)].map((ods_code) => ({ peer_group_id: row.id, ods_code })))
      .execute();
  }
  return row.id;
}
