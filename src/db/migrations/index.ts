import type { Migration } from 'kysely/migration';
import * as hierarchy from './0001-hierarchy.js';
import * as metrics from './0002-metrics-and-observations.js';
import * as rollups from './0003-metric-rollups.js';
import * as identity from './0004-identity-and-audit.js';
import * as segmentation from './0005-oversight-segmentation.js';
import * as templates from './0006-collection-templates.js';
import * as returnWorkflow from './0007-return-workflow.js';
import * as feeds from './0008-feeds.js';
import * as planning from './0009-planning.js';
import * as interventions from './0010-interventions-and-programmes.js';
import * as complyOrExplain from './0011-comply-or-explain.js';
import * as governance from './0012-governance.js';
import * as mutualAid from './0013-mutual-aid.js';

/**
 * Every migration, in order. Forward-only: there are no `down` steps; a mistake is mended by a new
 * migration. The same migrations run on PGlite and on PostgreSQL.
 */
export const migrations: Record<string, Migration> = {
  '0001-hierarchy': hierarchy,
  '0002-metrics-and-observations': metrics,
  '0003-metric-rollups': rollups,
  '0004-identity-and-audit': identity,
  '0005-oversight-segmentation': segmentation,
  '0006-collection-templates': templates,
  '0007-return-workflow': returnWorkflow,
  '0008-feeds': feeds,
  '0009-planning': planning,
  '0010-interventions-and-programmes': interventions,
  '0011-comply-or-explain': complyOrExplain,
  '0012-governance': governance,
  '0013-mutual-aid': mutualAid,
};
