import { organisationKinds, type OrganisationAsAt } from './organisation.js';

export interface OrganisationTreeNode {
  organisation: OrganisationAsAt;
  children: OrganisationTreeNode[];
}

const kindOrder = new Map(organisationKinds.map((kind, index) => [kind, index]));

/** Nests flat as-at rows under their parents; siblings sorted by kind (regions before systems…) then name. */
export function buildOrganisationTree(
  rows: readonly OrganisationAsAt[],
  rootId: number,
): OrganisationTreeNode | null {
  const nodes = new Map<number, OrganisationTreeNode>();
  for (const organisation of rows) nodes.set(organisation.id, { organisation, children: [] });
  for (const node of nodes.values()) {
    const parentId = node.organisation.parentId;
    if (node.organisation.id !== rootId && parentId !== null) nodes.get(parentId)?.children.push(node);
  }
  const sortChildren = (node: OrganisationTreeNode): void => {
    node.children.sort(
      (a, b) =>
        (kindOrder.get(a.organisation.kind) ?? 0) - (kindOrder.get(b.organisation.kind) ?? 0) ||
        a.organisation.name.localeCompare(b.organisation.name),
    );
    node.children.forEach(sortChildren);
  };
  const root = nodes.get(rootId) ?? null;
  if (root) sortChildren(root);
  return root;
}

/** Counts the organisations in a tree by kind (the root included). */
export function countByKind(node: OrganisationTreeNode): Record<string, number> {
  const counts: Record<string, number> = {};
  const visit = (n: OrganisationTreeNode): void => {
    counts[n.organisation.kind] = (counts[n.organisation.kind] ?? 0) + 1;
    n.children.forEach(visit);
  };
  visit(node);
  return counts;
}

/**
 * For flat as-at rows: the nearest ancestor of a row's parent of one of the kinds (a trust's ICB or
 * region), walking parent links; undefined when there is none.
 */
export function ancestorFinder(
  rows: readonly OrganisationAsAt[],
): (parentId: number | null, kinds: readonly string[]) => OrganisationAsAt | undefined {
  const byId = new Map(rows.map((o) => [o.id, o]));
  return (parentId, kinds) => {
    for (
      let current = parentId === null ? undefined : byId.get(parentId), steps = 0;
      current && steps < 10;
      steps += 1
    ) {
      if (kinds.includes(current.kind)) return current;
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return undefined;
  };
}
