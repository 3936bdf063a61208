import { describe, expect, it } from 'vitest';
import { chainAuditEntries, checkAuditChain, genesisHash, storableText, systemActor } from './audit.js';

describe('the audit chain', () => {
  const entries = [
    { action: 'a.one', recordType: 'thing', recordId: '1', before: null, after: { n: 1 } },
    {
      action: 'a.two',
      recordType: 'thing',
      recordId: '2',
      before: { n: 1 },
      after: { n: 2, list: [1, 'x'] },
    },
  ];

  it('links each event to the one before, and a check of the untouched chain passes', () => {
    const chained = chainAuditEntries(genesisHash, systemActor, '2026-01-01T00:00:00.000Z', entries);
    expect(chained[1]?.previousHash).toBe(chained[0]?.hash);
    const stored = chained.map((e, i) => ({ ...e, id: i + 1 }));
    expect(checkAuditChain(genesisHash, stored)).toMatchObject({ checked: 2, problem: null });
  });

  it('finds a changed event and a removed one, counting the events before them', () => {
    const stored = chainAuditEntries(genesisHash, systemActor, '2026-01-01T00:00:00.000Z', entries).map(
      (e, i) => ({ ...e, id: i + 1 }),
    );
    const changed = stored.map((e) => (e.id === 2 ? { ...e, after: { n: 3, list: [1, 'x'] } } : e));
    expect(checkAuditChain(genesisHash, changed)).toMatchObject({ checked: 1, problem: { id: 2 } });
    expect(checkAuditChain(genesisHash, stored.slice(1)).problem?.problem).toMatch(/does not follow/);
  });

  it('hashes text as the database will store it (lone surrogates and NUL become U+FFFD)', () => {
    expect(storableText('a\ud800b\u0000c😀')).toBe('a\ufffdb\ufffdc😀');
    const [event] = chainAuditEntries(
      genesisHash,
      { kind: 'public', id: null, label: 'attempt as \udc00x@nhs.test' },
      '2026-01-01T00:00:00.000Z',
      [{ action: 'x', recordType: 'user', recordId: null, before: null, after: { email: '\ud800' } }],
    );
    expect(event?.actor.label).toBe('attempt as \ufffdx@nhs.test');
    expect(event?.after).toEqual({ email: '\ufffd' });
  });
});
