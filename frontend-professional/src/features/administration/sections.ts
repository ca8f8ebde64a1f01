import type { AdminScope } from './useAdminScope';

/**
 * The administration's sections. `regional` ones are for national and regional administrators
 * only (a unit administrator does not see them); `national` ones for operators and central
 * administrators only; the others are for every administrator.
 */
export const ADMIN_SECTIONS = [
  { key: 'careUnits', path: 'vardenheter', regional: false },
  { key: 'samplingUnits', path: 'provtagningsenheter', regional: true },
  { key: 'laboratories', path: 'laboratorier', regional: true },
  { key: 'products', path: 'produkter', regional: false },
  { key: 'offers', path: 'erbjudanden', regional: true },
  { key: 'permissions', path: 'behorigheter', regional: false },
  { key: 'helpTexts', path: 'hjalptexter', regional: false },
  { key: 'insightTexts', path: 'insiktstexter', regional: false },
  { key: 'integrationClients', path: 'integrationsklienter', regional: true },
  { key: 'deadLetters', path: 'utkorg', regional: true, national: true },
] as const;

/** The sections shown to an administrator with `scope`. */
export function sectionsFor(scope: AdminScope) {
  return ADMIN_SECTIONS.filter((s) => (!s.regional || scope.regional) && (!('national' in s) || scope.national));
}

/** Permissions an administrator may grant (the backend's GRANTABLE). */
export const GRANTABLE_PERMISSIONS = [
  'sampling',
  'labels',
  'order_receipt',
  'result_registration',
  'worklist',
  'contact_tracing',
  'assigned_offers',
  'export',
  'unit_admin',
  'region_admin',
  'operator',
  'central_admin',
] as const;

export const INSIGHTS = ['positive', 'negative', 'technical_error', 'answer'] as const;
export const SAMPLING_METHODS = ['site_booking', 'site_drop_in', 'home_kit', 'anonymous_kit'] as const;
export const VISIBILITIES = ['personal', 'general', 'nationwide'] as const;

/** Input fields that have (or may get) a help text, for the help text editor. */
export const HELP_TEXT_KEYS = [
  'care_unit.hsa_id',
  'care_unit.name',
  'care_unit.care_giver_hsa_id',
  'care_unit.care_giver_name',
  'care_unit.result_recipient_hsa_id',
  'care_unit.worklist_insights',
  'care_unit.assignable_offers',
  'sampling_unit.hsa_id',
  'sampling_unit.name',
  'sampling_unit.opening_hours',
  'sampling_unit.laboratory_codes',
  'slots.first_day',
  'slots.weekdays',
  'slots.minutes',
  'slots.capacity',
  'slots.closed_days',
  'laboratory.code',
  'laboratory.name',
  'laboratory.label_template_zpl',
  'laboratory.customers',
  'laboratory.mappings',
  'result_template.analyses',
  'result_template.insight',
  'result_template.insight_text',
  'product.code',
  'product.npu_code',
  'offer.name',
  'offer.instructions',
  'offer.sampling_method',
  'offer.visibility',
  'offer.products',
  'offer.validity_days',
  'offer.result_care_unit_hsa_id',
  'offer.age',
  'offer.sex',
  'offer.usage_limit',
  'offer.active_from',
  'offer.asks',
  'offer.questions',
  'offer.assigning_units',
  'offer.insight_texts',
  'permission.staff_hsa_id',
  'permission.permission',
] as const;
