import { appendAuditEvents } from '../db/audit.repository.js';
import type { Actor } from '../domain/audit.js';
import type { Executor } from '../db/database.js';
import { listOrganisationsByCodes } from '../db/organisation.repository.js';
import {
  findPeerGroup,
  insertPeerGroup,
  listPeerGroups,
  type PeerGroupRecord,
} from '../db/peer-group.repository.js';
import { conflict, invalidInput } from '../domain/errors.js';

export type { PeerGroupRecord } from '../db/peer-group.repository.js';

/** A user-defined set of organisations to compare with, or to roll up as one aggregate. */
export async function createPeerGroup(
  ex: Executor,
  actor: Actor,
  input: { code: string; name: string; description?: string; members: string[] },
): Promise<PeerGroupRecord> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.code)) {
    throw invalidInput(
      `"${input.code}" is not a peer group code: use lower-case letters, digits and hyphens.`,
      [{ field: 'code', message: 'Enter a code such as large-acute-trusts.' }],
    );
  }
  if (input.name.trim() === '')
    throw invalidInput('Enter a name for the peer group.', [{ field: 'name', message: 'Enter a name.' }]);
  if (input.members.length === 0)
    throw invalidInput('A peer group needs at least one member.', [
      { field: 'members', message: 'List ODS codes.' },
    ]);
  if (await findPeerGroup(ex, input.code)) throw conflict(`A peer group ${input.code} already exists.`);
  const known = await listOrganisationsByCodes(ex, input.members);
  const unknown = input.members.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw invalidInput(`These members are not organisations here: ${unknown.join(', ')}.`, [
      { field: 'members', message: 'Check the ODS codes.' },
    ]);
  }
  await insertPeerGroup(ex, {
    code: input.code,
    name: input.name.trim(),
    description: input.description ?? '',
    members: input.members,
  });
  await appendAuditEvents(ex, actor, [
    {
      action: 'peer-group.create',
      recordType: 'peer-group',
      recordId: input.code,
      before: null,
      after: { name: input.name.trim(), members: input.members },
    },
  ]);
  const created = await findPeerGroup(ex, input.code);
  if (!created) throw new Error('peer group vanished');
  return created;
}

export async function getPeerGroups(ex: Executor): Promise<PeerGroupRecord[]> {
  return listPeerGroups(ex);
}
