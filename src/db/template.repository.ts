import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { CollectionTemplate, TemplatePeriodType } from '../domain/collection-template.js';
import { templateRulesSchema } from '../domain/return-validation.js';

/** Collection templates and their items. */

export async function listTemplates(ex: Executor): Promise<CollectionTemplate[]> {
  const [templates, items] = await Promise.all([
    ex.selectFrom('collection_template').selectAll().orderBy('code').execute(),
    ex
      .selectFrom('collection_template_item')
      .select(['template_id', 'item_code'])
      .orderBy('item_code')
      .execute(),
  ]);
  return templates.map((t) => ({
    code: t.code,
    name: t.name,
    description: t.description,
    periodType: t.period_type as TemplatePeriodType,
    organisationKinds: t.organisation_kinds,
    items: items.filter((i) => i.template_id === t.id).map((i) => i.item_code),
    schedule: {
      opensAfterDays: t.opens_after_days,
      softDeadlineDays: t.soft_deadline_days,
      hardCloseDays: t.hard_close_days,
    },
    // Stored rules were checked when the template was written; parsing fills in any default added since.
    rules: templateRulesSchema.parse(t.rules),
    activeFrom: t.active_from,
    retiredFrom: t.retired_from,
  }));
}

export async function insertTemplate(
  ex: Executor,
  template: CollectionTemplate,
  createdBy: string,
): Promise<void> {
  const row = await ex
    .insertInto('collection_template')
    .values({
      code: template.code,
      name: template.name,
      description: template.description,
      period_type: template.periodType,
      organisation_kinds: template.organisationKinds,
      opens_after_days: template.schedule.opensAfterDays,
      soft_deadline_days: template.schedule.softDeadlineDays,
      hard_close_days: template.schedule.hardCloseDays,
      active_from: template.activeFrom,
      retired_from: template.retiredFrom,
      rules: JSON.stringify(template.rules),
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ex
    .insertInto('collection_template_item')
    .values(template.items.map((item_code) => ({ template_id: row.id, item_code })))
    .execute();
}

export async function setTemplateDates(
  ex: Executor,
  code: string,
  dates: { activeFrom?: string; retiredFrom?: string },
): Promise<void> {
  await ex
    .updateTable('collection_template')
    .set({
      ...(dates.activeFrom !== undefined ? { active_from: dates.activeFrom } : {}),
      ...(dates.retiredFrom !== undefined ? { retired_from: dates.retiredFrom } : {}),
    })
    .where('code', '=', code)
    .execute();
}

/** Serialises changes that could break the collect-once rule: checks and writes happen one at a time. */
export async function lockTemplates(ex: Executor): Promise<void> {
  await sql`lock table collection_template in share row exclusive mode`.execute(ex);
}
