import {
  hierarchyEventLabels,
  organisationRoleLabels,
  type HierarchyEvent,
} from '../../domain/hierarchy-event.js';
import { organisationKindLabels, type OrganisationAsAt } from '../../domain/organisation.js';
import type { OrganisationTreeNode } from '../../domain/organisation-tree.js';
import type {
  AsNowResolution,
  RoleRecord,
  OrganisationProfile,
  TreeAsNow,
} from '../../services/hierarchy-query.service.js';
import type { OrganisationSummaryBody, OrganisationTreeBody } from './organisation.schemas.js';

export function presentOrganisation(organisation: OrganisationAsAt): OrganisationSummaryBody {
  return {
    odsCode: organisation.odsCode,
    name: organisation.name,
    kind: organisation.kind,
    kindLabel: organisationKindLabels[organisation.kind],
    sector: organisation.sector,
    postcode: organisation.postcode,
    validFrom: organisation.validFrom,
    validTo: organisation.validTo,
    provenance: organisation.provenance,
    parentCode: organisation.parentCode,
  };
}

export function presentTree(
  node: OrganisationTreeNode,
  roles: Map<number, RoleRecord[]>,
  formerly?: Map<number, OrganisationAsAt[]>,
): OrganisationTreeBody {
  const earlier = formerly?.get(node.organisation.id);
  const holders = roles.get(node.organisation.id);
  return {
    ...presentOrganisation(node.organisation),
    children: node.children.map((child) => presentTree(child, roles, formerly)),
    ...(earlier ? { formerly: earlier.map(presentOrganisation) } : {}),
    ...(holders
      ? {
          roles: holders.map((r) => ({
            role: r.role,
            roleLabel: organisationRoleLabels[r.role],
            holderName: r.holderName,
            validFrom: r.validFrom,
          })),
        }
      : {}),
  };
}

export function presentTreeAsNow(result: TreeAsNow) {
  return {
    root: presentTree(result.tree.root, result.tree.roles, result.formerly),
    counts: result.tree.counts,
    unmapped: result.unmapped.map(presentOrganisation),
  };
}

export function presentAsNow(result: AsNowResolution) {
  return {
    today: result.today,
    status: result.resolution.status,
    currentCodes: result.resolution.currentCodes,
    deadEndCodes: result.resolution.deadEndCodes,
    steps: result.resolution.steps,
    current: result.current.map((entry) => ({
      organisation: presentOrganisation(entry.organisation),
      path: entry.path.map(presentOrganisation),
    })),
  };
}

export function presentProfile(profile: OrganisationProfile) {
  const { organisation, details } = profile;
  const parent = profile.path.length > 1 ? profile.path[profile.path.length - 2] : undefined;
  return {
    asAt: profile.asAt,
    existedOnDate: profile.existedOnDate,
    organisation: {
      odsCode: organisation.odsCode,
      name: details.name,
      kind: details.kind,
      kindLabel: organisationKindLabels[details.kind],
      sector: details.sector,
      postcode: details.postcode,
      validFrom: organisation.validFrom,
      validTo: organisation.validTo,
      provenance: organisation.provenance,
      parentCode: parent?.odsCode ?? null,
    },
    path: profile.path.map(presentOrganisation),
    children: profile.children.map(presentOrganisation),
    versions: profile.versions.map((version) => ({
      validFrom: version.validFrom,
      validTo: version.validTo,
      name: version.name,
      kind: version.kind,
      kindLabel: organisationKindLabels[version.kind],
      sector: version.sector,
      postcode: version.postcode,
    })),
    parents: profile.parents,
    roles: profile.roles.map((role) => ({
      role: role.role,
      roleLabel: organisationRoleLabels[role.role],
      holderName: role.holderName,
      validFrom: role.validFrom,
      validTo: role.validTo,
    })),
    predecessors: profile.predecessors,
    successors: profile.successors,
  };
}

export function presentEvent(event: HierarchyEvent) {
  return { ...event, typeLabel: hierarchyEventLabels[event.type] };
}
